#pragma once
// Observed-vs-modelled scatter plots (one point per element and hour) as PNG (stb_image_write; text with
// stb_easy_font), for a report: points, the 1:1 line, and for flows the two
// curves where GEH = 5 (M - C = (25 +- sqrt(625 + 400 C)) / 4), so the points
// outside the band are the counts that fail.
#include <filesystem>
#include <string>
#include <vector>

namespace citytwin::geo {

struct ScatterPlot {
  std::string title;
  std::string x_label = "observed", y_label = "modelled";
  std::vector<double> observed, modelled;
  bool geh_band = false;
  int size_px = 800;
};

// Written atomically. Throws IoError when the file cannot be written.
void write_scatter_png(const ScatterPlot& plot, const std::filesystem::path& png);

}  // namespace citytwin::geo
