// The grid assembler both importers share, against hand calculations: a line's
// per-unit impedance from per-km values, the 10 % transformer, the slack.
#include <gtest/gtest.h>

#include <numbers>
#include <vector>

#include "geo/import/grid_assembly.hpp"

namespace citytwin::geo {
namespace {

PowerGrid two_substations(double kv_a, double mva_a, double kv_b, double mva_b) {
  PowerGrid g;
  const std::vector<PowerGrid::Rings> shape{{{{0, 0}, {30, 0}, {30, 30}, {0, 30}, {0, 0}}}};
  const double kv[] = {kv_a, kv_b}, mva[] = {mva_a, mva_b};
  for (int k = 0; k < 2; ++k) {
    const std::uint32_t s = g.add_substation({.shape = shape, .capacity_mva = mva[k], .name = "S"});
    g.substation_bus[s] = g.add_bus({.at = {15.0 + 1000 * k, 15}, .kv = kv[k], .substation = static_cast<std::int32_t>(s)});
  }
  return g;
}

TEST(GridAssembly, LineImpedancePerUnitByHand) {
  PowerGrid g = two_substations(110, 40, 110, 40);
  const std::vector<Point2> route{{15, 15}, {1015, 15}};
  const std::uint32_t i = add_line(g, {.from = 0, .to = 1, .kv = 110, .km = 10, .circuits = 2,
                                       .per_km = {.r_ohm = 0.12, .x_ohm = 0.4, .c_nf = 9}, .rating_mva = 180,
                                       .geometry = route, .source = 0, .feature = 3});
  // Z_base = 110^2 / 100 = 121 ohm; two circuits halve R and X and double B.
  EXPECT_NEAR(g.branch_r[i], 0.12 * 10 / 2 / 121, 1e-15);  // 0.0049587 pu
  EXPECT_NEAR(g.branch_x[i], 0.4 * 10 / 2 / 121, 1e-15);   // 0.0165289 pu
  EXPECT_NEAR(g.branch_b[i], 2 * std::numbers::pi * 50 * 9e-9 * 10 * 2 * 121, 1e-15);  // 0.0068424 pu
  EXPECT_EQ(g.branch_kind[i], BranchKind::Line);
  EXPECT_EQ(g.branch_rating_mva[i], 180);
  EXPECT_EQ(g.branch_source.feature[i], 3);
  EXPECT_NO_THROW(g.check_consistency(1));
}

TEST(GridAssembly, TransformerIsTenPercentOnItsRatingWithXOverR20) {
  PowerGrid g = two_substations(110, 40, 20, 40);
  const std::uint32_t i = add_transformer(g, 1, 0, 40);
  EXPECT_DOUBLE_EQ(g.branch_x[i], 0.25);  // 0.10 * 100 MVA / 40 MVA
  EXPECT_DOUBLE_EQ(g.branch_r[i], 0.0125);
  EXPECT_EQ(g.branch_b[i], 0);
  EXPECT_EQ(g.branch_kind[i], BranchKind::Transformer);
  EXPECT_TRUE(g.branch_source.inferred(i));
  EXPECT_EQ(g.branch_geometry.point(i, 0).x, 1015);  // drawn from -> to
  EXPECT_EQ(g.branch_geometry.point(i, 1).x, 15);
}

TEST(GridAssembly, SlackAtHighestVoltageThenLargestSubstation) {
  EXPECT_EQ(bulk_supply_bus(two_substations(20, 90, 110, 40)), 1u);   // voltage first
  EXPECT_EQ(bulk_supply_bus(two_substations(110, 40, 110, 90)), 1u);  // then capacity
  EXPECT_EQ(bulk_supply_bus(two_substations(110, 40, 110, 40)), 0u);  // the first of equals
  PowerGrid g = two_substations(110, 40, 20, 40);
  make_slack(g, 0);
  EXPECT_EQ(g.bus_type[0], BusType::Slack);
  ASSERT_EQ(g.generator_count(), 1u);
  EXPECT_EQ(g.gen_bus[0], 0u);
  EXPECT_EQ(g.gen_vm_pu[0], 1.0);
  EXPECT_NO_THROW(g.check_consistency(0));
}

}  // namespace
}  // namespace citytwin::geo
