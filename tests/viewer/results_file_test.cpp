// `citytwin-viewer results.gpkg`: a results GeoPackage written by the real
// `citytwin run` opened alone (no .twin) shows the same layers, counts, hourly
// metrics, attributes and provenance as the twin opened with --results, and
// says what the file does not hold.
#include <gtest/gtest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <filesystem>

#include "cli_city.hpp"
#include "null_backend.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/results/results_writer.hpp"
#include "tests/support/test_files.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/controller.hpp"
#include "viewer/model/results_file.hpp"
#include "viewer/model/selection.hpp"
#include "viewer/ui/ui.hpp"

using namespace citytwin;
using namespace citytwin::viewer;
using test_support::cli_city;

namespace {

// Equal values, NaN equal to NaN ("no value" in both).
void expect_same(const std::vector<double>& a, const std::vector<double>& b, const char* what, int h) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isnan(a[i]) || std::isnan(b[i])) ASSERT_TRUE(std::isnan(a[i]) && std::isnan(b[i])) << what << " hour " << h << " feature " << i;
    else ASSERT_EQ(a[i], b[i]) << what << " hour " << h << " feature " << i;
}
void expect_same(const std::vector<float>& a, const std::vector<float>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t h = 0; h < a.size(); ++h)
    if (std::isnan(a[h]) || std::isnan(b[h])) EXPECT_TRUE(std::isnan(a[h]) && std::isnan(b[h])) << what << " hour " << h;
    else EXPECT_EQ(a[h], b[h]) << what << " hour " << h;
}

class ResultsFileAlone : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cli_city().error.empty()) << cli_city().error;
    alone = open_results_file(cli_city().gpkg);
    twin = read_snapshot(cli_city().twin);
    with_twin = read_results_file(cli_city().gpkg, twin);
  }
  ResultsFile alone;
  Twin twin;
  Results with_twin;
};

std::string value_of(const std::vector<Attribute>& attrs, const std::string& name) {
  for (const auto& a : attrs)
    if (a.name == name) return a.value;
  return "(no such attribute)";
}

}  // namespace

TEST_F(ResultsFileAlone, LayersCountsAndHourlyMetricsEqualThoseReadWithTheTwin) {
  EXPECT_TRUE(is_results_file(cli_city().gpkg));
  EXPECT_FALSE(is_results_file(cli_city().twin));
  // by content, whatever the name
  const auto renamed = test_support::scratch_dir("results_file") / "run.results";
  std::filesystem::copy_file(cli_city().gpkg, renamed, std::filesystem::copy_options::overwrite_existing);
  EXPECT_TRUE(is_results_file(renamed));

  for (Layer l : {Layer::Roads, Layer::Buses, Layer::Branches, Layer::Substations, Layer::Districts})
    EXPECT_EQ(feature_count(alone.twin, l), feature_count(twin, l)) << layer_name(l);
  EXPECT_GT(feature_count(alone.twin, Layer::Roads), 1000u);
  EXPECT_EQ(feature_count(alone.twin, Layer::Chargers), 0u);
  EXPECT_TRUE(alone.missing.count("chargers"));
  EXPECT_EQ(alone.twin.signal_nodes().size(), twin.signal_nodes().size());
  EXPECT_EQ(alone.twin.crs, twin.crs);

  const Results& a = alone.results;
  const Results& b = with_twin;
  for (Quantity q : {Quantity::LinkFlow, Quantity::LinkSpeed, Quantity::LinkVc, Quantity::LinkDelay,
                     Quantity::BusUtilisation, Quantity::BusEnergised, Quantity::BranchLoading,
                     Quantity::SubstationLoading, Quantity::DistrictVehicleKm, Quantity::DistrictEvEnergy,
                     Quantity::DistrictUnserved}) {
    const Layer l = q <= Quantity::LinkDelay          ? Layer::Roads
                    : q <= Quantity::BusEnergised     ? Layer::Buses
                    : q == Quantity::BranchLoading    ? Layer::Branches
                    : q == Quantity::SubstationLoading ? Layer::Substations
                                                      : Layer::Districts;
    for (int h = 0; h < kHours; ++h)
      expect_same(quantity_values(q, alone.twin, a, h, feature_count(alone.twin, l)),
                  quantity_values(q, twin, b, h, feature_count(twin, l)), layer_name(l), h);
  }
  expect_same(kpi_series(a, Kpi::VehicleHours), kpi_series(b, Kpi::VehicleHours), "KPI vehicle-hours");
  expect_same(kpi_series(a, Kpi::DelayHours), kpi_series(b, Kpi::DelayHours), "KPI delay");
  expect_same(kpi_series(a, Kpi::LoadMw), kpi_series(b, Kpi::LoadMw), "KPI load");
  expect_same(kpi_series(a, Kpi::OverloadedAssets), kpi_series(b, Kpi::OverloadedAssets), "KPI overloaded");
  expect_same(kpi_series(a, Kpi::DarkSignals), kpi_series(b, Kpi::DarkSignals), "KPI dark signals");
  // --hours 7-9: those hours have values, the others none
  const auto vh = kpi_series(a, Kpi::VehicleHours);
  for (int h : {7, 8, 9}) EXPECT_TRUE(std::isfinite(vh[std::size_t(h)])) << h;
  EXPECT_TRUE(std::isnan(vh[3]));
  for (int h = 0; h < kHours; ++h) EXPECT_EQ(has_values_at(a, h), h >= 7 && h <= 9) << h;
  EXPECT_EQ(first_hour_with_values(a), 7);
  EXPECT_EQ(first_hour_with_values(Results{}), -1);
  double flow = 0;
  for (double f : quantity_values(Quantity::LinkFlow, alone.twin, a, 8, alone.twin.roads.link_count())) flow += f;
  EXPECT_GT(flow, 0);

  // the colours drawn: hourly and static metrics evaluate to the same values
  for (const char* id : {"vc", "flow", "delay", "class", "capacity", "lanes", "speed_limit"}) {
    const MetricInfo* m = find_metric(Layer::Roads, id);
    ASSERT_NE(m, nullptr) << id;
    const MetricField fa = evaluate_metric(*m, {&alone.twin, &a}, 8, View::Baseline);
    const MetricField fb = evaluate_metric(*m, {&twin, &b}, 8, View::Baseline);
    ASSERT_EQ(fa.values.size(), fb.values.size()) << id;
    for (std::size_t i = 0; i < fa.values.size(); ++i)
      ASSERT_TRUE(fa.values[i] == fb.values[i] || (std::isnan(fa.values[i]) && std::isnan(fb.values[i]))) << id << " link " << i;
  }
  for (const char* id : {"population", "loading"}) {
    for (Layer l : {Layer::Districts, Layer::Branches, Layer::Substations}) {
      const MetricInfo* m = find_metric(l, id);
      if (!m) continue;
      const MetricField fa = evaluate_metric(*m, {&alone.twin, &a}, 8, View::Baseline);
      const MetricField fb = evaluate_metric(*m, {&twin, &b}, 8, View::Baseline);
      EXPECT_EQ(fa.coords(), fb.coords()) << layer_name(l) << "." << id;
    }
  }

  // the same map: extent, vertex buffers, and what a click picks
  const Box2 ea = view_extent(alone.twin), eb = view_extent(twin);
  EXPECT_EQ(ea.min_x, eb.min_x);
  EXPECT_EQ(ea.max_y, eb.max_y);
  const MapGeometry ga = build_map_geometry(alone.twin), gb = build_map_geometry(twin);
  EXPECT_EQ(ga.roads.vertices.size(), gb.roads.vertices.size());
  const PickIndex ia = PickIndex::build(alone.twin), ib = PickIndex::build(twin);
  const LayerMask all = all_layers();
  for (std::size_t l = 0; l < twin.roads.link_count(); l += 97) {
    const Point2 p = twin.roads.geometry.midpoint(l);
    const auto sa = pick(alone.twin, ia, p, 5, all), sb = pick(twin, ib, p, 5, all);
    ASSERT_EQ(sa.has_value(), sb.has_value());
    if (sa) {
      EXPECT_EQ(sa->layer, sb->layer) << "link " << l;
      EXPECT_EQ(sa->id, sb->id) << "link " << l;
    }
  }
}

TEST_F(ResultsFileAlone, InspectorShowsStoredAttributesAndProvenanceAndNamesTheRest) {
  for (Layer l : {Layer::Roads, Layer::Buses, Layer::Branches, Layer::Substations, Layer::Districts}) {
    const Selection s{l, 1, 0};
    EXPECT_EQ(feature_title(alone.twin, s, &alone.missing), feature_title(twin, s)) << layer_name(l);
    EXPECT_EQ(provenance(alone.twin, s).describe(), provenance(twin, s).describe()) << layer_name(l);
    const auto attrs_alone = attributes(alone.twin, s, &alone.missing), attrs_twin = attributes(twin, s);
    ASSERT_EQ(attrs_alone.size(), attrs_twin.size()) << layer_name(l);
    std::size_t unavailable = 0;
    for (std::size_t k = 0; k < attrs_alone.size(); ++k) {
      EXPECT_EQ(attrs_alone[k].name, attrs_twin[k].name);
      if (attrs_alone[k].value == kNotInFile) ++unavailable;
      else EXPECT_EQ(attrs_alone[k].value, attrs_twin[k].value) << layer_name(l) << ": " << attrs_alone[k].name;
    }
    EXPECT_LT(unavailable, attrs_alone.size() / 2 + 1) << layer_name(l) << ": most attributes are stored";
  }
  const auto road = attributes(alone.twin, {Layer::Roads, 5, 0}, &alone.missing);
  EXPECT_EQ(value_of(road, "toll"), kNotInFile);
  EXPECT_EQ(value_of(road, "lanes"), value_of(attributes(twin, {Layer::Roads, 5, 0}), "lanes"));
  EXPECT_EQ(value_of(attributes(alone.twin, {Layer::Buses, 0, 0}, &alone.missing), "type"), kNotInFile);
  EXPECT_EQ(attribution(alone.twin), attribution(twin));  // departments' files, not OSM: none

  // the controller opens it alone; scenario runs need the .twin: it says so
  Controller ctl;
  ctl.open(cli_city().gpkg);
  ctl.reset_view();
  ASSERT_NE(ctl.missing(), nullptr);
  ASSERT_NE(ctl.baseline(), nullptr);
  EXPECT_EQ(first_hour_with_values(*ctl.baseline()), 7);
  EXPECT_FALSE(ctl.can_run());
  EXPECT_FALSE(ctl.run_status().available);
  EXPECT_NE(ctl.run_status().unavailable_reason.find(".twin"), std::string::npos);
  EXPECT_THROW(ctl.run_now(), BackendUnavailable);
  EXPECT_THROW(ctl.add_results(cli_city().gpkg), InvalidInput);  // --results on a results file

  // the panels with a results file's twin, on ImGui's null backend
  const test_support::NullBackend backend;
  ViewerState& state = ctl.state();
  state.hour = 8;
  auto fields = evaluate_layers(state, ctl.inputs());
  Camera camera{1280 - kLeftPanelWidth, 800};
  camera.fit(view_extent(ctl.twin()));
  UiModel m;
  bind(m, ctl);
  m.fields = &fields;
  m.camera = &camera;
  m.map = {kLeftPanelWidth, 0, 1280 - kLeftPanelWidth, 800};
  for (Layer l : {Layer::Roads, Layer::Buses, Layer::Branches, Layer::Substations, Layer::Districts}) {
    state.selected = Selection{l, 0, 0};
    for (int i = 0; i < 2; ++i) {
      ImGui::NewFrame();
      draw_panels(m);
      draw_map_overlays(ImGui::GetBackgroundDrawList(), m);
      draw_hover_tooltip(m, *state.selected);
      ImGui::Render();
      EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
    }
    EXPECT_NE(ImGui::FindWindowByName("Inspector"), nullptr);
  }
}

TEST(ResultsFile, OsmSourcesGiveTheOpenStreetMapAttribution) {
  ASSERT_TRUE(cli_city().error.empty()) << cli_city().error;
  Twin t = read_snapshot(cli_city().twin);
  const auto dir = test_support::scratch_dir("results_file");
  geo::write_results(t, coupling::SimulationResult{}, dir / "departments.gpkg");
  EXPECT_EQ(attribution(open_results_file(dir / "departments.gpkg").twin), "");
  t.sources[0].path = "../shared/data/osm/malta-2018-08-27.osm.pbf";
  geo::write_results(t, coupling::SimulationResult{}, dir / "osm.gpkg");
  EXPECT_EQ(attribution(open_results_file(dir / "osm.gpkg").twin), "\xC2\xA9 OpenStreetMap contributors");
}

TEST(ResultsFile, AGeoPackageThatIsNotAResultsFileIsRefusedByName) {
  ASSERT_TRUE(cli_city().error.empty()) << cli_city().error;
  const auto roads = cli_city().twin.parent_path() / "city/roads.gpkg";
  ASSERT_TRUE(std::filesystem::exists(roads));
  citytwin::testing::expect_error<InvalidInput>([&] { open_results_file(roads); }, {"roads.gpkg", "hours"});
}
