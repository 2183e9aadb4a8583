// The demand inputs beyond the districts' gravity model: given OD matrices
// (CSV and TNTP), congested-time feedback into distribution, and the
// quasi-dynamic carry-over of vehicles held back at bottlenecks.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/demand_feedback.hpp"
#include "core/coupling/given_od.hpp"
#include "core/coupling/road_model.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/road_graph_builder.hpp"
#include "small_city.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using namespace citytwin::coupling;
using citytwin::testing::small_city;

namespace {

std::filesystem::path write(const std::string& name, const std::string& text) {
  static const citytwin::testing::TempDir scratch("od_inputs");
  return scratch.write(name, text);
}

void expect_invalid(const std::filesystem::path& p, const std::vector<std::string>& zones, std::initializer_list<std::string> needles) {
  try {
    read_given_od(p, zones);
    ADD_FAILURE() << "expected an error for " << p;
  } catch (const InvalidInput& e) {
    for (const auto& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << n << " missing in: " << e.what();
  }
}

}  // namespace

TEST(GivenOd, CsvByNameOrNumberInAnyColumnOrder) {
  const std::vector<std::string> zones = {"Harbour", "Old Town", "7"};
  const auto p = write("ok.csv",
                       "trips,hour,destination,origin,note\n"
                       "120.5,8,Old Town,Harbour,a\n"
                       "30,8,3,2,zone numbers\n"
                       "\"12\",17,\"Harbour\",\"Old Town\",\"quoted, with comma\"\n"
                       "0,9,Harbour,Old Town,zero\n"
                       "4,8,Harbour,Harbour,intrazonal\n"
                       "\n");
  const GivenOd od = read_given_od(p, zones);
  EXPECT_EQ(od.format, "csv");
  EXPECT_EQ(od.zones, 3u);
  EXPECT_EQ(od.rows, 5);
  EXPECT_EQ(od.zero_rows, 1);
  EXPECT_EQ(od.intrazonal_rows, 1);
  EXPECT_DOUBLE_EQ(od.total, 120.5 + 30 + 12 + 4);
  const auto h8 = od.hour(8);
  EXPECT_DOUBLE_EQ(h8[0 * 3 + 1], 120.5);
  EXPECT_DOUBLE_EQ(h8[1 * 3 + 2], 30);  // "3" is not a name here: zone number 3
  EXPECT_DOUBLE_EQ(h8[0], 4);
  EXPECT_DOUBLE_EQ(od.hour(17)[1 * 3 + 0], 12);
  for (double v : od.hour(9)) EXPECT_EQ(v, 0);
  // A district named "7" is matched by name, not taken as zone number 7.
  const auto by_name = write("name.csv", "origin,destination,hour,trips\n7,1,0,5\n");
  EXPECT_DOUBLE_EQ(read_given_od(by_name, zones).hour(0)[2 * 3 + 0], 5);
}

TEST(GivenOd, CsvErrorsNameFileLineAndField) {
  const std::vector<std::string> zones = {"A", "B"};
  expect_invalid(write("zone.csv", "origin,destination,hour,trips\nA,B,8,1\nA,Nowhere,8,1\n"), zones,
                 {"zone.csv", "line 3", "destination", "Nowhere", "1..2"});
  expect_invalid(write("hour.csv", "origin,destination,hour,trips\nA,B,24,1\n"), zones, {"line 2", "hour", "0..23"});
  expect_invalid(write("frac.csv", "origin,destination,hour,trips\nA,B,7.5,1\n"), zones, {"line 2", "hour"});
  expect_invalid(write("neg.csv", "origin,destination,hour,trips\nA,B,8,-3\n"), zones, {"line 2", "trips", "-3"});
  expect_invalid(write("nan.csv", "origin,destination,hour,trips\nA,B,8,nan\n"), zones, {"line 2", "trips"});
  expect_invalid(write("dup.csv", "origin,destination,hour,trips\nA,B,8,1\nB,A,8,1\nA,B,8,2\n"), zones, {"line 4", "twice", "line 2"});
  expect_invalid(write("cols.csv", "from,to,hour,trips\nA,B,8,1\n"), zones, {"line 1", "origin"});
  expect_invalid(write("short.csv", "origin,destination,hour,trips\nA,B,8\n"), zones, {"line 2", "trips"});
  expect_invalid(write("empty.csv", ""), zones, {"empty"});
  expect_invalid(write("norows.csv", "origin,destination,hour,trips\n"), zones, {"no rows"});
  EXPECT_THROW(read_given_od("/nonexistent/od.csv", zones), IoError);
}

TEST(GivenOd, TntpTripsAreOneHourUsedForEveryHour) {
  const std::vector<std::string> zones = {"A", "B"};
  const auto p = write("trips.tntp",
                       "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 300.0\n<END OF METADATA>\n\n"
                       "Origin  1\n    1 :      0.0;     2 :    200.0;\n\nOrigin  2\n    1 :    100.0;\n");
  const GivenOd od = read_given_od(p, zones);
  EXPECT_EQ(od.format, "tntp");
  EXPECT_DOUBLE_EQ(od.total, 300);
  for (int h = 0; h < 24; ++h) {
    EXPECT_DOUBLE_EQ(od.hour(h)[1], 200);
    EXPECT_DOUBLE_EQ(od.hour(h)[2], 100);
  }
  // Sioux Falls has 24 zones, not 2.
  expect_invalid(std::filesystem::path(CITYTWIN_REFERENCE_DATA) / "tntp/SiouxFalls/SiouxFalls_trips.tntp", zones, {"24 zones", "2 districts"});
}

// An OD file holding exactly the districts' vehicle matrices reproduces the default run bit for bit.
TEST(GivenOd, CsvOfTheGravityMatricesReproducesTheDefaultRun) {
  const Twin& t = small_city();
  const Scenario base;
  const RoadModel roads(t.roads);
  const DailyDemand dd = daily_demand(t, base, roads);
  const std::size_t Z = dd.zones;
  std::string csv = "origin,destination,hour,trips\n";
  for (int h : {7, 8}) {
    const auto v = dd.vehicles(h, base);
    char buf[128];
    for (std::size_t i = 0; i < Z; ++i)
      for (std::size_t j = 0; j < Z; ++j)
        if (v[i * Z + j] > 0) {
          std::snprintf(buf, sizeof buf, "%zu,%zu,%d,%.17g\n", i + 1, j + 1, h, v[i * Z + j]);
          csv += buf;
        }
  }
  Scenario given;
  given.given_od = std::make_shared<const GivenOd>(read_given_od(write("gravity.csv", csv), t.districts.name));
  SimulationOptions o;
  o.hours = {7, 8};
  const auto a = simulate(t, base, o), b = simulate(t, given, o);
  EXPECT_EQ(b.demand_source, given.given_od->source);
  ASSERT_EQ(a.hours.size(), b.hours.size());
  for (std::size_t k = 0; k < a.hours.size(); ++k) {
    EXPECT_GT(a.hours[k].totals.vehicle_km, 0);
    EXPECT_EQ(a.hours[k].link_flow, b.hours[k].link_flow);
    EXPECT_EQ(a.hours[k].totals.demand_vehicles, b.hours[k].totals.demand_vehicles);
  }
}

TEST(GivenOd, ZoneCountMustMatchTheTwin) {
  const Twin& t = small_city();
  Scenario s;
  s.given_od = std::make_shared<const GivenOd>(read_given_od(write("two.csv", "origin,destination,hour,trips\n1,2,8,10\n"), {"a", "b"}));
  SimulationOptions o;
  o.hours = {8};
  EXPECT_THROW(simulate(t, s, o), InvalidInput);
}

// Feedback keeps the trip tables doubly constrained and moves trips away from congestion.
TEST(DemandFeedback, TablesStayBalancedAndPeakCongestionFalls) {
  const Twin& t = small_city();
  Scenario s;
  s.demand.demand_scale = 2.5;  // a congested city, so that congested times differ from free flow
  s.demand.feedback_loops = 3;
  const RoadModel roads(t.roads);
  DailyDemand d = daily_demand(t, s, roads);
  const auto free_flow_tables = d.person_trips;
  const auto trace = feed_back_congestion(d, s, roads, t.roads.link_count());
  ASSERT_EQ(trace.size(), 3u);
  const std::size_t Z = d.zones;
  for (int p = 0; p < demand::kPurposes; ++p) {
    EXPECT_NE(d.person_trips[p], free_flow_tables[p]) << "purpose " << p;
    for (std::size_t i = 0; i < Z; ++i) {
      double row = 0, col = 0;
      for (std::size_t j = 0; j < Z; ++j) row += d.person_trips[p][i * Z + j], col += d.person_trips[p][j * Z + i];
      EXPECT_NEAR(row, d.ends.productions[p][i], 1e-5 * std::max(1.0, d.ends.productions[p][i]));
      EXPECT_NEAR(col, d.ends.attractions[p][i], 1e-5 * std::max(1.0, d.ends.attractions[p][i]));
    }
  }
  for (const auto& l : trace) {
    EXPECT_GE(l.am_hour, 0);
    EXPECT_LT(l.am_hour, 12);
    EXPECT_GE(l.pm_hour, 12);
    EXPECT_GT(l.change_pct, 0);
  }
  // Trips redistributed on congested times load the peaks less than the free-flow distribution did.
  EXPECT_LT(trace[1].peak_vehicle_hours, trace[0].peak_vehicle_hours);
  EXPECT_LT(trace[2].change_pct, trace[0].change_pct);  // MSA steps shrink
}

// One corridor whose middle link has capacity 1000 veh/h: of 1500 vehicles,
// 1 - 1000/1500 of them (500) cannot pass in the hour.
TEST(CarryOver, VehiclesAboveTheBottleneckCapacityStartNextHour) {
  auto piece = [](double x0, double x1, double capacity) {
    RoadFeature f;
    f.line = {{x0, 0}, {x1, 0}};
    f.capacity_vph = capacity;
    f.road_class = capacity > 5000 ? RoadClass::Primary : RoadClass::Residential;
    return f;
  };
  RoadGraphResult g = build_road_graph({piece(0, 1000, 9000), piece(1000, 2000, 1000), piece(2000, 3000, 9000)}, {}, {});
  RoadNetwork& r = g.roads;
  ASSERT_EQ(r.node_count(), 4u);
  for (std::uint32_t v = 0; v < r.node_count(); ++v)
    if (r.node_x[v] == 0 || r.node_x[v] == 3000) r.zone_node.push_back(v);
  ASSERT_EQ(r.zone_node.size(), 2u);
  if (r.node_x[r.zone_node[0]] != 0) std::swap(r.zone_node[0], r.zone_node[1]);
  const RoadModel roads(r);
  CouplingParameters p;
  p.carry_over_unserved = true;
  const std::vector<double> od = {0, 1500, 400, 0};  // 1500 east (over capacity), 400 west (under)
  const RoadHour h = roads.assign(od, {}, {}, p);
  ASSERT_EQ(h.carry_over.size(), 4u);
  EXPECT_NEAR(h.carry_over[1], 500, 1e-9);
  EXPECT_EQ(h.carry_over[2], 0);
  EXPECT_NEAR(h.carry_over_vehicles, 500, 1e-9);
  p.carry_over_unserved = false;
  EXPECT_TRUE(roads.assign(od, {}, {}, p).carry_over.empty());
}

// In the hourly loop what one hour holds back is exactly what the next hour takes in.
TEST(CarryOver, WhatAnHourHoldsBackTheNextHourTakesIn) {
  const Twin& t = small_city();
  Scenario s;
  s.demand.demand_scale = 3;
  s.coupling.carry_over_unserved = true;
  SimulationOptions o;
  o.hours = {7, 8, 9};
  const auto res = simulate(t, s, o);
  Scenario plain = s;
  plain.coupling.carry_over_unserved = false;
  const auto ref = simulate(t, plain, o);
  EXPECT_EQ(res.hours[0].totals.carried_in_vehicles, 0);
  EXPECT_GT(res.hours[0].totals.carried_over_vehicles, 0) << "the scaled peak must exceed some capacities";
  for (std::size_t k = 1; k < res.hours.size(); ++k) {
    EXPECT_DOUBLE_EQ(res.hours[k].totals.carried_in_vehicles, res.hours[k - 1].totals.carried_over_vehicles);
    EXPECT_NEAR(res.hours[k].totals.demand_vehicles, ref.hours[k].totals.demand_vehicles + res.hours[k].totals.carried_in_vehicles,
                1e-6 * ref.hours[k].totals.demand_vehicles);
  }
  EXPECT_LT(res.hours[0].totals.carried_over_vehicles, res.hours[0].totals.demand_vehicles);
  EXPECT_EQ(ref.hours[1].totals.carried_in_vehicles, 0);
}
