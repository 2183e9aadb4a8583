#include "viewer/model/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace citytwin::viewer {

Rgba rgb_hex(std::uint32_t hex, std::uint8_t alpha) {
  return {std::uint8_t(hex >> 16 & 0xFF), std::uint8_t(hex >> 8 & 0xFF), std::uint8_t(hex & 0xFF), alpha};
}

const char* colormap_name(ColorMapId id) {
  switch (id) {
    case ColorMapId::Viridis: return "viridis";
    case ColorMapId::Magma: return "magma";
    case ColorMapId::Diverging: return "diverging (blue-red)";
    case ColorMapId::RoadClass: return "road class";
    case ColorMapId::Binary: return "yes / no";
    case ColorMapId::Count: break;
  }
  return "unknown";
}

namespace {
std::vector<Rgba> hexes(std::initializer_list<std::uint32_t> list) {
  std::vector<Rgba> out;
  for (auto h : list) out.push_back(rgb_hex(h));
  return out;
}
}  // namespace

ColorMap::ColorMap(ColorMapId id, std::vector<Rgba> anchors, bool categorical)
    : id_(id), anchors_(std::move(anchors)), categorical_(categorical) {}

const ColorMap& ColorMap::get(ColorMapId id) {
  // Anchors: viridis and magma at t = 0, 1/8, ..., 1 (matplotlib's values);
  // the diverging map is ColorBrewer RdBu (9 classes) from blue to red.
  static const std::array<ColorMap, static_cast<std::size_t>(ColorMapId::Count)> maps = {
      ColorMap(ColorMapId::Viridis,
               hexes({0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32, 0xfde725}),
               false),
      ColorMap(ColorMapId::Magma,
               hexes({0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55964, 0xfb8761, 0xfec287, 0xfcfdbf}),
               false),
      ColorMap(ColorMapId::Diverging,
               hexes({0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b}),
               false),
      // One colour per RoadClass, most important first (motorway red ... connector dim blue).
      ColorMap(ColorMapId::RoadClass,
               hexes({0xe8464b, 0xf28e2b, 0xf5c842, 0x8cd17d, 0x4fb0a6, 0xb0a8a0, 0xd6d2cc, 0x8a8a8a, 0xc39bd3, 0x4e79a7}),
               true),
      ColorMap(ColorMapId::Binary, hexes({0xe8464b, 0x4e9fe0}), true),  // 0 = no (red), 1 = yes (blue)
  };
  const auto i = static_cast<std::size_t>(id);
  if (i >= maps.size()) throw std::out_of_range("unknown colour map");
  return maps[i];
}

void ColorMap::set_window(double lo, double hi) {
  lo_ = std::clamp(lo, 0.0, 1.0);
  hi_ = std::clamp(hi, lo_, 1.0);
}

Rgba ColorMap::category(std::size_t k) const { return anchors_[std::min(k, anchors_.size() - 1)]; }

Rgba ColorMap::at(double t) const {
  if (categorical_) return category(std::size_t(std::lround(std::clamp(t, 0.0, 1.0) * 255.0)));
  if (!std::isfinite(t)) return kNoDataColor;
  t = lo_ + std::clamp(t, 0.0, 1.0) * (hi_ - lo_);
  const double pos = t * double(anchors_.size() - 1);
  const std::size_t i = std::min(std::size_t(pos), anchors_.size() - 2);
  const double f = pos - double(i);
  const Rgba& a = anchors_[i];
  const Rgba& b = anchors_[i + 1];
  auto mix = [f](std::uint8_t x, std::uint8_t y) {
    return std::uint8_t(std::lround(double(x) + (double(y) - double(x)) * f));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), 255};
}

std::array<Rgba, 256> ColorMap::lut() const {
  std::array<Rgba, 256> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = categorical_ ? category(std::min(i, anchors_.size() - 1)) : at(double(i) / 255.0);
  return out;
}

float normalise(double value, double lo, double hi) {
  if (!std::isfinite(value)) return kNoData;
  if (!(hi > lo)) return 0.5f;
  return float(std::clamp((value - lo) / (hi - lo), 0.0, 1.0));
}

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> out;
  if (!std::isfinite(lo) || !std::isfinite(hi) || max_ticks < 2) return out;
  if (hi <= lo) return {lo};
  // the densest 1/2/5 x 10^k step that gives at most max_ticks ticks
  const double raw = (hi - lo) / double(max_ticks - 1);
  const double p10 = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * p10;
  for (double m : {1.0, 2.0, 5.0, 10.0, 20.0}) {
    const double st = m * p10;
    const double count = std::floor(hi / st + 1e-9) - std::ceil(lo / st - 1e-9) + 1;
    if (count <= max_ticks) {
      step = st;
      break;
    }
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

std::string format_value(double v) {
  char buf[48];
  const double a = std::abs(v);
  if (!std::isfinite(v)) return "n/a";
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.3gG", v / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  else if (a >= 100 || v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace citytwin::viewer
