#include "viewer/model/map_input.hpp"

#include <cmath>

namespace citytwin::viewer {

void MapInput::frame(const MouseFrame& m, double map_w, double map_h, Camera& camera, ViewerState& state, const Twin& twin,
                     const PickIndex& index) {
  const bool over_map = !m.captured && m.pos.x >= 0 && m.pos.y >= 0 && m.pos.x < map_w && m.pos.y < map_h;
  auto pick_here = [&] {
    return pick(twin, index, camera.screen_to_world(m.pos), kPickTolerancePx * camera.meters_per_pixel(), state.visible_mask());
  };
  if (dragging_ && m.down) {
    camera.pan_pixels(m.delta.x, m.delta.y);
    drag_distance_ += std::abs(m.delta.x) + std::abs(m.delta.y);
  }
  if (over_map && m.pressed) {
    dragging_ = true;
    drag_distance_ = 0;
  }
  if (dragging_ && m.released) {
    dragging_ = false;
    if (drag_distance_ < kClickSlop && over_map) state.selected = pick_here();
  }
  if (over_map && m.wheel != 0) camera.zoom_at(m.pos, std::pow(kWheelZoom, m.wheel));
  tooltip_ = over_map && !dragging_;
  if (tooltip_ && (m.delta.x != 0 || m.delta.y != 0 || m.wheel != 0)) state.hovered = pick_here();
  if (!over_map) state.hovered.reset();
}

}  // namespace citytwin::viewer
