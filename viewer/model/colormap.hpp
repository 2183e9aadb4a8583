#pragma once
// Colour maps for the map layers. Continuous maps are perceptually uniform
// (viridis, magma: matplotlib's maps, represented here by 9 anchor colours
// each, interpolated linearly in sRGB, which stays within a few 1/255 of the
// full tables) or diverging (blue - light grey - red, ColorBrewer RdBu
// anchors) for scenario - baseline differences. Categorical maps are fixed
// palettes. The GL renderer uploads lut() as a 256-texel texture; the legend
// and the tests use the same function, so what is drawn is what is tested.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin::viewer {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
  std::uint32_t packed_abgr() const {  // ImGui's IM_COL32 layout
    return std::uint32_t(r) | std::uint32_t(g) << 8 | std::uint32_t(b) << 16 | std::uint32_t(a) << 24;
  }
};
Rgba rgb_hex(std::uint32_t hex, std::uint8_t alpha = 255);

enum class ColorMapId : std::uint8_t { Viridis, Magma, Diverging, RoadClass, Binary, Count };
const char* colormap_name(ColorMapId id);

class ColorMap {
 public:
  static const ColorMap& get(ColorMapId id);

  ColorMapId id() const { return id_; }
  bool categorical() const { return categorical_; }
  // Continuous: t in [0,1] (clamped). Categorical: t = category_coord(k).
  Rgba at(double t) const;
  // Categorical maps: the colour of category k.
  Rgba category(std::size_t k) const;
  std::size_t categories() const { return anchors_.size(); }
  // A window of the map [lo, hi] used for t in [0,1] (so the darkest end of a
  // map can be kept off a dark background); the legend shows the same window.
  void set_window(double lo, double hi);
  double window_lo() const { return lo_; }
  double window_hi() const { return hi_; }
  // 256 colours: continuous maps sampled at (i / 255); categorical maps hold
  // category k in texel k (the renderer indexes with nearest sampling).
  std::array<Rgba, 256> lut() const;

  ColorMap(ColorMapId id, std::vector<Rgba> anchors, bool categorical);

 private:
  ColorMapId id_;
  std::vector<Rgba> anchors_;
  bool categorical_ = false;
  double lo_ = 0, hi_ = 1;
};

// Per-feature value -> lookup coordinate for the renderer. Values map to
// [0,1] through (v - lo) / (hi - lo), clamped; no-data and hidden features get
// sentinels the shader recognises.
inline constexpr float kNoData = -1.0f;  // drawn in the neutral "no data" grey
inline constexpr float kHidden = -2.0f;  // not drawn (filtered out, closed in scenario view ...)
float normalise(double value, double lo, double hi);
// Lookup coordinate of category k of a categorical map (texel k of the LUT).
inline float category_coord(std::size_t k) { return float(k) / 255.0f; }

// The neutral grey for features without data.
inline constexpr Rgba kNoDataColor{120, 120, 120, 255};

// "Nice" ticks for a legend: 1/2/5 x 10^k steps covering [lo, hi], at most max_ticks.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);
// Short number for legends and tooltips: 1234567 -> "1.23M", 0.4567 -> "0.457".
std::string format_value(double v);

}  // namespace citytwin::viewer
