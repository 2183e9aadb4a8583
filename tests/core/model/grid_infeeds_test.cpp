// Assumed infeeds for grid islands: every island with a substation and no
// slack gets exactly one, at its highest-voltage then largest substation;
// islands already supplied and islands without a substation are left alone.
#include <gtest/gtest.h>

#include "core/model/grid_infeeds.hpp"

namespace citytwin {
namespace {

// Bus with optional substation (capacity in MVA, -1: none).
void add_bus(PowerGrid& g, double kv, double capacity_mva, BusType type = BusType::PQ) {
  g.bus_x.push_back(static_cast<double>(g.bus_count()));
  g.bus_y.push_back(0);
  g.bus_kv.push_back(kv);
  g.bus_type.push_back(type);
  g.bus_energised.push_back(1);
  if (capacity_mva < 0) {
    g.bus_substation.push_back(-1);
    return;
  }
  g.bus_substation.push_back(static_cast<std::int32_t>(g.substation_count()));
  g.substation_x.push_back(0);
  g.substation_y.push_back(0);
  g.substation_capacity_mva.push_back(capacity_mva);
  g.substation_name.push_back(std::string("S").append(std::to_string(g.substation_count())));
  g.substation_bus.push_back(static_cast<std::uint32_t>(g.bus_count() - 1));
}

void connect(PowerGrid& g, std::uint32_t a, std::uint32_t b, bool in_service = true) {
  g.branch_from.push_back(a);
  g.branch_to.push_back(b);
  g.branch_in_service.push_back(in_service ? 1 : 0);
}

PowerGrid three_islands() {
  PowerGrid g;
  add_bus(g, 132, 100, BusType::Slack);  // 0: main island with the slack
  add_bus(g, 11, 20);                    // 1
  connect(g, 0, 1);
  add_bus(g, 11, 40);                    // 2: island A, the 33 kV bus 3 is its supply point
  add_bus(g, 33, 10);                    // 3
  add_bus(g, 33, 30);                    // 4: same voltage, larger -> chosen
  connect(g, 2, 3);
  connect(g, 3, 4);
  add_bus(g, 11, -1);                    // 5: island B: a line end with no substation
  add_bus(g, 11, -1);                    // 6
  connect(g, 5, 6);
  add_bus(g, 11, 5);                     // 7: joined to the main island only by an out-of-service branch
  connect(g, 1, 7, false);
  return g;
}

TEST(GridInfeeds, CountsIslandsAndUnsuppliedBuses) {
  const PowerGrid g = three_islands();
  const IslandSupply s = island_supply(g);
  EXPECT_EQ(s.islands, 4);
  EXPECT_EQ(s.unsupplied_buses, 6);  // buses 2-7
  EXPECT_EQ(s.assumed_infeeds, 0);
}

TEST(GridInfeeds, OneInfeedPerIslandWithASubstation) {
  PowerGrid g = three_islands();
  const IslandSupply s = assume_island_infeeds(g);
  EXPECT_EQ(s.assumed_infeeds, 2);     // island A and the bus behind the open branch
  EXPECT_EQ(s.unsupplied_buses, 2);    // island B has nothing to feed it from
  ASSERT_EQ(g.gen_bus.size(), 2u);
  EXPECT_EQ(g.gen_bus[0], 4u);         // highest voltage, then largest substation
  EXPECT_EQ(g.gen_bus[1], 7u);
  EXPECT_EQ(g.bus_type[4], BusType::Slack);
  EXPECT_EQ(g.bus_type[3], BusType::PQ);
  EXPECT_EQ(g.bus_type[0], BusType::Slack);  // the main slack stays
  EXPECT_EQ(g.gen_p_mw.size(), g.gen_bus.size());
  EXPECT_EQ(g.gen_q_max_mvar.size(), g.gen_bus.size());
  // A second call finds nothing left to supply.
  EXPECT_EQ(assume_island_infeeds(g).assumed_infeeds, 0);
  EXPECT_EQ(g.gen_bus.size(), 2u);
}

}  // namespace
}  // namespace citytwin
