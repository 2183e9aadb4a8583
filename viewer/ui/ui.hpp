#pragma once
// The viewer's Dear ImGui panels and map overlays. Platform-agnostic: no GL,
// no GLFW (the Dear ImGui way: the core UI is backend-free), so the tests run
// them with ImGui's null backend (a context, a font atlas, no renderer).
// Panels edit the ViewerState and raise requests (PanelRequests); the
// Controller fulfils those that need files or runs, the app (viewer/app)
// those that need GL.
#include <array>
#include <string>

#include <imgui.h>

#include "viewer/model/camera.hpp"
#include "viewer/model/controller.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/selection.hpp"
#include "viewer/model/view_state.hpp"

namespace citytwin::viewer {

struct MapRect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct UiModel : PanelRequests {
  const Twin* twin = nullptr;
  std::string twin_path;
  // Attributes the twin lacks (opened from a results GeoPackage alone); null: a full twin.
  const MissingAttributes* missing = nullptr;
  ViewerState* state = nullptr;
  const Results* baseline = nullptr;
  const Results* scenario_results = nullptr;
  RunStatus run;  // the run state machine, this frame
  const std::array<MetricField, kLayerCount>* fields = nullptr;
  const Camera* camera = nullptr;
  MapRect map;

  std::string status;  // one line shown under the panels (errors, "saved ...")
  int edit_from_hour = 0;      // inspector's what-if controls
  float edit_keep_pct = 50;
  std::string renderer_info;
  float frame_ms = 0;
  std::size_t drawn_vertices = 0;
};

// Points the model at the controller's twin, state, results, run status and
// status line (fields, camera and map rectangle are the caller's). Once a frame.
void bind(UiModel& m, Controller& c);

inline constexpr float kLeftPanelWidth = 340;
// The scenario panel's tree node of the run's parameters (closed at first).
inline constexpr const char* kParametersNode = "Model parameters";

// Left panel (time, view, layers, scenario), inspector, KPI window.
void draw_panels(UiModel& m);
// Legends, title, scale bar, attribution, selection and scenario markers, into
// `dl` over the map rectangle (the background draw list: above the GL map,
// under the windows).
void draw_map_overlays(ImDrawList* dl, const UiModel& m);
// Tooltip for the feature under the mouse.
void draw_hover_tooltip(const UiModel& m, const Selection& s);

// Dark theme and no .ini file (deterministic layout for screenshots and tests).
void setup_style();

// Legend geometry, exposed for the screenshot tests: the legends are stacked
// upwards from the bottom-left corner of the map, kLegendWidth wide.
inline constexpr float kLegendWidth = 270, kLegendMargin = 12;

}  // namespace citytwin::viewer
