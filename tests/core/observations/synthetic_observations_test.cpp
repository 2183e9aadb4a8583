// The synthetic-observation sampler: the share of links, connectors left out,
// stations on the midpoints with their bearing, the run's values without
// noise, the stated noise, and the same seed giving the same observations.
#include "core/observations/synthetic_observations.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/common/errors.hpp"

namespace citytwin::observations {
namespace {

struct Case {
  Twin twin;
  coupling::SimulationResult run;
};

// 100 eastbound links of 100 m and 10 connectors; flows 1000 + 10 l veh/h at
// hour 8 and half that at 17; two substations of one bus each.
Case make_case() {
  Case c;
  RoadNetwork& r = c.twin.roads;
  for (std::uint32_t l = 0; l < 110; ++l) {
    const double y = l * 50.0;
    const std::vector<Point2> line = {{0, y}, {100, y}};
    r.geometry.add(line);
    r.road_class.push_back(l < 100 ? RoadClass::Secondary : RoadClass::Connector);
    r.link_from.push_back(2 * l);
    r.link_to.push_back(2 * l + 1);
  }
  PowerGrid& g = c.twin.grid;
  g.bus_substation = {0, 1};
  g.bus_x = {0, 0};
  g.substation_x = {0, 0};
  for (int h : {8, 17}) {
    coupling::HourResult hr;
    hr.totals.hour = h;
    for (std::uint32_t l = 0; l < 110; ++l) hr.link_flow.push_back(static_cast<float>((1000 + 10 * l) / (h == 8 ? 1 : 2)));
    hr.bus_load_mw = {h == 8 ? 20.0f : 30.0f, 5.0f};
    hr.bus_energised = {1, 1};
    c.run.hours.push_back(hr);
  }
  return c;
}

TEST(SyntheticObservations, ExactWithoutNoise) {
  const Case c = make_case();
  const auto o = synthesize_observations(c.twin, c.run, {.sample_share = 0.2, .noise = 0, .seed = 3, .days = 2});
  ASSERT_EQ(o.counted_links.size(), 20u);
  for (auto l : o.counted_links) EXPECT_LT(l, 100u);  // never a connector
  EXPECT_EQ(std::set<std::uint32_t>(o.counted_links.begin(), o.counted_links.end()).size(), 20u);
  ASSERT_EQ(o.counts.size(), 20u * 2 * 2);  // stations x hours x days
  for (const auto& t : o.counts) {
    const auto l = static_cast<std::uint32_t>(std::stoul(t.station.substr(1)));
    EXPECT_DOUBLE_EQ(t.position.x, 50);
    EXPECT_DOUBLE_EQ(t.position.y, l * 50.0);
    EXPECT_DOUBLE_EQ(*t.bearing_deg, 90);
    EXPECT_EQ(t.time.day_type(), DayType::Weekday);
    EXPECT_DOUBLE_EQ(t.vehicles, std::round((1000 + 10 * l) / (t.time.hour == 8 ? 1.0 : 2.0)));
  }
  EXPECT_EQ(o.counts.front().time, (LocalHour{2026, 3, 2, 8}));
  EXPECT_EQ(o.counts.back().time, (LocalHour{2026, 3, 3, 17}));
  ASSERT_EQ(o.loads.size(), 2u * 2 * 2);
  EXPECT_DOUBLE_EQ(o.loads[0].p_mw, 20);
  EXPECT_DOUBLE_EQ(o.loads[1].p_mw, 5);
}

TEST(SyntheticObservations, WeekendsAreSkippedAndTheSeedDecides) {
  const Case c = make_case();
  const SyntheticObservationOptions opt{.sample_share = 0.5, .noise = 0.05, .seed = 9, .days = 6};
  const auto a = synthesize_observations(c.twin, c.run, opt);
  const auto b = synthesize_observations(c.twin, c.run, opt);
  ASSERT_EQ(a.counts.size(), b.counts.size());
  for (std::size_t i = 0; i < a.counts.size(); ++i) EXPECT_EQ(a.counts[i].vehicles, b.counts[i].vehicles);
  EXPECT_EQ(a.counts.back().time, (LocalHour{2026, 3, 9, 17}));  // Mon 2 .. Fri 6, then Monday 9
  auto other = opt;
  other.seed = 10;
  EXPECT_NE(synthesize_observations(c.twin, c.run, other).counted_links, a.counted_links);
}

TEST(SyntheticObservations, TheNoiseHasTheStatedSize) {
  const Case c = make_case();
  const auto o = synthesize_observations(c.twin, c.run, {.sample_share = 1.0, .noise = 0.05, .seed = 1, .days = 50});
  // Relative errors of 100 links x 2 hours x 50 days = 10,000 draws: mean 0,
  // standard deviation 0.05 (rounding adds < 0.1 %).
  double sum = 0, sum2 = 0;
  for (const auto& t : o.counts) {
    const auto l = std::stoul(t.station.substr(1));
    const double truth = (1000.0 + 10.0 * static_cast<double>(l)) / (t.time.hour == 8 ? 1.0 : 2.0);
    const double e = t.vehicles / truth - 1;
    sum += e;
    sum2 += e * e;
  }
  const double n = static_cast<double>(o.counts.size());
  EXPECT_EQ(o.counts.size(), 10000u);
  EXPECT_NEAR(sum / n, 0, 0.002);  // 4 standard errors
  EXPECT_NEAR(std::sqrt(sum2 / n), 0.05, 0.0015);
  EXPECT_THROW(synthesize_observations(c.twin, c.run, {.sample_share = 0}), InvalidInput);
  EXPECT_THROW(synthesize_observations(c.twin, c.run, {.noise = -0.1}), InvalidInput);
}

}  // namespace
}  // namespace citytwin::observations
