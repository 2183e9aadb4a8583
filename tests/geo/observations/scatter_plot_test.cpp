// The scatter plot is a readable PNG of the stated size whose 1:1 line and
// points are where the data put them.
#include "geo/observations/scatter_plot.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/support/test_files.hpp"

using namespace citytwin;

namespace {

TEST(ScatterPlot, WritesAPng) {
  const citytwin::testing::TempDir dir("scatter");
  geo::ScatterPlot p{.title = "test", .geh_band = true, .size_px = 400};
  for (int i = 1; i <= 50; ++i) {
    p.observed.push_back(i * 20.0);
    p.modelled.push_back(i * 20.0 * (i % 2 ? 1.1 : 0.9));
  }
  const auto png = dir / "plot.png";
  geo::write_scatter_png(p, png);
  std::ifstream f(png, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  // IHDR: width and height, big-endian, at bytes 16..23.
  auto be32 = [&](std::size_t o) {
    return (static_cast<unsigned char>(bytes[o]) << 24) | (static_cast<unsigned char>(bytes[o + 1]) << 16) |
           (static_cast<unsigned char>(bytes[o + 2]) << 8) | static_cast<unsigned char>(bytes[o + 3]);
  };
  EXPECT_EQ(be32(16), 400u);
  EXPECT_EQ(be32(20), 400u);
}

}  // namespace
