// PowerGrid's builders (add_bus / add_branch / add_substation / add_generator)
// keep every column of a table the same length, and check_consistency()
// catches each way a hand-built grid can go wrong: columns of different
// lengths, ids out of range, a branch from a bus to itself.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/common/errors.hpp"
#include "core/model/twin.hpp"

namespace citytwin {
namespace {

const PowerGrid::Rings kSquare{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}};

// Two substations (110 kV, 20 kV), one line between their buses, a slack.
PowerGrid small_grid() {
  PowerGrid g;
  const std::vector<PowerGrid::Rings> shape{kSquare};
  for (int k = 0; k < 2; ++k) {
    const std::uint32_t s = g.add_substation({.shape = shape, .capacity_mva = 40, .name = std::string("S").append(std::to_string(k)), .source = 0, .feature = k});
    g.substation_bus[s] = g.add_bus({.at = {5, 5}, .kv = k == 0 ? 110.0 : 20.0, .substation = static_cast<std::int32_t>(s), .source = 0, .feature = k});
  }
  const std::vector<Point2> line{{5, 5}, {50, 5}};
  g.add_branch({.from = 0, .to = 1, .kind = BranchKind::Cable, .r = 0.01, .x = 0.02, .b = 0.001, .rating_mva = 30, .geometry = line, .source = 1, .feature = 7});
  g.add_generator({.bus = 0});
  return g;
}

// The InvalidInput message of check_consistency, or "" when it passes.
std::string check_message(const PowerGrid& g, std::size_t sources = 2) {
  try {
    g.check_consistency(sources);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

TEST(PowerGridBuilders, AppendOneElementToEveryColumn) {
  const PowerGrid g = small_grid();
  EXPECT_EQ(check_message(g), "");
  ASSERT_EQ(g.bus_count(), 2u);
  ASSERT_EQ(g.branch_count(), 1u);
  ASSERT_EQ(g.substation_count(), 2u);
  ASSERT_EQ(g.generator_count(), 1u);
  EXPECT_EQ(g.bus_kv[1], 20.0);
  EXPECT_EQ(g.bus_type[1], BusType::PQ);
  EXPECT_EQ(g.bus_energised[1], 1);
  EXPECT_EQ(g.bus_substation[1], 1);
  EXPECT_EQ(g.bus_source.feature[1], 1);
  EXPECT_EQ(g.substation_bus[1], 1u);
  EXPECT_EQ(g.substation_name[1], "S1");
  // The substation's x, y are its shape's centroid (a 10 m square at the origin).
  EXPECT_DOUBLE_EQ(g.substation_x[0], 5.0);
  EXPECT_DOUBLE_EQ(g.substation_y[0], 5.0);
  EXPECT_EQ(g.branch_kind[0], BranchKind::Cable);
  EXPECT_EQ(g.branch_in_service[0], 1);
  EXPECT_EQ(g.branch_geometry.points(0), 2u);
  EXPECT_EQ(g.branch_source.source[0], 1u);
  EXPECT_EQ(g.gen_vm_pu[0], 1.0);
  EXPECT_EQ(g.gen_q_max_mvar[0], 1e9);
}

TEST(PowerGridBuilders, RefuseIdsOutOfRangeAndSelfLoops) {
  PowerGrid g = small_grid();
  EXPECT_THROW(g.add_branch({.from = 0, .to = 2}), std::out_of_range);
  EXPECT_THROW(g.add_branch({.from = 1, .to = 1}), std::invalid_argument);
  EXPECT_THROW(g.add_bus({.kv = 10, .substation = 2}), std::out_of_range);
  EXPECT_THROW(g.add_generator({.bus = 5}), std::out_of_range);
  EXPECT_EQ(check_message(g), "") << "a refused element leaves nothing behind";
  EXPECT_EQ(g.branch_count(), 1u);
  EXPECT_EQ(g.bus_count(), 2u);
}

TEST(PowerGridConsistency, CatchesColumnsOfDifferentLengths) {
  {
    PowerGrid g = small_grid();
    g.bus_kv.push_back(10);
    EXPECT_NE(check_message(g).find("grid.bus_kv has 3 entries"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.branch_rating_mva.pop_back();
    EXPECT_NE(check_message(g).find("grid.branch_rating_mva has 0 entries"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.substation_name.push_back("extra");
    EXPECT_NE(check_message(g).find("grid.substation_name"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.gen_p_mw.push_back(1);
    EXPECT_NE(check_message(g).find("grid.gen_p_mw"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.branch_source.add(0, 1);
    EXPECT_NE(check_message(g).find("grid.branch_source"), std::string::npos) << check_message(g);
  }
}

TEST(PowerGridConsistency, CatchesIdsOutOfRange) {
  {
    PowerGrid g = small_grid();
    g.branch_to[0] = 7;
    EXPECT_NE(check_message(g).find("grid.branch_to[0] is 7, outside the 2 buses"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.branch_from[0] = 2;
    EXPECT_NE(check_message(g).find("grid.branch_from[0]"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.substation_bus[1] = PowerGrid::kUnsetBus;  // a builder that never set it
    EXPECT_NE(check_message(g).find("grid.substation_bus[1]"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.bus_substation[0] = 2;
    EXPECT_NE(check_message(g).find("grid.bus_substation[0]"), std::string::npos) << check_message(g);
  }
  {
    PowerGrid g = small_grid();
    g.gen_bus[0] = 3;
    EXPECT_NE(check_message(g).find("grid.gen_bus[0]"), std::string::npos) << check_message(g);
  }
  {
    const PowerGrid g = small_grid();  // branch source 1: one source layer is too few
    EXPECT_NE(check_message(g, 1).find("grid.branch_source.source[0]"), std::string::npos) << check_message(g, 1);
  }
}

TEST(PowerGridConsistency, CatchesABranchToItself) {
  PowerGrid g = small_grid();
  g.branch_to[0] = g.branch_from[0];
  const std::string m = check_message(g);
  EXPECT_NE(m.find("grid.branch_to[0]"), std::string::npos) << m;
  EXPECT_NE(m.find("itself"), std::string::npos) << m;
  EXPECT_NE(m.find("inconsistent power grid"), std::string::npos) << m;
}

TEST(PowerGridConsistency, CatchesNonFiniteNumbers) {
  PowerGrid g = small_grid();
  g.branch_x[0] = std::nan("");
  EXPECT_NE(check_message(g).find("grid.branch_x[0]"), std::string::npos) << check_message(g);
}

}  // namespace
}  // namespace citytwin
