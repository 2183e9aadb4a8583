#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "viewer/model/demo_twin.hpp"
#include "viewer/model/results.hpp"
#include "core/coupling/simulation.hpp"
#include "viewer/model/scenario_runner.hpp"
#include "temp_dir.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
std::filesystem::path temp_dir(const char* name) { return test_support::scratch_dir(std::string("results/") + name); }
void expect_close(const HourlyArray& a, const HourlyArray& b) {
  ASSERT_EQ(a.features(), b.features());
  for (int h = 0; h < kHours; ++h)
    for (std::size_t i = 0; i < a.features(); ++i) {
      const float x = a.at(h, i), y = b.at(h, i);
      if (std::isnan(x)) EXPECT_TRUE(std::isnan(y));
      else EXPECT_NEAR(x, y, 1e-5 * std::max(1.0f, std::abs(x)));
    }
}
}  // namespace

TEST(Results, CsvFolderRoundTrip) {
  const Twin t = demo_twin();
  const Results r = synthetic_results(t, Scenario{});
  ASSERT_NO_THROW(check_results(r, t));
  const auto dir = temp_dir("round_trip");
  write_results_csv(r, dir);
  const Results back = load_results(dir, t);
  expect_close(back.link_vc, r.link_vc);
  expect_close(back.link_flow_vph, r.link_flow_vph);
  expect_close(back.bus_utilisation_pct, r.bus_utilisation_pct);
  expect_close(back.branch_loading_pct, r.branch_loading_pct);
  expect_close(back.district_vehicle_km, r.district_vehicle_km);
  ASSERT_EQ(back.kpis.vehicle_hours.size(), 24u);
  EXPECT_NEAR(back.kpis.vehicle_hours[17], r.kpis.vehicle_hours[17], 1e-3 * r.kpis.vehicle_hours[17]);
}

TEST(Results, PartialFolderAndErrors) {
  const Twin t = demo_twin();
  const auto dir = temp_dir("partial");
  {
    std::ofstream out(dir / "links.csv");
    out << "hour,link,vc,unknown_metric\n3,5,0.75,9\n17,5,,1\n";
  }
  const Results r = load_results(dir, t);
  EXPECT_TRUE(r.link_flow_vph.empty());  // not in the file: not available
  ASSERT_FALSE(r.link_vc.empty());
  EXPECT_FLOAT_EQ(r.link_vc.at(3, 5), 0.75f);
  EXPECT_TRUE(std::isnan(r.link_vc.at(17, 5)));  // empty cell
  EXPECT_TRUE(std::isnan(r.link_vc.at(3, 6)));   // missing row
  {
    std::ofstream out(dir / "links.csv");
    out << "hour,link,vc\n3,99999,0.5\n";
  }
  EXPECT_THROW(load_results(dir, t), InvalidInput);
  {
    std::ofstream out(dir / "links.csv");
    out << "hour,link,vc\n3,1,abc\n";
  }
  try {
    load_results(dir, t);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().line.value_or(0), 2);
    EXPECT_EQ(e.where().field, "vc");
  }
  EXPECT_THROW(load_results(dir / "results.gpkg", t), IoError);  // a run GeoPackage that is not there
  EXPECT_THROW(load_results(dir / "missing", t), IoError);
}

TEST(Results, CountsMustMatchTheTwin) {
  const Twin t = demo_twin();
  Results r;
  r.link_vc = HourlyArray(t.roads.link_count() + 1, 0);
  EXPECT_THROW(check_results(r, t), InvalidInput);
  r = Results{};
  r.kpis.delay_hours = {1, 2, 3};
  EXPECT_THROW(check_results(r, t), InvalidInput);
}

TEST(ScenarioRunner, SimulationResultsBecomeViewerResults) {
  const Twin t = demo_twin();
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
  const Results r = results_from_simulation(t, sim);
  EXPECT_NO_THROW(check_results(r, t));
  EXPECT_FLOAT_EQ(r.link_vc.at(8, 3), 0.8f);
  EXPECT_TRUE(std::isnan(r.link_vc.at(9, 3)));  // hours not run are "no data"
  EXPECT_FLOAT_EQ(r.link_delay_s.at(7, 0), float(60.0 - t.roads.free_flow_s[0]));
  EXPECT_FLOAT_EQ(r.substation_loading_pct.at(7, 1), 130.0f);
  EXPECT_FLOAT_EQ(r.bus_utilisation_pct.at(7, 1), 130.0f);  // bus 1 sits in substation 1
  EXPECT_FLOAT_EQ(r.district_ev_energy_kwh.at(8, 0), 2.0f);
  EXPECT_EQ(r.kpis.vehicle_hours[8], 800.0f);
  EXPECT_EQ(r.kpis.overloaded_assets[7], 2.0f);  // one branch + substation 1
}

TEST(ScenarioRunner, DemoRunnerInTheBackgroundAppliesTheScenario) {
  const Twin t = demo_twin();
  Scenario s;
  s.set_road({10, 0.0, 12});
  s.fail_substation(1, 18);
  DemoRunner runner;
  BackgroundRun run;
  run.start(runner, t, s);
  run.wait();
  ASSERT_EQ(run.state(), BackgroundRun::State::Done) << run.error();
  auto r = run.take();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->synthetic);
  EXPECT_GT(r->link_flow_vph.at(11, 10), 0);
  EXPECT_EQ(r->link_flow_vph.at(12, 10), 0);  // closed from 12:00
  EXPECT_TRUE(std::isnan(r->link_vc.at(12, 10)));
  EXPECT_EQ(r->substation_loading_pct.at(18, 1), 0);
  EXPECT_GT(r->kpis.unserved_mwh[18], 0);
  EXPECT_EQ(r->kpis.unserved_mwh[17], 0);
  EXPECT_EQ(run.state(), BackgroundRun::State::Idle);
  EXPECT_FALSE(run.take());
}

TEST(ScenarioRunner, CoupledRunOnTheBuiltInCityInTheBackground) {
  const Twin t = demo_twin();
  auto runner = make_coupled_runner();
  ASSERT_TRUE(runner->available());
  BackgroundRun run;
  run.start(*runner, t, Scenario{});
  run.wait();
  ASSERT_EQ(run.state(), BackgroundRun::State::Done) << run.error();
  EXPECT_FLOAT_EQ(run.fraction(), 1.0f);
  const auto base = run.take();
  ASSERT_TRUE(base);
  EXPECT_NO_THROW(check_results(*base, t));
  ASSERT_FALSE(base->link_vc.empty());
  EXPECT_GT(base->kpis.vehicle_hours[8], base->kpis.vehicle_hours[3]);  // morning peak vs night
  // a closed street carries nothing while closed
  Scenario s;
  s.set_road({0, 0.0, 0, 23});
  s.set_road({1, 0.0, 0, 23});
  run.start(*runner, t, s);
  run.wait();
  const auto scen = run.take();
  ASSERT_TRUE(scen) << run.error();
  for (int h : {3, 8, 17}) EXPECT_EQ(scen->link_flow_vph.at(h, 0), 0.0f) << h;
}

TEST(ScenarioRunner, CancelStopsARun) {
  const Twin t = demo_twin();
  auto runner = make_coupled_runner();
  BackgroundRun run;
  run.start(*runner, t, Scenario{});
  run.cancel();
  run.wait();
  EXPECT_TRUE(run.state() == BackgroundRun::State::Cancelled || run.state() == BackgroundRun::State::Done);
  run.take();
  EXPECT_EQ(run.state(), BackgroundRun::State::Idle);
}
