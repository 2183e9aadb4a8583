#pragma once
// What the mouse does on the map, decided without a window: drag to pan, the
// wheel zooms about the cursor, a click (press and release within 4 points
// of travel) selects through the R-tree with a 6-pixel tolerance, hovering
// picks the feature for the tooltip. The app feeds it ImGui's mouse state
// once per frame; the tests feed it synthetic frames.
#include "viewer/model/camera.hpp"
#include "viewer/model/selection.hpp"
#include "viewer/model/view_state.hpp"

namespace citytwin::viewer {

// One frame of mouse input, in UI points relative to the map rectangle.
struct MouseFrame {
  ScreenPoint pos;
  ScreenPoint delta;      // movement since the previous frame
  float wheel = 0;        // notches, > 0 away from the user (zoom in)
  bool pressed = false;   // left button went down this frame
  bool down = false;      // left button is held
  bool released = false;  // left button went up this frame
  bool captured = false;  // a panel has the mouse (ImGui's WantCaptureMouse)
};

class MapInput {
 public:
  static constexpr double kClickSlop = 4;        // points of travel still counted as a click
  static constexpr double kPickTolerancePx = 6;  // pixels around the cursor
  static constexpr double kWheelZoom = 1.2;      // scale factor per wheel notch

  // Updates camera, state.selected and state.hovered. map_w x map_h: the map
  // rectangle in points (the camera's viewport).
  void frame(const MouseFrame& m, double map_w, double map_h, Camera& camera, ViewerState& state, const Twin& twin,
             const PickIndex& index);
  bool dragging() const { return dragging_; }
  // Show the hover tooltip this frame (over the map, not dragging).
  bool tooltip() const { return tooltip_; }

 private:
  bool dragging_ = false, tooltip_ = false;
  double drag_distance_ = 0;
};

}  // namespace citytwin::viewer
