// ODME on a twin's simulated hour: the hour's network and prior are the
// coupling's own (the flows before estimation are the baseline run's), a
// "true" city with uneven district growth is recovered from counts on a fifth
// of its road links, and bad counts are refused.
#include "core/calibration/daily_odme.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/common/errors.hpp"
#include "core/coupling/simulation.hpp"
#include "core/observations/fit_statistics.hpp"
#include "tests/core/coupling/small_city.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::calibration {
namespace {

using testing::expect_error;
using testing::small_city;

constexpr int kHour = 8;

coupling::SimulationResult run_hour(const Twin& t, const coupling::Scenario& s) {
  coupling::SimulationOptions o;
  o.hours = {kHour};
  return coupling::simulate(t, s, o);
}

// Truth: the baseline twin with households and jobs grown by 0.6..1.6 per
// district (seeded); counts: its hour-8 flows on a random fifth of the
// non-connector links, with 2 % noise. The baseline (prior) must reproduce its
// own run's flows before estimation, and after it meet the GEH target on the
// counts used and come closer to the truth on the links not counted.
// Measured (seed 3, 15 iterations, ~0.1 s): 646 counts used, %RMSE 67.5 ->
// 12.1, GEH<5 97 % -> 100 %; 2627 held-out links RMSE 35.4 -> 18.6 veh/h
// (-47 %). Seeds 1..8: held-out RMSE -43 % .. -64 %. Asserted: at least -20 %.
TEST(DailyOdme, RecoversAnUnevenlyGrownCityFromAFifthOfTheLinks) {
  const Twin& t = small_city();
  const std::uint64_t seed = testing::test_seed(3);
  SCOPED_TRACE(testing::seed_note(seed));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> growth(0.6, 1.6), pick(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.02);
  coupling::Scenario truth_scenario;
  truth_scenario.name = "truth";
  for (std::size_t d = 0; d < t.districts.size(); ++d) {
    truth_scenario.population_growth.push_back(growth(rng));
    truth_scenario.jobs_growth.push_back(growth(rng));
  }
  const coupling::SimulationResult truth = run_hour(t, truth_scenario);
  const coupling::Scenario baseline;
  const coupling::SimulationResult base = run_hour(t, baseline);
  ASSERT_EQ(base.hours[0].totals.dark_signals, 0);  // no grid feedback to ignore in the baseline hour
  ASSERT_EQ(truth.hours[0].totals.dark_signals, 0);

  std::vector<HourlyCount> counts;
  std::vector<std::uint32_t> held_out;
  for (std::uint32_t l = 0; l < t.roads.link_count(); ++l) {
    if (t.roads.road_class[l] == RoadClass::Connector) continue;
    const double v = truth.hours[0].link_flow[l];
    if (pick(rng) < 0.2) counts.push_back({l, kHour, std::max(0.0, std::round(v * (1 + noise(rng)))), 1.0});
    else held_out.push_back(l);
  }
  OdmeOptions o;
  o.max_iterations = 15;
  const DailyOdmeResult r = estimate_daily_od(t, baseline, counts, o);
  ASSERT_EQ(r.zones, t.districts.size());
  for (int h = 0; h < 24; ++h) {
    if (h == kHour) continue;
    EXPECT_FALSE(r.hours[h].estimated) << "hour " << h;
    EXPECT_EQ(r.hours[h].factor, std::vector<double>(r.zones * r.zones, 1.0)) << "hour " << h;
  }
  const HourOdme& hr = r.hours[kHour];
  ASSERT_TRUE(hr.estimated);
  EXPECT_EQ(hr.counts_used, counts.size());
  EXPECT_EQ(hr.counts_on_closed_links, 0u);

  // The prior's equilibrium is the baseline run's hour (same network, demand, solver settings).
  ASSERT_EQ(hr.flow_before.size(), t.roads.link_count());
  for (std::uint32_t l = 0; l < t.roads.link_count(); ++l)
    ASSERT_NEAR(hr.flow_before[l], base.hours[0].link_flow[l], 1e-3 * (1 + hr.flow_before[l])) << "link " << l;

  std::printf("used counts (%zu): GEH<5 %.0f %% -> %.0f %%, %%RMSE %.1f -> %.1f; vehicles %.0f -> %.0f; %zu iterations (%s)\n",
              hr.counts_used, 100 * hr.before.share_geh_below_5, 100 * hr.after.share_geh_below_5, hr.before.rmse_pct,
              hr.after.rmse_pct, hr.prior_vehicles, hr.adjusted_vehicles, hr.trace.size() - 1, hr.stop_reason.c_str());
  // The small city's flows are light (tens to hundreds of veh/h), where GEH
  // is lenient: the prior already meets the target, so the fit is judged by
  // %RMSE too.
  EXPECT_GE(hr.after.share_geh_below_5, 0.85);
  EXPECT_LT(hr.after.rmse_pct, 0.5 * hr.before.rmse_pct);
  EXPECT_EQ(r.after.n, hr.after.n);

  double sq_before = 0, sq_after = 0;
  for (const std::uint32_t l : held_out) {
    const double v = truth.hours[0].link_flow[l];
    sq_before += (hr.flow_before[l] - v) * (hr.flow_before[l] - v);
    sq_after += (hr.flow_after[l] - v) * (hr.flow_after[l] - v);
  }
  const double n = static_cast<double>(held_out.size());
  std::printf("held out (%zu links): RMSE %.1f -> %.1f veh/h\n", held_out.size(), std::sqrt(sq_before / n), std::sqrt(sq_after / n));
  EXPECT_LT(sq_after, 0.8 * 0.8 * sq_before);

  for (std::size_t k = 1; k < hr.trace.size(); ++k) EXPECT_LE(hr.trace[k].objective, hr.trace[k - 1].objective);
  for (const double f : hr.factor) {
    EXPECT_GE(f, o.lower_factor * (1 - 1e-12));
    EXPECT_LE(f, o.upper_factor * (1 + 1e-12));
  }
}

TEST(DailyOdme, BadCountsAreRefusedNamingTheCount) {
  const Twin& t = small_city();
  const coupling::Scenario s;
  const auto links = static_cast<std::uint32_t>(t.roads.link_count());
  const auto run = [&](std::vector<HourlyCount> c) { return [&t, &s, c] { estimate_daily_od(t, s, c); }; };
  expect_error<InvalidInput>(run({{1, 8, 100, 1}, {links, 8, 100, 1}}), {"link " + std::to_string(links), "feature 1", "'link'"});
  expect_error<InvalidInput>(run({{1, 24, 100, 1}}), {"hour 24", "'hour'"});
  expect_error<InvalidInput>(run({{1, 8, -5, 1}}), {"link 1", "'vehicles'"});
  expect_error<InvalidInput>(run({{1, 8, std::numeric_limits<double>::quiet_NaN(), 1}}), {"link 1", "'vehicles'"});
  expect_error<InvalidInput>(run({{1, 8, 100, -1}}), {"link 1", "'weight'"});
  expect_error<InvalidInput>(run({{1, 8, 100, 1}, {1, 8, 90, 1}}), {"link 1", "given twice"});
  expect_error<InvalidInput>([&] { estimate_daily_od(t, s, {}, {}, {25}); }, {"hour 25"});
}

}  // namespace
}  // namespace citytwin::calibration
