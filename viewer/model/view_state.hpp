#pragma once
// The viewer's state that is not drawing: which layers are on, what they are
// coloured by, the hour and play state, the view (baseline / scenario /
// diff), the selection and the scenario being edited. Panels read and write
// it; the renderer only reads it.
#include <array>
#include <optional>
#include <string>

#include "viewer/model/metrics.hpp"
#include "core/coupling/scenario.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/model/selection.hpp"

namespace citytwin::viewer {

struct LayerState {
  bool visible = true;
  float opacity = 1.0f;
  const MetricInfo* metric = nullptr;
  float point_size_px = 7.0f;  // point layers
};

struct ViewerState {
  std::array<LayerState, kLayerCount> layers;
  int hour = 8;
  bool playing = false;
  float hours_per_second = 1.5f;
  View view = View::Baseline;
  bool show_connectors = false;
  std::optional<Selection> selected, hovered;
  coupling::Scenario scenario = untitled_scenario();  // the what-if being edited: what a scenario run runs
  ScenarioNotes notes;                                 // its description and EV projection (the panel's sliders)
  double play_clock = 0;  // fractional hour while playing

  LayerState& layer(Layer l) { return layers[std::size_t(l)]; }
  const LayerState& layer(Layer l) const { return layers[std::size_t(l)]; }
  LayerMask visible_mask() const;

  // Advances the hour while playing (wraps 23 -> 0). Returns true if the hour changed.
  bool advance(double seconds);
};

// Sensible first view: districts by population under roads by class (or by
// v/c when hourly results exist), grid on top.
ViewerState default_state(bool have_results);

// --color-by: sets the metric of the layer it belongs to and makes that layer
// visible. Returns false (state unchanged) for an unknown id.
bool apply_color_by(ViewerState& s, const std::string& id);

}  // namespace citytwin::viewer

namespace citytwin::viewer {
// The colour fields of every layer for the current hour, view and metrics.
std::array<MetricField, kLayerCount> evaluate_layers(const ViewerState& s, const MetricInputs& in);
}  // namespace citytwin::viewer
