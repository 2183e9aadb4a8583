#include "geo/observations/scatter_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

// Static: the viewer compiles its own copy of stb_image_write.
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#include <stb_easy_font.h>
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace citytwin::geo {

namespace {

using Rgb = std::array<std::uint8_t, 3>;

class Canvas {
 public:
  explicit Canvas(int size) : n_(size), px_(static_cast<std::size_t>(size) * size * 3, 255) {}
  int size() const { return n_; }
  const std::vector<std::uint8_t>& pixels() const { return px_; }

  void blend(int x, int y, Rgb c, double alpha = 1.0) {
    if (x < 0 || y < 0 || x >= n_ || y >= n_) return;
    auto* p = &px_[(static_cast<std::size_t>(y) * n_ + x) * 3];
    for (int i = 0; i < 3; ++i) p[i] = static_cast<std::uint8_t>(std::lround(p[i] * (1 - alpha) + c[i] * alpha));
  }
  void rect(int x0, int y0, int x1, int y1, Rgb c, double alpha = 1.0) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) blend(x, y, c, alpha);
  }
  // A line of width ~1.5 px, sampled densely (plots are small).
  void line(double x0, double y0, double x1, double y1, Rgb c, double alpha = 1.0) {
    const double len = std::hypot(x1 - x0, y1 - y0);
    const int steps = std::max(1, static_cast<int>(len * 2));
    for (int i = 0; i <= steps; ++i) {
      const double t = static_cast<double>(i) / steps;
      const int x = static_cast<int>(std::lround(x0 + t * (x1 - x0))), y = static_cast<int>(std::lround(y0 + t * (y1 - y0)));
      blend(x, y, c, alpha);
      blend(x + 1, y, c, alpha * 0.5);
    }
  }
  void disc(double cx, double cy, double r, Rgb c, double alpha) {
    for (int y = static_cast<int>(cy - r); y <= static_cast<int>(cy + r) + 1; ++y)
      for (int x = static_cast<int>(cx - r); x <= static_cast<int>(cx + r) + 1; ++x)
        if (std::hypot(x - cx, y - cy) <= r) blend(x, y, c, alpha);
  }
  // stb_easy_font text (quads), scaled; (x, y) is the top left.
  void text(double x, double y, const std::string& s, double scale, Rgb c) {
    static char buffer[60000];
    const int quads = stb_easy_font_print(0, 0, const_cast<char*>(s.c_str()), nullptr, buffer, sizeof buffer);
    for (int q = 0; q < quads; ++q) {
      const float* v = reinterpret_cast<const float*>(buffer + q * 64);  // 4 vertices x (x, y, z, colour)
      const double qx0 = v[0], qy0 = v[1], qx1 = v[8], qy1 = v[9];
      rect(static_cast<int>(std::lround(x + qx0 * scale)), static_cast<int>(std::lround(y + qy0 * scale)),
           static_cast<int>(std::lround(x + qx1 * scale)), static_cast<int>(std::lround(y + qy1 * scale)), c);
    }
  }
  static double text_width(const std::string& s, double scale) { return stb_easy_font_width(const_cast<char*>(s.c_str())) * scale; }

 private:
  int n_;
  std::vector<std::uint8_t> px_;
};

// A "nice" axis end and tick step (1, 2, 5 x 10^k) covering `max`.
std::pair<double, double> nice_axis(double max) {
  if (!(max > 0)) max = 1;
  const double raw = max / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  return {std::ceil(max / step) * step, step};
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void write_scatter_png(const ScatterPlot& plot, const std::filesystem::path& png) {
  Canvas c(std::max(200, plot.size_px));
  const int n = c.size();
  const double left = 0.12 * n, right = 0.93 * n, top = 0.10 * n, bottom = 0.88 * n;
  double max_v = 0;
  for (std::size_t i = 0; i < plot.observed.size(); ++i) {
    if (std::isfinite(plot.observed[i])) max_v = std::max(max_v, plot.observed[i]);
    if (std::isfinite(plot.modelled[i])) max_v = std::max(max_v, plot.modelled[i]);
  }
  const auto [axis_max, step] = nice_axis(max_v * 1.02);
  const double span = axis_max;  // clang 14 cannot capture a structured binding in a lambda
  auto px = [&](double v) { return left + v / span * (right - left); };
  auto py = [&](double v) { return bottom - v / span * (bottom - top); };
  const Rgb black{0, 0, 0}, grey{200, 200, 200}, dark{90, 90, 90}, blue{31, 90, 180}, red{200, 60, 40};
  const double font = n / 400.0;
  for (double t = 0; t <= axis_max * 1.0001; t += step) {
    c.line(px(t), top, px(t), bottom, grey, 0.6);
    c.line(left, py(t), right, py(t), grey, 0.6);
    const std::string l = tick_label(t);
    c.text(px(t) - Canvas::text_width(l, font) / 2, bottom + 6 * font, l, font, black);
    c.text(left - Canvas::text_width(l, font) - 5 * font, py(t) - 3.5 * font, l, font, black);
  }
  if (plot.geh_band) {  // GEH = 5 curves: M = C + (25 +- sqrt(625 + 400 C)) / 4
    double prev_hi = 0, prev_lo = 0, prev_x = 0;
    for (int i = 0; i <= 400; ++i) {
      const double x = axis_max * i / 400.0, root = std::sqrt(625 + 400 * x);
      const double hi = x + (25 + root) / 4, lo = std::max(0.0, x + (25 - root) / 4);
      if (i > 0) {
        if (hi <= axis_max) c.line(px(prev_x), py(prev_hi), px(x), py(hi), red, 0.7);
        c.line(px(prev_x), py(prev_lo), px(x), py(lo), red, 0.7);
      }
      prev_x = x, prev_hi = hi, prev_lo = lo;
    }
  }
  c.line(px(0), py(0), px(axis_max), py(axis_max), dark, 1.0);  // 1:1
  for (std::size_t i = 0; i < plot.observed.size(); ++i)
    if (std::isfinite(plot.observed[i]) && std::isfinite(plot.modelled[i]))
      c.disc(px(plot.observed[i]), py(plot.modelled[i]), n / 220.0, blue, 0.55);
  c.line(left, top, left, bottom, black);
  c.line(left, bottom, right, bottom, black);
  // The title at 1.3x the label size, smaller when it would not fit.
  const double title_scale = std::min(font * 1.3, (n - 0.04 * n - left * 0.5) / std::max(1.0, Canvas::text_width(plot.title, 1.0)));
  c.text(left * 0.5, top - 14 * font, plot.title, title_scale, black);
  c.text((left + right) / 2 - Canvas::text_width(plot.x_label, font) / 2, bottom + 18 * font, plot.x_label, font, black);
  c.text(left + 6 * font, top + 4 * font, plot.y_label, font, black);
  std::string legend = "grey: 1:1 line";
  if (plot.geh_band) legend += "   red: GEH = 5";
  c.text(right - Canvas::text_width(legend, font), bottom - 12 * font, legend, font, dark);

  std::vector<unsigned char> bytes;
  auto sink = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<unsigned char>*>(context);
    out->insert(out->end(), static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
  };
  if (!stbi_write_png_to_func(sink, &bytes, n, n, 3, c.pixels().data(), n * 3)) throw IoError("cannot encode the PNG", {.file = png.string()});
  write_atomically(png, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw IoError("cannot write", {.file = tmp.string()});
  });
}

}  // namespace citytwin::geo
