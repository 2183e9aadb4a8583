#pragma once
// The map camera: a centre in world metres (the twin's metric CRS), a scale in
// metres per pixel and a viewport in pixels. Screen y grows downwards, world
// y upwards. All pan / zoom / fit math lives here so it is tested without a
// window; the GL renderer only turns it into a shader transform.
#include <string>

#include "core/model/geometry_columns.hpp"

namespace citytwin::viewer {

struct ScreenPoint {
  double x = 0, y = 0;
};

class Camera {
 public:
  Camera() = default;
  Camera(double width_px, double height_px) { set_viewport(width_px, height_px); }

  void set_viewport(double width_px, double height_px);
  double width() const { return width_; }
  double height() const { return height_; }

  Point2 center() const { return center_; }
  double meters_per_pixel() const { return mpp_; }
  void set_center(Point2 c) { center_ = c; }
  void set_meters_per_pixel(double mpp);

  ScreenPoint world_to_screen(Point2 p) const;
  Point2 screen_to_world(ScreenPoint s) const;
  // The world box the viewport shows.
  Box2 visible_box() const;

  // Moves the map with the mouse: a drag of (dx, dy) pixels moves the world
  // point under the cursor by the same pixels.
  void pan_pixels(double dx, double dy);
  // Multiplies the scale by 1/factor (factor > 1 zooms in) keeping the world
  // point under `anchor` fixed on screen.
  void zoom_at(ScreenPoint anchor, double factor);
  // Shows the whole box with a margin (fraction of the viewport on each side).
  void fit(const Box2& box, double margin = 0.03);

  static constexpr double kMinMetersPerPixel = 0.02;
  static constexpr double kMaxMetersPerPixel = 100000.0;

 private:
  double width_ = 1, height_ = 1;
  Point2 center_{};
  double mpp_ = 1;
};

// A scale bar: the longest "nice" length (1, 2 or 5 x 10^k metres) that fits
// in max_pixels, its width in pixels and a label ("500 m", "2 km").
struct ScaleBar {
  double meters = 0;
  double pixels = 0;
  std::string label;
};
ScaleBar scale_bar(double meters_per_pixel, double max_pixels);

}  // namespace citytwin::viewer
