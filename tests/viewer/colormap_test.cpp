#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "viewer/model/colormap.hpp"

using namespace citytwin::viewer;

namespace {
double luminance(Rgba c) {  // relative luminance of sRGB
  auto lin = [](double v) {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
}  // namespace

TEST(ColorMap, ViridisAndMagmaEndpoints) {
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(0), rgb_hex(0x440154));
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(1), rgb_hex(0xfde725));
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(0.5), rgb_hex(0x21908d));
  EXPECT_EQ(ColorMap::get(ColorMapId::Magma).at(0), rgb_hex(0x000004));
  EXPECT_EQ(ColorMap::get(ColorMapId::Magma).at(1), rgb_hex(0xfcfdbf));
  // clamped outside [0, 1]; NaN is "no data"
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(-3), rgb_hex(0x440154));
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(7), rgb_hex(0xfde725));
  EXPECT_EQ(ColorMap::get(ColorMapId::Viridis).at(std::nan("")), kNoDataColor);
}

TEST(ColorMap, SequentialMapsGetLighterMonotonically) {
  // The property that makes them perceptual for ordered data: lightness rises with the value.
  for (ColorMapId id : {ColorMapId::Viridis, ColorMapId::Magma}) {
    const auto lut = ColorMap::get(id).lut();
    for (std::size_t i = 1; i < lut.size(); ++i)
      EXPECT_GE(luminance(lut[i]) + 1e-3, luminance(lut[i - 1])) << colormap_name(id) << " at " << i;
    EXPECT_GT(luminance(lut[255]), luminance(lut[0]) + 0.5);
  }
}

TEST(ColorMap, DivergingIsLightInTheMiddle) {
  const ColorMap& d = ColorMap::get(ColorMapId::Diverging);
  EXPECT_GT(luminance(d.at(0.5)), luminance(d.at(0.0)));
  EXPECT_GT(luminance(d.at(0.5)), luminance(d.at(1.0)));
  EXPECT_GT(d.at(0).b, d.at(0).r);  // negative = blue
  EXPECT_GT(d.at(1).r, d.at(1).b);  // positive = red
}

TEST(ColorMap, WindowKeepsTheMapOrder) {
  ColorMap cm = ColorMap::get(ColorMapId::Viridis);
  cm.set_window(0.25, 1.0);
  EXPECT_EQ(cm.at(0), ColorMap::get(ColorMapId::Viridis).at(0.25));
  EXPECT_EQ(cm.at(1), ColorMap::get(ColorMapId::Viridis).at(1));
}

TEST(ColorMap, CategoricalColoursAreDistinctAndIndexedByTexel) {
  const ColorMap& rc = ColorMap::get(ColorMapId::RoadClass);
  ASSERT_TRUE(rc.categorical());
  std::set<std::uint32_t> seen;
  for (std::size_t k = 0; k < rc.categories(); ++k) seen.insert(rc.category(k).packed_abgr());
  EXPECT_EQ(seen.size(), rc.categories());
  const auto lut = rc.lut();
  for (std::size_t k = 0; k < rc.categories(); ++k) {
    EXPECT_EQ(lut[k], rc.category(k));
    EXPECT_EQ(rc.at(category_coord(k)), rc.category(k));
  }
}

TEST(ColorMap, NormaliseClampsAndFlagsNoData) {
  EXPECT_FLOAT_EQ(normalise(5, 0, 10), 0.5f);
  EXPECT_FLOAT_EQ(normalise(-5, 0, 10), 0.0f);
  EXPECT_FLOAT_EQ(normalise(50, 0, 10), 1.0f);
  EXPECT_FLOAT_EQ(normalise(std::nan(""), 0, 10), kNoData);
  EXPECT_FLOAT_EQ(normalise(3, 2, 2), 0.5f);  // empty range
}

TEST(ColorMap, NiceTicksAndLabels) {
  EXPECT_EQ(nice_ticks(0, 1.2, 5), (std::vector<double>{0, 0.5, 1.0}));
  EXPECT_EQ(nice_ticks(3800, 7100, 5), (std::vector<double>{4000, 5000, 6000, 7000}));
  EXPECT_EQ(nice_ticks(-2, 2, 5), (std::vector<double>{-2, -1, 0, 1, 2}));
  EXPECT_EQ(nice_ticks(-40.15, 40.15, 5), (std::vector<double>{-40, -20, 0, 20, 40}));  // not just {0}
  for (double hi : {0.013, 0.7, 3.3, 47.0, 1234.0, 9.9e6}) {
    const auto t = nice_ticks(-hi, hi, 5);
    EXPECT_GE(t.size(), 3u) << hi;
    EXPECT_LE(t.size(), 5u) << hi;
  }
  EXPECT_EQ(format_value(1234567), "1.23M");
  EXPECT_EQ(format_value(0.4567), "0.457");
  EXPECT_EQ(format_value(12500), "12.5k");
  EXPECT_EQ(format_value(250), "250");
}
