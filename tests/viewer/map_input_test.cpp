// The mouse on the map without a window: synthetic frames through MapInput
// (the handler the app feeds with ImGui's mouse state) on the built-in city.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/map_input.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {

constexpr double kMapW = 900, kMapH = 700;

struct Map {
  Twin twin = test_support::hand_laid_twin();
  PickIndex index = PickIndex::build(twin);
  ViewerState state = default_state(false);
  Camera camera{kMapW, kMapH};
  MapInput input;
  Map() { camera.fit(view_extent(twin)); }
  void frame(const MouseFrame& m) { input.frame(m, kMapW, kMapH, camera, state, twin, index); }
  // A press, `moves` held frames moving by `step` each, and a release.
  void drag(ScreenPoint from, ScreenPoint step, int moves) {
    ScreenPoint p = from;
    frame({.pos = p, .pressed = true, .down = true});
    for (int i = 0; i < moves; ++i) {
      p = {p.x + step.x, p.y + step.y};
      frame({.pos = p, .delta = step, .down = true});
    }
    frame({.pos = p, .released = true});
  }
  void click(ScreenPoint p) { drag(p, {0, 0}, 0); }
};

void expect_near(Point2 a, Point2 b, double tol, const char* what) {
  EXPECT_NEAR(a.x, b.x, tol) << what;
  EXPECT_NEAR(a.y, b.y, tol) << what;
}

// Mid-street on the primary middle row, on the east side clear of the grid
// (both directions' links run there).
const Point2 kPrimary{test_support::kGridOrigin.x + 3800, test_support::kGridOrigin.y + 2000};
// The middle of a block: no road within 200 m, inside a district.
const Point2 kBlock{test_support::kGridOrigin.x + 3400, test_support::kGridOrigin.y + 2600};

}  // namespace

TEST(MapInput, DragPansTheWorldPointWithTheCursor) {
  Map m;
  const ScreenPoint start{300, 400};
  const Point2 grabbed = m.camera.screen_to_world(start);
  const double mpp = m.camera.meters_per_pixel();
  m.drag(start, {12, -5}, 6);
  const ScreenPoint now = m.camera.world_to_screen(grabbed);
  EXPECT_NEAR(now.x, 300 + 72, 1e-6);
  EXPECT_NEAR(now.y, 400 - 30, 1e-6);
  EXPECT_EQ(m.camera.meters_per_pixel(), mpp);
  EXPECT_FALSE(m.state.selected) << "a drag is not a click";
  EXPECT_FALSE(m.input.dragging());
}

TEST(MapInput, WheelZoomsAboutTheCursor) {
  Map m;
  const ScreenPoint cursor{650, 180};
  const Point2 under = m.camera.screen_to_world(cursor);
  const double mpp = m.camera.meters_per_pixel();
  m.frame({.pos = cursor, .wheel = 2});
  EXPECT_NEAR(m.camera.meters_per_pixel(), mpp / (MapInput::kWheelZoom * MapInput::kWheelZoom), 1e-9 * mpp);
  expect_near(m.camera.screen_to_world(cursor), under, 1e-6, "zoom in");
  m.frame({.pos = cursor, .wheel = -3});
  EXPECT_NEAR(m.camera.meters_per_pixel(), mpp * MapInput::kWheelZoom, 1e-9 * mpp);
  expect_near(m.camera.screen_to_world(cursor), under, 1e-6, "zoom out");
}

TEST(MapInput, ClickSelectsWhatIsUnderTheCursor) {
  Map m;
  // a street: a road link on the primary row, as the brute-force pick says
  const ScreenPoint street = m.camera.world_to_screen(kPrimary);
  m.click(street);
  ASSERT_TRUE(m.state.selected);
  EXPECT_EQ(m.state.selected->layer, Layer::Roads);
  const auto expect = pick_brute_force(m.twin, kPrimary, MapInput::kPickTolerancePx * m.camera.meters_per_pixel(), all_layers());
  ASSERT_TRUE(expect);
  EXPECT_EQ(m.state.selected->id, expect->id);
  EXPECT_EQ(m.twin.roads.road_class[m.state.selected->id], RoadClass::Primary);
  // within the 6-pixel tolerance still the street; a block's middle is its district
  m.click({street.x, street.y + 4});
  ASSERT_TRUE(m.state.selected);
  EXPECT_EQ(m.state.selected->layer, Layer::Roads);
  m.click(m.camera.world_to_screen(kBlock));
  ASSERT_TRUE(m.state.selected);
  EXPECT_EQ(m.state.selected->layer, Layer::Districts);
  EXPECT_TRUE(m.twin.districts.shape.contains(m.state.selected->id, kBlock));
  // a little jitter while pressed is still a click; outside every feature clears the selection
  m.drag(street, {1, 1}, 1);
  ASSERT_TRUE(m.state.selected);
  EXPECT_EQ(m.state.selected->layer, Layer::Roads);
  const ScreenPoint outside{5, kMapH / 2};  // the wide map leaves empty space beside the square city
  ASSERT_LT(m.camera.screen_to_world(outside).x, test_support::kGridOrigin.x - 200);
  m.click(outside);
  EXPECT_FALSE(m.state.selected);
}

TEST(MapInput, HiddenLayersAreNotPicked) {
  Map m;
  m.state.layer(Layer::Roads).visible = false;
  m.click(m.camera.world_to_screen(kPrimary));
  ASSERT_TRUE(m.state.selected);
  EXPECT_EQ(m.state.selected->layer, Layer::Districts);
}

TEST(MapInput, PanelsAndTheOutsideKeepTheMouse) {
  Map m;
  const Point2 centre = m.camera.center();
  const double mpp = m.camera.meters_per_pixel();
  const ScreenPoint street = m.camera.world_to_screen(kPrimary);
  // a panel over the map has the mouse: no pan, zoom or selection
  m.frame({.pos = street, .wheel = 1, .pressed = true, .down = true, .captured = true});
  m.frame({.pos = {street.x + 50, street.y}, .delta = {50, 0}, .down = true, .captured = true});
  m.frame({.pos = {street.x + 50, street.y}, .released = true, .captured = true});
  EXPECT_FALSE(m.state.selected);
  EXPECT_EQ(m.camera.meters_per_pixel(), mpp);
  expect_near(m.camera.center(), centre, 1e-9, "captured");
  // outside the map rectangle (over the left panel strip): nothing either
  m.click({-10, 300});
  m.frame({.pos = {kMapW + 5, 300}, .wheel = 1});
  EXPECT_FALSE(m.state.selected);
  EXPECT_EQ(m.camera.meters_per_pixel(), mpp);
  // a drag that starts on the map keeps panning when the cursor leaves it
  m.drag({kMapW - 10, 300}, {30, 0}, 2);
  EXPECT_NEAR(m.camera.center().x, centre.x - 60 * mpp, 1e-6);
}

TEST(MapInput, HoverPicksForTheTooltipAndClearsOffTheMap) {
  Map m;
  const ScreenPoint street = m.camera.world_to_screen(kPrimary);
  m.frame({.pos = street, .delta = {1, 0}});
  EXPECT_TRUE(m.input.tooltip());
  ASSERT_TRUE(m.state.hovered);
  EXPECT_EQ(m.state.hovered->layer, Layer::Roads);
  EXPECT_FALSE(m.state.selected) << "hovering does not select";
  m.frame({.pos = street, .pressed = true, .down = true});
  EXPECT_FALSE(m.input.tooltip()) << "no tooltip while dragging";
  m.frame({.pos = street, .released = true});
  m.frame({.pos = {-5, 10}, .delta = {-400, 0}});
  EXPECT_FALSE(m.input.tooltip());
  EXPECT_FALSE(m.state.hovered);
}
