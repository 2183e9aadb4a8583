// The viewer's Results: a view over coupling::SimulationResult (what
// coupling::simulate and geo::read_results give), and coupled runs of the
// built-in city in the background.
#include <gtest/gtest.h>

#include <cmath>

#include "core/coupling/simulation.hpp"
#include "viewer/model/background_run.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/scenario_edits.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

TEST(Results, ViewOverTheSimulationResult) {
  const Twin t = test_support::hand_laid_twin();
  coupling::SimulationResult sim;
  sim.scenario = "x";
  for (int h : {7, 8}) {
    coupling::HourResult hr;
    hr.totals.hour = h;
    hr.totals.vehicle_hours = 100 * h;
    hr.totals.overloaded_branches = 1;
    hr.totals.unserved_energy_mwh = 0.5;
    hr.link_flow.assign(t.roads.link_count(), 300.0f + h);
    hr.link_vc.assign(t.roads.link_count(), 0.1f * h);
    hr.link_speed_kph.assign(t.roads.link_count(), 40.0f);
    hr.link_time_s.assign(t.roads.link_count(), 60.0f);
    hr.bus_energised.assign(t.grid.bus_count(), 1);
    hr.branch_loading_pct.assign(t.grid.branch_count(), 55.0f);
    hr.substation_utilisation.assign(t.grid.substation_count(), 0.5f);
    hr.substation_utilisation[1] = 1.3f;
    hr.district_vkt.assign(t.districts.size(), 1000.0f);
    hr.district_ev_mwh.assign(t.districts.size(), 0.002f);
    hr.district_unserved_mwh.assign(t.districts.size(), 0.0f);
    sim.hours.push_back(hr);
  }
  const Results r(sim, "x");
  const std::size_t L = t.roads.link_count();
  auto value = [&](Quantity q, int h, std::size_t i, std::size_t n) { return quantity_values(q, t, r, h, n)[i]; };
  EXPECT_FLOAT_EQ(float(value(Quantity::LinkVc, 8, 3, L)), 0.8f);
  EXPECT_TRUE(std::isnan(value(Quantity::LinkVc, 9, 3, L)));  // hours not run are "no data"
  EXPECT_FALSE(has_values_at(r, 9));
  EXPECT_EQ(first_hour_with_values(r), 7);
  EXPECT_EQ(first_hour_with_values(Results{}), -1);
  EXPECT_FLOAT_EQ(float(value(Quantity::LinkDelay, 7, 0, L)), float(60.0 - t.roads.free_flow_s[0]));
  EXPECT_FLOAT_EQ(float(value(Quantity::SubstationLoading, 7, 1, t.grid.substation_count())), 130.0f);
  EXPECT_FLOAT_EQ(float(value(Quantity::BusUtilisation, 7, 1, t.grid.bus_count())), 130.0f);  // bus 1 sits in substation 1
  EXPECT_FLOAT_EQ(float(value(Quantity::DistrictEvEnergy, 8, 0, t.districts.size())), 2.0f);
  EXPECT_EQ(kpi_series(r, Kpi::VehicleHours)[8], 800.0f);
  EXPECT_EQ(kpi_series(r, Kpi::OverloadedAssets)[7], 2.0f);  // one branch + substation 1
  EXPECT_TRUE(std::isnan(kpi_series(r, Kpi::VehicleHours)[3]));
}

TEST(CoupledRun, CoupledRunOnTheBuiltInCityInTheBackground) {
  const Twin t = test_support::hand_laid_twin();
  const coupling::Scenario baseline;
  BackgroundRun run;
  run.start(t, baseline, "baseline");
  run.wait();
  ASSERT_EQ(run.state(), BackgroundRun::State::Done) << run.error();
  EXPECT_FLOAT_EQ(run.fraction(), 1.0f);
  const auto base = run.take();
  ASSERT_TRUE(base);
  EXPECT_EQ(run.state(), BackgroundRun::State::Idle);
  EXPECT_FALSE(run.take());
  for (int h = 0; h < kHours; ++h) EXPECT_TRUE(has_values_at(*base, h)) << h;
  const auto vh = kpi_series(*base, Kpi::VehicleHours);
  EXPECT_GT(vh[8], vh[3]);  // morning peak vs night
  // a closed street carries nothing while closed
  coupling::Scenario s;
  set_link(s, 0, 0.0, 0, 23);
  set_link(s, 1, 0.0, 0, 23);
  run.start(t, s, "closed");
  run.wait();
  const auto scen = run.take();
  ASSERT_TRUE(scen) << run.error();
  for (int h : {3, 8, 17}) EXPECT_EQ(quantity_values(Quantity::LinkFlow, t, *scen, h, t.roads.link_count())[0], 0.0) << h;
}

TEST(CoupledRun, CancelStopsARun) {
  const Twin t = test_support::hand_laid_twin();
  const coupling::Scenario baseline;
  BackgroundRun run;
  run.start(t, baseline, "baseline");
  run.cancel();
  run.wait();
  EXPECT_TRUE(run.state() == BackgroundRun::State::Cancelled || run.state() == BackgroundRun::State::Done);
  run.take();
  EXPECT_EQ(run.state(), BackgroundRun::State::Idle);
}
