#include <gtest/gtest.h>

#include "viewer/model/camera.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

TEST(Camera, WorldScreenRoundTrip) {
  Camera c(800, 600);
  c.set_center({380000, 5800000});
  c.set_meters_per_pixel(2.5);
  for (Point2 p : {Point2{380000, 5800000}, Point2{379000, 5801234.5}, Point2{381000.25, 5799000}}) {
    const ScreenPoint s = c.world_to_screen(p);
    const Point2 q = c.screen_to_world(s);
    EXPECT_NEAR(q.x, p.x, 1e-6);
    EXPECT_NEAR(q.y, p.y, 1e-6);
  }
  // the centre is the middle of the viewport; north is up
  const ScreenPoint mid = c.world_to_screen({380000, 5800000});
  EXPECT_DOUBLE_EQ(mid.x, 400);
  EXPECT_DOUBLE_EQ(mid.y, 300);
  EXPECT_LT(c.world_to_screen({380000, 5800100}).y, 300);
  const Box2 b = c.visible_box();
  EXPECT_DOUBLE_EQ(b.max_x - b.min_x, 2000);
  EXPECT_DOUBLE_EQ(b.max_y - b.min_y, 1500);
}

TEST(Camera, ZoomKeepsTheAnchorFixed) {
  Camera c(1000, 700);
  c.set_center({100, 200});
  c.set_meters_per_pixel(10);
  const ScreenPoint anchor{137, 611};
  const Point2 before = c.screen_to_world(anchor);
  c.zoom_at(anchor, 1.2);
  EXPECT_NEAR(c.meters_per_pixel(), 10 / 1.2, 1e-12);
  const Point2 after = c.screen_to_world(anchor);
  EXPECT_NEAR(after.x, before.x, 1e-9);
  EXPECT_NEAR(after.y, before.y, 1e-9);
  c.zoom_at(anchor, 0);  // ignored
  EXPECT_NEAR(c.meters_per_pixel(), 10 / 1.2, 1e-12);
}

TEST(Camera, PanMovesTheMapWithTheMouse) {
  Camera c(500, 500);
  c.set_meters_per_pixel(4);
  const Point2 p{40, -20};
  const ScreenPoint s0 = c.world_to_screen(p);
  c.pan_pixels(15, -7);
  const ScreenPoint s1 = c.world_to_screen(p);
  EXPECT_NEAR(s1.x - s0.x, 15, 1e-9);
  EXPECT_NEAR(s1.y - s0.y, -7, 1e-9);
}

TEST(Camera, FitShowsTheWholeBoxCentred) {
  Camera c(800, 400);
  const Box2 box{1000, 2000, 5000, 3000};  // 4000 x 1000 m
  c.fit(box, 0.05);
  EXPECT_DOUBLE_EQ(c.center().x, 3000);
  EXPECT_DOUBLE_EQ(c.center().y, 2500);
  const Box2 v = c.visible_box();
  EXPECT_LE(v.min_x, box.min_x);
  EXPECT_GE(v.max_x, box.max_x);
  EXPECT_LE(v.min_y, box.min_y);
  EXPECT_GE(v.max_y, box.max_y);
  EXPECT_NEAR(c.meters_per_pixel(), 4000 / (800 * 0.9), 1e-9);  // width limits
}

TEST(Camera, ScaleBarPicksNiceLengths) {
  EXPECT_EQ(scale_bar(10, 160).meters, 1000);   // 1600 m fit -> 1 km
  EXPECT_EQ(scale_bar(10, 160).label, "1 km");
  EXPECT_DOUBLE_EQ(scale_bar(10, 160).pixels, 100);
  EXPECT_EQ(scale_bar(1, 160).meters, 100);     // 160 m -> 100 m
  EXPECT_EQ(scale_bar(2, 160).meters, 200);     // 320 m -> 200 m
  EXPECT_EQ(scale_bar(3.5, 160).meters, 500);   // 560 m -> 500 m
  EXPECT_EQ(scale_bar(0.005, 100).label, "50 cm");
  EXPECT_EQ(scale_bar(200, 160).label, "20 km");
  for (double mpp : {0.03, 0.7, 13.0, 99.0, 4321.0}) {
    const ScaleBar b = scale_bar(mpp, 160);
    EXPECT_LE(b.pixels, 160 + 1e-9);
    EXPECT_GT(b.pixels, 160 / 2.5 - 1e-9);  // never less than 1/2.5 of the room (1-2-5 steps)
  }
}
