// The panels and overlays on Dear ImGui's null backend: a context and a font
// atlas, no window and no renderer (the Dear ImGui way of testing UI code),
// driven by the viewer's Controller as the app drives it: open a twin, run
// the baseline, edit, run the scenario, compare. Values are checked against
// coupling::simulate called directly.
#include <gtest/gtest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <filesystem>

#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "core/model/twin.hpp"
#include "viewer/model/controller.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "null_backend.hpp"
#include "temp_dir.hpp"
#include "viewer/ui/ui.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
using test_support::NullBackend;

// The app's frame without GL: bind the model to the controller, draw the
// panels and overlays; handle() then fulfils the requests as the app does.
struct Frame {
  Controller& ctl;
  std::array<MetricField, kLayerCount> fields;
  Camera camera{1280 - kLeftPanelWidth, 800};
  UiModel model;
  explicit Frame(Controller& c) : ctl(c) {
    camera.fit(ctl.twin().extent());
    refresh();
  }
  void refresh() { fields = evaluate_layers(ctl.state(), ctl.inputs()); }
  ImDrawData* frame() {
    bind(model, ctl);
    model.fields = &fields;
    model.camera = &camera;
    model.map = {kLeftPanelWidth, 0, 1280 - kLeftPanelWidth, 800};
    ImGui::NewFrame();
    draw_panels(model);
    draw_map_overlays(ImGui::GetBackgroundDrawList(), model);
    if (ctl.state().selected) draw_hover_tooltip(model, *ctl.state().selected);
    ImGui::Render();
    return ImGui::GetDrawData();
  }
  void handle() {
    ctl.handle(model);
    if (model.fields_dirty) refresh();
    model.fields_dirty = false;
  }
};

// The demo city with its baseline run (for real).
struct DemoWithBaseline {
  Controller ctl;
  DemoWithBaseline() {
    ctl.open_demo();
    ctl.run_now();
    ctl.reset_view();
  }
};

void expect_values(const std::vector<double>& shown, const std::vector<float>& expected, const char* what, int hour) {
  ASSERT_EQ(shown.size(), expected.size()) << what;
  for (std::size_t i = 0; i < shown.size(); ++i)
    if (std::isnan(expected[i])) ASSERT_TRUE(std::isnan(shown[i])) << what << " hour " << hour << " feature " << i;
    else ASSERT_FLOAT_EQ(float(shown[i]), expected[i]) << what << " hour " << hour << " feature " << i;
}
}  // namespace

TEST(UiNullBackend, PanelsAndOverlaysRenderWithoutAWindow) {
  NullBackend backend;
  DemoWithBaseline demo;
  Frame f(demo.ctl);
  for (int i = 0; i < 3; ++i) {
    ImDrawData* d = f.frame();
    ASSERT_NE(d, nullptr);
    EXPECT_GT(d->TotalVtxCount, 1000);
  }
  EXPECT_NE(ImGui::FindWindowByName("citytwin"), nullptr);
  EXPECT_NE(ImGui::FindWindowByName("City KPIs"), nullptr);
  EXPECT_EQ(ImGui::FindWindowByName("Inspector"), nullptr);  // nothing selected yet
}

TEST(UiNullBackend, InspectorForEveryLayerAndView) {
  NullBackend backend;
  DemoWithBaseline demo;
  Frame f(demo.ctl);
  ViewerState& state = demo.ctl.state();
  set_link(state.scenario, 3, 0.0, 0);
  fail_asset(state.scenario, coupling::AssetKind::Substation, 1, 17);
  for (View v : {View::Baseline, View::Scenario, View::Diff}) {
    state.view = v;
    f.refresh();
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      if (feature_count(demo.ctl.twin(), Layer(l)) == 0) continue;
      state.selected = Selection{Layer(l), 0, 0};
      state.hovered = state.selected;
      f.frame();
      EXPECT_NE(ImGui::FindWindowByName("Inspector"), nullptr) << layer_name(Layer(l));
      EXPECT_FALSE(f.model.fields_dirty);  // drawing alone edits nothing
    }
  }
}

TEST(UiNullBackend, ParameterPanelHasARowPerFieldOfTheFieldList) {
  NullBackend backend;
  DemoWithBaseline demo;
  Frame f(demo.ctl);
  f.frame();
  f.frame();
  ImGuiWindow* panel = ImGui::FindWindowByName("citytwin");
  ASSERT_NE(panel, nullptr);
  const float closed = panel->ContentSize.y;
  panel->StateStorage.SetInt(panel->GetID(kParametersNode), 1);  // as a click on the node would
  f.frame();
  f.frame();
  const float open = panel->ContentSize.y;
  const std::size_t rows = coupling::scenario_parameter_fields().size();
  EXPECT_GT(rows, 20u);
  EXPECT_GE(open - closed, 0.9f * float(rows) * ImGui::GetFrameHeight()) << rows << " rows";
  EXPECT_FALSE(f.model.fields_dirty);  // drawing alone edits nothing
}

TEST(UiNullBackend, LoadRunBaselineEditRunScenarioAndCompare) {
  NullBackend backend;
  const Twin city = test_support::hand_laid_twin();
  const auto twin_path = test_support::scratch_dir("controller") / "demo.twin";
  write_snapshot(city, twin_path);

  // load
  Controller ctl;
  ctl.open(twin_path);
  ctl.reset_view();
  EXPECT_EQ(ctl.twin().roads.link_count(), city.roads.link_count());
  EXPECT_EQ(ctl.baseline(), nullptr);
  Frame f(ctl);
  f.frame();
  EXPECT_TRUE(f.model.run.available);
  EXPECT_FALSE(f.fields[std::size_t(Layer::Roads)].metric->hourly);  // no results yet: roads by class

  // "Run scenario" with no results: the baseline runs first, in the background
  f.model.request_run = true;
  f.handle();
  EXPECT_TRUE(ctl.run_status().running || ctl.baseline());
  ctl.wait_for_runs();
  f.handle();
  ASSERT_NE(ctl.baseline(), nullptr) << ctl.status();
  EXPECT_EQ(ctl.scenario_results(), nullptr);  // nothing edited: no scenario run
  EXPECT_EQ(ctl.status(), "baseline run finished");
  EXPECT_STREQ(ctl.state().layer(Layer::Roads).metric->id, "vc");  // results in: roads by v/c

  const coupling::Scenario baseline;
  const coupling::SimulationResult base = coupling::simulate(city, baseline);
  ASSERT_EQ(base.hours.size(), 24u);
  const MetricInfo& vc = *find_metric(Layer::Roads, "vc");
  const MetricInfo& sub_loading = *find_metric(Layer::Substations, "loading");
  for (int h : {3, 8, 17})
    expect_values(metric_values(vc, ctl.inputs(), false, h), base.hours[std::size_t(h)].link_vc, "baseline v/c", h);
  EXPECT_FLOAT_EQ(kpi_series(*ctl.baseline(), Kpi::VehicleHours)[8], float(base.hours[8].totals.vehicle_hours));

  // edit as the inspector does: close a primary street, fail a substation from 17:00
  std::uint32_t closed = 0;
  while (ctl.twin().roads.road_class[closed] != RoadClass::Primary) ++closed;
  coupling::Scenario& edits = ctl.state().scenario;
  edits.name = "closure and fault";
  set_link(edits, closed, 0.0, 0);
  fail_asset(edits, coupling::AssetKind::Substation, 1, 17);
  f.model.fields_dirty = true;
  f.handle();
  f.frame();

  // run the scenario (the baseline is there: only the scenario runs)
  f.model.request_run = true;
  f.handle();
  EXPECT_EQ(ctl.status(), "running the scenario");
  ctl.wait_for_runs();
  f.handle();
  ASSERT_NE(ctl.scenario_results(), nullptr) << ctl.status();
  EXPECT_EQ(ctl.state().view, View::Scenario);
  EXPECT_EQ(ctl.scenario_results()->label, "scenario: closure and fault (coupled run)");

  coupling::Scenario direct;
  direct.name = "closure and fault";
  direct.link_changes = {{{closed}, 0.0, 0, 23}};
  direct.outages = {{coupling::AssetKind::Substation, 1, 17, coupling::kNeverRepaired}};
  const coupling::SimulationResult scen = coupling::simulate(city, direct);
  ASSERT_EQ(scen.hours.size(), 24u);
  for (int h : {8, 18}) {
    const auto& hr = scen.hours[std::size_t(h)];
    expect_values(metric_values(vc, ctl.inputs(), true, h), hr.link_vc, "scenario v/c", h);
    EXPECT_EQ(metric_values(*find_metric(Layer::Roads, "flow"), ctl.inputs(), true, h)[closed], 0.0);
    std::vector<float> loading_pct;
    for (float u : hr.substation_utilisation) loading_pct.push_back(float(double(u) * 100.0));
    expect_values(metric_values(sub_loading, ctl.inputs(), true, h), loading_pct, "scenario substation loading", h);
  }
  EXPECT_EQ(scen.hours[18].substation_failed[1], 1);  // the run took it out, as asked

  // the difference view: scenario minus baseline, per link and in the KPI window
  ctl.state().view = View::Diff;
  ctl.state().hour = 18;
  f.refresh();
  f.frame();
  const MetricField& diff = f.fields[std::size_t(Layer::Roads)];
  EXPECT_TRUE(diff.diverging);
  ASSERT_EQ(diff.values.size(), city.roads.link_count());
  for (std::size_t i = 0; i < diff.values.size(); ++i) {
    const double expect = double(scen.hours[18].link_vc[i]) - double(base.hours[18].link_vc[i]);
    if (std::isnan(expect)) ASSERT_TRUE(std::isnan(diff.values[i])) << i;
    else ASSERT_DOUBLE_EQ(diff.values[i], expect) << i;
  }
  const auto unserved_b = kpi_series(*ctl.baseline(), Kpi::UnservedMwh);
  const auto unserved_s = kpi_series(*ctl.scenario_results(), Kpi::UnservedMwh);
  EXPECT_FLOAT_EQ(unserved_s[18] - unserved_b[18],
                  float(scen.hours[18].totals.unserved_energy_mwh) - float(base.hours[18].totals.unserved_energy_mwh));
  EXPECT_GT(unserved_s[18], unserved_b[18]);  // a failed substation leaves load unserved

  // Save, then Load into a fresh viewer: the same scenario comes back
  f.model.scenario_path = (test_support::scratch_dir("controller") / "saved.toml").string();
  f.model.request_save = true;
  f.handle();
  EXPECT_EQ(ctl.status(), "saved " + f.model.scenario_path) << ctl.status();
  Controller again;
  again.open(twin_path);
  Frame g(again);
  g.model.scenario_path = f.model.scenario_path;
  g.model.request_load = true;
  g.handle();
  EXPECT_EQ(again.status(), "loaded " + f.model.scenario_path);
  EXPECT_EQ(again.state().scenario.name, "closure and fault");
  EXPECT_EQ(link_edits(again.state().scenario), link_edits(ctl.state().scenario));
  ASSERT_EQ(again.state().scenario.outages.size(), 1u);
  EXPECT_EQ(again.state().scenario.outages[0].from_hour, 17);

  // errors go to the status line: a file that is not there, an id the twin does not have (nothing written)
  g.model.scenario_path = (test_support::scratch_dir("controller") / "missing.toml").string();
  g.model.request_load = true;
  g.handle();
  EXPECT_NE(again.status().find("missing.toml"), std::string::npos) << again.status();
  EXPECT_EQ(again.state().scenario.name, "closure and fault");  // unchanged
  set_link(again.state().scenario, std::uint32_t(city.roads.link_count()), 0.0, 0);
  g.model.scenario_path = (test_support::scratch_dir("controller") / "bad_id.toml").string();
  g.model.request_save = true;
  g.handle();
  EXPECT_NE(again.status().find("does not exist"), std::string::npos) << again.status();
  EXPECT_FALSE(std::filesystem::exists(g.model.scenario_path));

  // a run can be cancelled; the status says what happened
  f.model.request_run = true;
  f.handle();
  f.model.request_cancel = true;
  f.handle();
  ctl.wait_for_runs();
  f.handle();
  EXPECT_TRUE(ctl.status() == "run cancelled" || ctl.status() == "scenario run finished") << ctl.status();
  EXPECT_FALSE(ctl.run_status().running);
}

TEST(Inspector, EveryAttributeAndItsProvenance) {
  const Twin t = test_support::hand_laid_twin();
  const auto attrs = attributes(t, {Layer::Roads, 5, 0});
  auto value = [&](const std::string& name) {
    for (const auto& a : attrs)
      if (a.name == name) return a.value;
    return std::string("<missing>");
  };
  EXPECT_EQ(value("class"), "secondary");  // row 0 is the outer ring
  EXPECT_EQ(value("capacity"), "1500 veh/h");
  EXPECT_EQ(value("length"), "400.0 m");
  const Provenance p = provenance(t, {Layer::Roads, 5, 0});
  EXPECT_EQ(p.department, "citytwin");
  EXPECT_EQ(p.layer, "roads");
  EXPECT_EQ(p.feature, t.roads.link_source.feature[5]);
  EXPECT_FALSE(p.inferred);
  for (std::size_t l = 0; l < kLayerCount; ++l)
    if (feature_count(t, Layer(l))) {
      EXPECT_FALSE(attributes(t, {Layer(l), 0, 0}).empty()) << layer_name(Layer(l));
    }
  const coupling::Scenario baseline;
  const Results r(coupling::simulate(t, baseline), "baseline");
  const auto series = hourly_series(t, {Layer::Roads, 5, 0}, &r, nullptr);
  ASSERT_FALSE(series.empty());
  EXPECT_EQ(series.front().baseline.size(), 24u);
  EXPECT_TRUE(series.front().scenario.empty());
}

TEST(Inspector, OsmAttribution) {
  Twin t = test_support::hand_laid_twin();
  EXPECT_EQ(attribution(t), "");
  t.sources.push_back({"transport", "/data/malta-2018-08-27.osm.pbf", "lines"});
  EXPECT_EQ(attribution(t), "\xC2\xA9 OpenStreetMap contributors");
}
