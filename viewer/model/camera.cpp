#include "viewer/model/camera.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace citytwin::viewer {

void Camera::set_viewport(double width_px, double height_px) {
  width_ = std::max(1.0, width_px);
  height_ = std::max(1.0, height_px);
}

void Camera::set_meters_per_pixel(double mpp) {
  if (!std::isfinite(mpp)) return;
  mpp_ = std::clamp(mpp, kMinMetersPerPixel, kMaxMetersPerPixel);
}

ScreenPoint Camera::world_to_screen(Point2 p) const {
  return {(p.x - center_.x) / mpp_ + width_ / 2, height_ / 2 - (p.y - center_.y) / mpp_};
}

Point2 Camera::screen_to_world(ScreenPoint s) const {
  return {center_.x + (s.x - width_ / 2) * mpp_, center_.y - (s.y - height_ / 2) * mpp_};
}

Box2 Camera::visible_box() const {
  const double hw = width_ / 2 * mpp_, hh = height_ / 2 * mpp_;
  return {center_.x - hw, center_.y - hh, center_.x + hw, center_.y + hh};
}

void Camera::pan_pixels(double dx, double dy) {
  center_.x -= dx * mpp_;
  center_.y += dy * mpp_;
}

void Camera::zoom_at(ScreenPoint anchor, double factor) {
  if (!(factor > 0) || !std::isfinite(factor)) return;
  const Point2 before = screen_to_world(anchor);
  set_meters_per_pixel(mpp_ / factor);
  const Point2 after = screen_to_world(anchor);
  center_.x += before.x - after.x;
  center_.y += before.y - after.y;
}

void Camera::fit(const Box2& box, double margin) {
  if (box.empty()) return;
  center_ = {(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
  const double usable_w = width_ * (1 - 2 * margin), usable_h = height_ * (1 - 2 * margin);
  const double w = std::max(box.max_x - box.min_x, 1e-9), h = std::max(box.max_y - box.min_y, 1e-9);
  set_meters_per_pixel(std::max(w / std::max(usable_w, 1.0), h / std::max(usable_h, 1.0)));
}

ScaleBar scale_bar(double meters_per_pixel, double max_pixels) {
  ScaleBar bar;
  if (!(meters_per_pixel > 0) || !(max_pixels > 0)) return bar;
  const double max_m = meters_per_pixel * max_pixels;
  double p10 = std::pow(10.0, std::floor(std::log10(max_m)));
  double best = p10;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p10 <= max_m * (1 + 1e-12)) best = m * p10;
  bar.meters = best;
  bar.pixels = best / meters_per_pixel;
  char buf[32];
  if (best >= 1000)
    std::snprintf(buf, sizeof buf, "%g km", best / 1000);
  else if (best >= 1)
    std::snprintf(buf, sizeof buf, "%g m", best);
  else
    std::snprintf(buf, sizeof buf, "%g cm", best * 100);
  bar.label = buf;
  return bar;
}

}  // namespace citytwin::viewer
