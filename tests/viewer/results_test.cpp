#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "viewer/core/demo_twin.hpp"
#include "viewer/core/results.hpp"
#include "viewer/core/scenario_runner.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
std::filesystem::path temp_dir(const char* name) {
  auto d = std::filesystem::temp_directory_path() / ("citytwin_viewer_results_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}
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
  EXPECT_THROW(load_results(dir / "results.gpkg", t), BackendUnavailable);
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

TEST(ScenarioRunner, CoupledEngineIsAHookForNow) {
  auto runner = make_coupled_runner();
  EXPECT_FALSE(runner->available());
  EXPECT_NE(runner->unavailable_reason().find("coupled"), std::string::npos);
  const Twin t = demo_twin();
  RunProgress p;
  EXPECT_THROW(runner->run(t, Scenario{}, p), BackendUnavailable);
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
