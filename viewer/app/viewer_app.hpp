#pragma once
// The citytwin-viewer application: GLFW window, ImGui GLFW + OpenGL3
// backends, the map renderer, and the glue between panels and files.
#include <optional>
#include <string>
#include <vector>

namespace citytwin::viewer {

struct ViewerOptions {
  std::string file;             // .twin snapshot or a results GeoPackage alone; empty = the built-in demo city
  std::string results;          // results of the .twin: a `citytwin run` GeoPackage
  std::string scenario;         // scenario TOML to load
  bool run = false;             // --screenshot / --bench-frames: run baseline and scenario first (coupled run)
  std::string screenshot;       // render one frame to this PNG and exit
  int hour = -1;
  std::vector<std::string> color_by;
  std::string view = "baseline";
  int width = 1600, height = 1000;
  bool ui = false;              // include the panels in the screenshot
  int bench_frames = 0;         // frame-time benchmark: render N frames off-screen
  int frames = 0;               // interactive: quit after N frames (smoke tests); 0 = run until closed
  double zoom = 1;              // relative to "zoom to extent"
  std::vector<double> center;   // world x, y (default: extent centre)
  std::string select;           // "roads:123": select a feature (inspector)
  std::vector<std::string> hide;  // layers to hide
  std::vector<std::string> show;  // layers to show
};

int run_viewer(const ViewerOptions& options);

}  // namespace citytwin::viewer
