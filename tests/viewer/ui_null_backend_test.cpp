// The panels and overlays on Dear ImGui's null backend: a context and a font
// atlas, no window and no renderer (the Dear ImGui way of testing UI code).
#include <gtest/gtest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/model/twin.hpp"
#include "viewer/model/demo_twin.hpp"
#include "viewer/model/inspector.hpp"
#include "null_backend.hpp"
#include "viewer/ui/ui.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
using test_support::NullBackend;

struct Fixture {
  Twin twin = demo_twin();
  Results results;
  ViewerState state = default_state(true);
  std::array<MetricField, kLayerCount> fields;
  Camera camera{1280 - kLeftPanelWidth, 800};
  std::unique_ptr<ScenarioRunner> runner = make_coupled_runner();
  UiModel model;
  Fixture() {
    results = synthetic_results(twin, Scenario{});
    camera.fit(twin.extent());
    refresh();
    model.twin = &twin;
    model.state = &state;
    model.baseline = &results;
    model.fields = &fields;
    model.camera = &camera;
    model.runner = runner.get();
    model.map = {kLeftPanelWidth, 0, 1280 - kLeftPanelWidth, 800};
  }
  void refresh() { fields = evaluate_layers(state, {&twin, &results, nullptr, &state.scenario}); }
  ImDrawData* frame() {
    ImGui::NewFrame();
    draw_panels(model);
    draw_map_overlays(ImGui::GetBackgroundDrawList(), model);
    if (state.selected) draw_hover_tooltip(model, *state.selected);
    ImGui::Render();
    return ImGui::GetDrawData();
  }
};
}  // namespace

TEST(UiNullBackend, PanelsAndOverlaysRenderWithoutAWindow) {
  NullBackend backend;
  Fixture f;
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
  Fixture f;
  f.state.scenario.set_road({3, 0.0, 0});
  f.state.scenario.fail_substation(1, 17);
  for (View v : {View::Baseline, View::Scenario, View::Diff}) {
    f.state.view = v;
    f.refresh();
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      if (feature_count(f.twin, Layer(l)) == 0) continue;
      f.state.selected = Selection{Layer(l), 0, 0};
      f.state.hovered = f.state.selected;
      f.frame();
      EXPECT_NE(ImGui::FindWindowByName("Inspector"), nullptr) << layer_name(Layer(l));
      EXPECT_FALSE(f.model.fields_dirty);  // drawing alone edits nothing
    }
  }
}

TEST(Inspector, EveryAttributeAndItsProvenance) {
  const Twin t = demo_twin();
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
  const Results r = synthetic_results(t, Scenario{});
  const auto series = hourly_series(t, {Layer::Roads, 5, 0}, &r, nullptr);
  ASSERT_FALSE(series.empty());
  EXPECT_EQ(series.front().baseline.size(), 24u);
  EXPECT_TRUE(series.front().scenario.empty());
}

TEST(Inspector, OsmAttribution) {
  Twin t = demo_twin();
  EXPECT_EQ(attribution(t), "");
  t.sources.push_back({"transport", "/data/malta-2018-08-27.osm.pbf", "lines"});
  EXPECT_EQ(attribution(t), "\xC2\xA9 OpenStreetMap contributors");
}
