#include <gtest/gtest.h>

#include <cmath>

#include "core/coupling/simulation.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/model/view_state.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

TEST(Metrics, CatalogueLookup) {
  ASSERT_NE(find_metric("vc"), nullptr);
  EXPECT_EQ(find_metric("vc")->layer, Layer::Roads);
  EXPECT_TRUE(find_metric("vc")->hourly);
  EXPECT_EQ(find_metric("capacity")->layer, Layer::Roads);  // unqualified: roads first
  EXPECT_EQ(find_metric("substations.capacity")->layer, Layer::Substations);
  EXPECT_EQ(find_metric("population")->layer, Layer::Districts);
  EXPECT_EQ(find_metric("nonsense"), nullptr);
  EXPECT_EQ(find_metric("roads.population"), nullptr);
  for (std::size_t l = 0; l < kLayerCount; ++l) EXPECT_FALSE(metrics_for(Layer(l)).empty()) << layer_name(Layer(l));
  // ids are unique within a layer
  for (const auto& a : metric_catalogue())
    for (const auto& b : metric_catalogue())
      if (&a != &b && a.layer == b.layer) {
        EXPECT_STRNE(a.id, b.id);
      }
}

TEST(Metrics, StaticRoadClassColoursEachLinkByItsClass) {
  const Twin t = test_support::hand_laid_twin();
  MetricInputs in{&t};
  const MetricField f = evaluate_metric(*find_metric("class"), in, 8, View::Baseline);
  ASSERT_EQ(f.values.size(), t.roads.link_count());
  EXPECT_TRUE(f.available);
  const auto coords = f.coords();
  const ColorMap& rc = ColorMap::get(ColorMapId::RoadClass);
  for (std::size_t i = 0; i < t.roads.link_count(); ++i) {
    EXPECT_EQ(f.values[i], double(t.roads.road_class[i]));
    EXPECT_EQ(f.color(i), rc.category(std::size_t(t.roads.road_class[i])));
    EXPECT_FLOAT_EQ(coords[i], category_coord(std::size_t(t.roads.road_class[i])));
  }
}

TEST(Metrics, HourlyMetricWithoutResultsIsGreyedOut) {
  const Twin t = test_support::hand_laid_twin();
  MetricInputs in{&t};
  const MetricField f = evaluate_metric(*find_metric("vc"), in, 17, View::Baseline);
  EXPECT_FALSE(f.available);
  EXPECT_FALSE(f.note.empty());
  for (float c : f.coords()) EXPECT_EQ(c, kNoData);
}

TEST(Metrics, HourlyMetricFollowsTheHour) {
  const Twin t = test_support::hand_laid_twin();
  const coupling::Scenario baseline;
  const coupling::SimulationResult sim = coupling::simulate(t, baseline);  // the real run
  ASSERT_EQ(sim.hours.size(), 24u);
  ASSERT_EQ(sim.hours[17].totals.hour, 17);
  const Results r(sim, "baseline");
  MetricInputs in{&t, &r};
  const MetricField night = evaluate_metric(*find_metric("vc"), in, 3, View::Baseline);
  const MetricField peak = evaluate_metric(*find_metric("vc"), in, 17, View::Baseline);
  ASSERT_TRUE(peak.available);
  EXPECT_EQ(peak.lo, 0);
  EXPECT_EQ(peak.hi, 1.2);  // fixed v/c range: hours are comparable
  double sum_night = 0, sum_peak = 0;
  for (std::size_t i = 0; i < t.roads.link_count(); ++i) {
    sum_night += night.values[i];
    sum_peak += peak.values[i];
    EXPECT_FLOAT_EQ(float(peak.values[i]), sim.hours[17].link_vc[i]);
  }
  EXPECT_GT(sum_peak, 3 * sum_night);
}

TEST(Metrics, ScenarioAndDiffViewsShowACapacityCut) {
  const Twin t = test_support::hand_laid_twin();
  coupling::Scenario s;
  set_link(s, 7, 0.5, 10);
  set_link(s, 9, 0.0, 0);
  MetricInputs in{&t, nullptr, nullptr, &s};
  const MetricInfo& cap = *find_metric("capacity");
  const MetricField base = evaluate_metric(cap, in, 12, View::Baseline);
  const MetricField scen = evaluate_metric(cap, in, 12, View::Scenario);
  const MetricField diff = evaluate_metric(cap, in, 12, View::Diff);
  const MetricField early = evaluate_metric(cap, in, 9, View::Diff);  // before the cut starts
  EXPECT_EQ(base.lo, scen.lo);  // one colour range for both views
  EXPECT_EQ(base.hi, scen.hi);
  EXPECT_TRUE(diff.diverging);
  EXPECT_EQ(diff.cmap, ColorMapId::Diverging);
  for (std::size_t i = 0; i < t.roads.link_count(); ++i) {
    const double c = t.roads.capacity_vph[i];
    const double expect = i == 7 ? -0.5 * c : (i == 9 ? -c : 0.0);
    EXPECT_DOUBLE_EQ(diff.values[i], expect) << i;
    EXPECT_DOUBLE_EQ(early.values[i], i == 9 ? -c : 0.0) << i;
  }
  EXPECT_DOUBLE_EQ(diff.lo, -diff.hi);
  // the unchanged links sit in the light middle of the diverging map
  EXPECT_EQ(diff.color(0), display_colormap(ColorMapId::Diverging, false).lut()[128]);
}

TEST(Metrics, SubstationFailureDeenergisesItsBuses) {
  const Twin t = test_support::hand_laid_twin();
  coupling::Scenario s;
  fail_asset(s, coupling::AssetKind::Substation, 2, 18);
  MetricInputs in{&t, nullptr, nullptr, &s};
  const auto at17 = metric_values(*find_metric("energised"), in, true, 17);
  const auto at18 = metric_values(*find_metric("energised"), in, true, 18);
  for (std::size_t b = 0; b < t.grid.bus_count(); ++b) {
    EXPECT_EQ(at17[b], 1.0);
    EXPECT_EQ(at18[b], t.grid.bus_substation[b] == 2 ? 0.0 : 1.0);
  }
}

TEST(ViewState, ColorByAndPlayback) {
  ViewerState s = default_state(false);
  EXPECT_STREQ(s.layer(Layer::Roads).metric->id, "class");
  EXPECT_TRUE(apply_color_by(s, "vc"));
  EXPECT_STREQ(s.layer(Layer::Roads).metric->id, "vc");
  EXPECT_TRUE(apply_color_by(s, "buses.kv"));
  EXPECT_TRUE(s.layer(Layer::Buses).visible);
  EXPECT_FALSE(apply_color_by(s, "bogus"));
  s.hour = 22;
  EXPECT_FALSE(s.advance(10));  // not playing
  s.playing = true;
  s.hours_per_second = 2;
  EXPECT_TRUE(s.advance(1.0));  // 2 hours
  EXPECT_EQ(s.hour, 0);         // wraps
  EXPECT_FALSE(s.advance(0.2));
  EXPECT_TRUE(s.advance(0.3));
  EXPECT_EQ(s.hour, 1);
}
