#include "viewer/model/view_state.hpp"

#include <cmath>

#include "viewer/model/results.hpp"

namespace citytwin::viewer {

LayerMask ViewerState::visible_mask() const {
  LayerMask m;
  for (std::size_t i = 0; i < kLayerCount; ++i) m[i] = layers[i].visible;
  return m;
}

bool ViewerState::advance(double seconds) {
  if (!playing || seconds <= 0) return false;
  play_clock += seconds * hours_per_second;
  if (play_clock < 1) return false;
  const int steps = int(std::floor(play_clock));
  play_clock -= steps;
  hour = (hour + steps) % kHours;
  return true;
}

ViewerState default_state(bool have_results) {
  ViewerState s;
  s.layer(Layer::Districts) = {true, 0.35f, find_metric(Layer::Districts, "population"), 0};
  s.layer(Layer::Roads) = {true, 1.0f, find_metric(Layer::Roads, have_results ? "vc" : "class"), 0};
  s.layer(Layer::Branches) = {true, 0.9f, find_metric(Layer::Branches, have_results ? "loading" : "rating"), 0};
  s.layer(Layer::Buses) = {false, 1.0f, find_metric(Layer::Buses, have_results ? "utilisation" : "kv"), 6};
  s.layer(Layer::Substations) = {true, 1.0f, find_metric(Layer::Substations, have_results ? "loading" : "capacity"), 9};
  s.layer(Layer::Chargers) = {false, 1.0f, find_metric(Layer::Chargers, "power"), 5};
  return s;
}

bool apply_color_by(ViewerState& s, const std::string& id) {
  const MetricInfo* m = find_metric(id);
  if (!m) return false;
  s.layer(m->layer).metric = m;
  s.layer(m->layer).visible = true;
  return true;
}

}  // namespace citytwin::viewer

namespace citytwin::viewer {
std::array<MetricField, kLayerCount> evaluate_layers(const ViewerState& s, const MetricInputs& in) {
  std::array<MetricField, kLayerCount> out;
  for (std::size_t l = 0; l < kLayerCount; ++l) {
    const MetricInfo* m = s.layers[l].metric;
    if (!m) m = metrics_for(Layer(l)).front();
    out[l] = evaluate_metric(*m, in, s.hour, s.view);
  }
  return out;
}
}  // namespace citytwin::viewer
