#include "core/model/geometry_columns.hpp"

#include <gtest/gtest.h>

using namespace citytwin;

namespace {
// A 10 x 10 square with a 2 x 2 hole at (4..6, 4..6), plus a 1 x 1 island at (20, 20).
PolygonColumn square_with_hole_and_island() {
  PolygonColumn c;
  c.begin_feature();
  c.add_polygon({{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{4, 4}, {4, 6}, {6, 6}, {6, 4}}});
  c.add_polygon({{{20, 20}, {21, 20}, {21, 21}, {20, 21}}});
  return c;
}
}  // namespace

TEST(PolygonColumn, AreaSubtractsHolesAndAddsParts) {
  const auto c = square_with_hole_and_island();
  EXPECT_DOUBLE_EQ(c.area(0), 100.0 - 4.0 + 1.0);
}

TEST(PolygonColumn, ContainsRespectsHolesAndParts) {
  const auto c = square_with_hole_and_island();
  EXPECT_TRUE(c.contains(0, {1, 1}));
  EXPECT_FALSE(c.contains(0, {5, 5}));   // in the hole
  EXPECT_TRUE(c.contains(0, {20.5, 20.5}));
  EXPECT_FALSE(c.contains(0, {15, 15}));
}

TEST(PolygonColumn, CentroidOfSymmetricShapeIsItsCentre) {
  PolygonColumn c;
  c.begin_feature();
  c.add_polygon({{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{4, 4}, {4, 6}, {6, 6}, {6, 4}}});
  const Point2 p = c.centroid(0);
  EXPECT_NEAR(p.x, 5.0, 1e-12);
  EXPECT_NEAR(p.y, 5.0, 1e-12);
}

TEST(PolygonColumn, CentroidOfLShapeMatchesHandComputation) {
  // L made of a 2x1 and a 1x1 square: centroid = ((1*0.5*2 ... )) computed by parts.
  PolygonColumn c;
  c.begin_feature();
  c.add_polygon({{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}});
  const Point2 p = c.centroid(0);
  // parts: [0,2]x[0,1] area 2 centroid (1, .5); [0,1]x[1,2] area 1 centroid (.5, 1.5)
  EXPECT_NEAR(p.x, (2 * 1.0 + 1 * 0.5) / 3, 1e-12);
  EXPECT_NEAR(p.y, (2 * 0.5 + 1 * 1.5) / 3, 1e-12);
}

TEST(LineColumn, LengthAndBounds) {
  LineColumn l;
  const std::vector<Point2> pts{{0, 0}, {3, 4}, {3, 10}};
  l.add(pts);
  EXPECT_DOUBLE_EQ(l.length(0), 11.0);
  const Box2 b = l.bounds(0);
  EXPECT_EQ(b.min_x, 0);
  EXPECT_EQ(b.max_y, 10);
}
