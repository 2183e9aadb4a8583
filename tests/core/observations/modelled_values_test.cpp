#include <gtest/gtest.h>

#include <vector>

#include "core/observations/modelled_values.hpp"

namespace citytwin::observations {
namespace {

TEST(ModelledValues, BearingOfThePolylineWhereThePointIsNearest) {
  LineColumn lines;
  const std::vector<Point2> l = {{0, 0}, {0, 100}, {100, 100}};  // north, then east
  lines.add(l);
  double d = 0;
  EXPECT_NEAR(polyline_bearing_at(lines, 0, {3, 40}, &d), 0, 1e-12);
  EXPECT_NEAR(d, 3, 1e-12);
  EXPECT_NEAR(polyline_bearing_at(lines, 0, {60, 95}), 90, 1e-12);
  LineColumn back;
  const std::vector<Point2> r = {{100, 100}, {0, 100}, {0, 0}};  // west, then south
  back.add(r);
  EXPECT_NEAR(polyline_bearing_at(back, 0, {60, 95}), 270, 1e-12);
  EXPECT_NEAR(polyline_bearing_at(back, 0, {3, 40}), 180, 1e-12);
  LineColumn diagonal;
  const std::vector<Point2> ne = {{0, 0}, {10, 10}};
  diagonal.add(ne);
  EXPECT_NEAR(polyline_bearing_at(diagonal, 0, {5, 5}), 45, 1e-12);
}

TEST(ModelledValues, BearingDifferenceWrapsAround) {
  EXPECT_DOUBLE_EQ(bearing_difference(350, 10), 20);
  EXPECT_DOUBLE_EQ(bearing_difference(10, 350), 20);
  EXPECT_DOUBLE_EQ(bearing_difference(0, 180), 180);
  EXPECT_DOUBLE_EQ(bearing_difference(90, 90), 0);
  EXPECT_DOUBLE_EQ(bearing_difference(-90, 270), 0);
}

TEST(ModelledValues, SubstationPowerIsTheLoadOfItsEnergisedBuses) {
  PowerGrid g;
  g.bus_substation = {0, 0, 1, -1};
  g.bus_x.assign(4, 0);
  g.substation_x.assign(2, 0);
  g.branch_rating_mva = {50};
  g.branch_from = {0};
  coupling::HourResult h;
  h.bus_load_mw = {2, 3, 7, 100};
  h.bus_energised = {1, 1, 0, 1};
  h.branch_loading_pct = {-40};
  const auto p = substation_p_mw(g, h);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_DOUBLE_EQ(p[0], 5);
  EXPECT_DOUBLE_EQ(p[1], 0);  // its only bus is dark
  EXPECT_DOUBLE_EQ(branch_flow_mw(g, h)[0], 20);
}

}  // namespace
}  // namespace citytwin::observations
