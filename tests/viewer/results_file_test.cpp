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
#include "geo/io/results_writer.hpp"
#include "tests/support/test_files.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/results_file.hpp"
#include "viewer/model/selection.hpp"
#include "viewer/ui/ui.hpp"

using namespace citytwin;
using namespace citytwin::viewer;
using test_support::cli_city;

namespace {

// Equal values, NaN equal to NaN ("no value" in both).
void expect_same(const HourlyArray& a, const HourlyArray& b, const char* what) {
  ASSERT_EQ(a.features(), b.features()) << what;
  for (int h = 0; h < kHours; ++h)
    for (std::size_t i = 0; i < a.features(); ++i) {
      const float x = a.at(h, i), y = b.at(h, i);
      if (std::isnan(x) || std::isnan(y)) ASSERT_TRUE(std::isnan(x) && std::isnan(y)) << what << " hour " << h << " feature " << i;
      else ASSERT_EQ(x, y) << what << " hour " << h << " feature " << i;
    }
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
    with_twin = load_results(cli_city().gpkg, twin);
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
  expect_same(a.link_flow_vph, b.link_flow_vph, "flow");
  expect_same(a.link_speed_kph, b.link_speed_kph, "speed");
  expect_same(a.link_vc, b.link_vc, "v/c");
  expect_same(a.link_delay_s, b.link_delay_s, "delay");
  expect_same(a.bus_utilisation_pct, b.bus_utilisation_pct, "bus utilisation");
  expect_same(a.bus_energised, b.bus_energised, "energised");
  expect_same(a.branch_loading_pct, b.branch_loading_pct, "branch loading");
  expect_same(a.substation_loading_pct, b.substation_loading_pct, "substation loading");
  expect_same(a.district_vehicle_km, b.district_vehicle_km, "vehicle-km");
  expect_same(a.district_ev_energy_kwh, b.district_ev_energy_kwh, "EV energy");
  expect_same(a.district_unserved_kwh, b.district_unserved_kwh, "unserved");
  expect_same(a.kpis.vehicle_hours, b.kpis.vehicle_hours, "KPI vehicle-hours");
  expect_same(a.kpis.delay_hours, b.kpis.delay_hours, "KPI delay");
  expect_same(a.kpis.peak_load_mw, b.kpis.peak_load_mw, "KPI load");
  expect_same(a.kpis.overloaded_assets, b.kpis.overloaded_assets, "KPI overloaded");
  expect_same(a.kpis.dark_signals, b.kpis.dark_signals, "KPI dark signals");
  // --hours 7-9: those hours have values, the others none
  for (int h : {7, 8, 9}) EXPECT_TRUE(std::isfinite(a.kpis.vehicle_hours[std::size_t(h)])) << h;
  EXPECT_TRUE(std::isnan(a.kpis.vehicle_hours[3]));
  for (int h = 0; h < kHours; ++h) EXPECT_EQ(has_values_at(a, h), h >= 7 && h <= 9) << h;
  EXPECT_EQ(first_hour_with_values(a), 7);
  EXPECT_EQ(first_hour_with_values(Results{}), -1);
  double flow = 0;
  for (float f : a.link_flow_vph.hour(8)) flow += f;
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

  // scenario runs need the .twin: the runner says so
  const auto runner = make_results_file_runner();
  EXPECT_FALSE(runner->available());
  EXPECT_NE(runner->unavailable_reason().find(".twin"), std::string::npos);

  // the panels with a results file's twin, on ImGui's null backend
  const test_support::NullBackend backend;
  ViewerState state = default_state(true);
  state.hour = 8;
  auto fields = evaluate_layers(state, {&alone.twin, &alone.results, nullptr, &state.scenario});
  Camera camera{1280 - kLeftPanelWidth, 800};
  camera.fit(view_extent(alone.twin));
  UiModel m;
  m.twin = &alone.twin;
  m.missing = &alone.missing;
  m.state = &state;
  m.baseline = &alone.results;
  m.fields = &fields;
  m.camera = &camera;
  m.runner = runner.get();
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
