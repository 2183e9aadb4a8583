// Runs the real citytwin-viewer under xvfb-run (Mesa llvmpipe) and checks the
// picture: road colours where the built-in city's roads are, the legend, and
// that hours, colour-bys and views change what is drawn; a results GeoPackage
// of the real CLI opened alone. Skipped, with the
// reason printed, where xvfb-run is not installed.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/model/snapshot.hpp"
#include "viewer/model/camera.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/image.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/results_file.hpp"
#include "core/coupling/simulation.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/model/scenario_file.hpp"
#include "viewer/ui/ui.hpp"
#include "cli_city.hpp"
#include "temp_dir.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {

constexpr int kW = 800, kH = 600;

std::filesystem::path out_dir() { return test_support::scratch_dir("screenshots"); }

bool have_xvfb() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

// Runs the viewer; returns its exit status.
int run_viewer(const std::string& args, const std::filesystem::path& png) {
  const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1600x1000x24\" ") + CITYTWIN_VIEWER_BIN +
                          " --screenshot " + png.string() + " --width " + std::to_string(kW) + " --height " +
                          std::to_string(kH) + " " + args + " > " + png.string() + ".log 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Image shoot(const std::string& name, const std::string& args) {
  const auto png = out_dir() / (name + ".png");
  const int rc = run_viewer(args, png);
  std::ifstream log(png.string() + ".log");
  const std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_EQ(rc, 0) << text;
  return read_png(png);
}

int channel_distance(Rgba a, Rgba b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// Is one of `colours` within `tol` of a pixel within `r` pixels of (x, y)?
bool colour_near(const Image& img, double x, double y, const std::vector<Rgba>& colours, int tol = 10, int r = 2) {
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      const int px = int(std::lround(x)) + dx, py = int(std::lround(y)) + dy;
      if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
      for (Rgba c : colours)
        if (channel_distance(img.pixel(px, py), c) <= tol) return true;
    }
  return false;
}

std::string describe_around(const Image& img, double x, double y) {
  const Rgba p = img.pixel(int(std::lround(x)), int(std::lround(y)));
  return "pixel (" + std::to_string(int(x)) + "," + std::to_string(int(y)) + ") = " + std::to_string(p.r) + "," +
         std::to_string(p.g) + "," + std::to_string(p.b);
}

std::size_t differing_pixels(const Image& a, const Image& b) {
  std::size_t n = 0;
  for (int y = 0; y < a.height; ++y)
    for (int x = 0; x < a.width; ++x) n += channel_distance(a.pixel(x, y), b.pixel(x, y)) > 8;
  return n;
}

// The screen position of a world point in a --screenshot without panels.
ScreenPoint screen_of(const Twin& t, Point2 p) {
  Camera cam(kW, kH);
  cam.fit(view_extent(t));  // what the viewer fits to
  return cam.world_to_screen(p);
}

// Links whose straight geometry passes through p (both directions of a street).
std::vector<std::size_t> links_at(const Twin& t, Point2 p) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.roads.link_count(); ++i) {
    const Point2 a = t.roads.geometry.point(i, 0), b = t.roads.geometry.point(i, 1);
    const double cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    const bool inside = std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
                        p.y <= std::max(a.y, b.y);
    if (std::abs(cross) < 1e-6 && inside) out.push_back(i);
  }
  return out;
}

// Points on the east side of the hand-laid city, clear of the grid and the legends.
// (mid-street: x = 3800 m lies between the columns at 3600 m and 4000 m)
const Point2 kPrimary{test_support::kGridOrigin.x + 3800, test_support::kGridOrigin.y + 2000};      // middle row
const Point2 kResidential{test_support::kGridOrigin.x + 3800, test_support::kGridOrigin.y + 2400};  // row 6
const Point2 kTertiary{test_support::kGridOrigin.x + 3800, test_support::kGridOrigin.y + 3200};     // row 8

class Screenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_xvfb()) GTEST_SKIP() << "xvfb-run not found: install Debian's xvfb (scripts/install-deps.sh) to run the "
                                      "screenshot tests";
  }
  Twin twin = test_support::hand_laid_twin();
  // The tests that look at known positions open the hand-laid twin as a file;
  // the others open the viewer's own built-in (generated) city.
  std::string hand_laid_file() const {
    const auto path = out_dir() / "hand_laid.twin";
    if (!std::filesystem::exists(path)) write_snapshot(twin, path);
    return path.string();
  }
};

}  // namespace

TEST_F(Screenshot, RoadClassColoursAtKnownPositions) {
  const Image img = shoot("class", hand_laid_file() + " --color-by class");
  ASSERT_EQ(img.width, kW);
  ASSERT_EQ(img.height, kH);
  const ColorMap& rc = ColorMap::get(ColorMapId::RoadClass);
  for (auto [p, cls] : {std::pair{kPrimary, RoadClass::Primary}, std::pair{kResidential, RoadClass::Residential},
                        std::pair{kTertiary, RoadClass::Tertiary}}) {
    const ScreenPoint s = screen_of(twin, p);
    EXPECT_TRUE(colour_near(img, s.x, s.y, {rc.category(std::size_t(cls))}))
        << road_class_name(cls) << " expected at " << describe_around(img, s.x, s.y);
    // and not the colour of another class
    const RoadClass other = cls == RoadClass::Primary ? RoadClass::Residential : RoadClass::Primary;
    EXPECT_FALSE(colour_near(img, s.x, s.y, {rc.category(std::size_t(other))}, 10, 0));
  }
  // the middle of a block is district fill, not road
  const ScreenPoint block = screen_of(twin, {test_support::kGridOrigin.x + 3400, test_support::kGridOrigin.y + 2600});
  EXPECT_FALSE(colour_near(img, block.x, block.y, {rc.category(std::size_t(RoadClass::Primary)),
                                                   rc.category(std::size_t(RoadClass::Residential))}, 10, 0));
}

TEST_F(Screenshot, LegendIsDrawnBottomLeft) {
  const Image img = shoot("legend", "--color-by population");
  // the districts' legend (lowest layer) sits at the bottom-left: its viridis
  // gradient bar is drawn unblended, so the map's exact colours appear there
  const ColorMap cm = display_colormap(ColorMapId::Viridis, false);
  for (double t : {0.0, 0.5, 1.0}) {
    bool found = false;
    for (int y = kH - 120; y < kH && !found; ++y)
      for (int x = 0; x < int(kLegendMargin + kLegendWidth) && !found; ++x)
        found = channel_distance(img.pixel(x, y), cm.at(t)) <= 3;
    EXPECT_TRUE(found) << "legend colour at t=" << t;
  }
  // legend panels are dark boxes with light text: both present in the corner
  std::size_t light = 0;
  for (int y = kH - 120; y < kH; ++y)
    for (int x = 0; x < 200; ++x) light += img.pixel(x, y).r > 220 && img.pixel(x, y).g > 220 && img.pixel(x, y).b > 220;
  EXPECT_GT(light, 50u) << "legend text";
}

TEST_F(Screenshot, HoursDifferAndVcColoursMatchTheResults) {
  // --run: the coupled run of the hand-laid city, whose v/c the test computes with coupling::simulate
  const Image night = shoot("vc_03", hand_laid_file() + " --run --color-by vc --hour 3");
  const Image peak = shoot("vc_17", hand_laid_file() + " --run --color-by vc --hour 17");
  EXPECT_GT(differing_pixels(night, peak), 2000u);
  const coupling::Scenario baseline;
  const Results r(coupling::simulate(twin, baseline), "baseline");
  MetricInputs in{&twin, &r};
  for (auto [img, hour] : {std::pair{&night, 3}, std::pair{&peak, 17}}) {
    const MetricField f = evaluate_metric(*find_metric("vc"), in, hour, View::Baseline);
    for (Point2 p : {kPrimary, kTertiary}) {
      std::vector<Rgba> expect;
      for (std::size_t link : links_at(twin, p)) expect.push_back(f.color(link));
      ASSERT_EQ(expect.size(), 2u);
      const ScreenPoint s = screen_of(twin, p);
      EXPECT_TRUE(colour_near(*img, s.x, s.y, expect, 6)) << "hour " << hour << " " << describe_around(*img, s.x, s.y);
    }
  }
}

TEST_F(Screenshot, CoupledRunHoursDiffer) {
  // --run: the real coupled traffic + grid run of the built-in city before the frame
  const Image night = shoot("run_03", "--run --color-by vc --hour 3");
  const Image peak = shoot("run_08", "--run --color-by vc --hour 8");
  EXPECT_GT(differing_pixels(night, peak), 500u);
}

TEST_F(Screenshot, ColourBysDiffer) {
  const Image cls = shoot("by_class", "--color-by class");
  const Image speed = shoot("by_speed", "--color-by speed_limit");
  const Image capacity = shoot("by_capacity", "--color-by capacity");
  EXPECT_GT(differing_pixels(cls, speed), 2000u);
  EXPECT_GT(differing_pixels(cls, capacity), 2000u);
  EXPECT_GT(differing_pixels(speed, capacity), 500u);
}

TEST_F(Screenshot, DiffViewOfAScenarioFromAFile) {
  // a .twin file and a scenario file, as a planner would pass them
  const auto twin_path = out_dir() / "demo.twin";
  write_snapshot(twin, twin_path);
  const std::vector<std::size_t> closed = links_at(twin, kResidential);
  coupling::Scenario s;
  s.name = "close a street";
  for (std::size_t l : closed) set_link(s, std::uint32_t(l), 0.0, 0);
  const auto scenario_path = out_dir() / "close.toml";
  write_scenario(scenario_path, s, {}, twin, twin_path.string());

  const std::string common = twin_path.string() + " --scenario " + scenario_path.string() + " --color-by capacity";
  const Image base = shoot("scn_base", common + " --view baseline");
  const Image diff = shoot("scn_diff", common + " --view diff");
  EXPECT_GT(differing_pixels(base, diff), 2000u);
  // unchanged roads take the light middle of the diverging map ...
  const Rgba middle = display_colormap(ColorMapId::Diverging, false).lut()[128];
  const ScreenPoint p = screen_of(twin, kPrimary);
  EXPECT_TRUE(colour_near(diff, p.x, p.y, {middle}, 6)) << describe_around(diff, p.x, p.y);
  // ... and the closed street carries the red closure marker in every view
  const ScreenPoint c = screen_of(twin, kResidential);
  for (const Image* img : {&base, &diff})
    EXPECT_TRUE(colour_near(*img, c.x, c.y, {Rgba{255, 60, 60, 255}}, 12, 3)) << describe_around(*img, c.x, c.y);
}

TEST_F(Screenshot, PanelsRenderWithTheInspector) {
  const Image img = shoot("ui", "--ui --run --select roads:118 --hour 18");
  // the left panel is opaque dark; the map starts right of it
  const Rgba panel = img.pixel(5, kH / 2);
  EXPECT_LT(int(panel.r) + panel.g + panel.b, 3 * 80);
  EXPECT_GT(differing_pixels(img, shoot("no_ui", "--run --hour 18")), 20000u);
}

TEST_F(Screenshot, InteractiveLoopRunsAndQuits) {
  // the windowed path (panels, input handling, requests) for 30 frames, with a scenario loaded;
  // the built-in city's baseline and then the scenario run in the background meanwhile
  coupling::Scenario s;
  s.name = "smoke";
  set_link(s, 3, 0.0, 0);
  const auto path = out_dir() / "smoke.toml";
  write_scenario(path, s, {}, twin);
  const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1600x1000x24\" ") + CITYTWIN_VIEWER_BIN +
                          " --frames 30 --select roads:3 --scenario " + path.string() + " > " +
                          (out_dir() / "interactive.log").string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 0);
}

TEST_F(Screenshot, ErrorsExitWithTheirCodes) {
  EXPECT_EQ(run_viewer("/nonexistent/city.twin", out_dir() / "missing.png"), 3);  // IoError
  EXPECT_EQ(run_viewer("--color-by bogus", out_dir() / "bogus.png"), 2);         // InvalidInput
  EXPECT_FALSE(std::filesystem::exists(out_dir() / "missing.png"));
}

TEST_F(Screenshot, ResultsGeoPackageAloneDrawsTheRun) {
  // `citytwin run --hours 7-9` of a generated city, opened without its .twin
  ASSERT_TRUE(test_support::cli_city().error.empty()) << test_support::cli_city().error;
  const std::string gpkg = test_support::cli_city().gpkg.string(), twin_file = test_support::cli_city().twin.string();
  const Image alone = shoot("gpkg_alone_08", gpkg + " --color-by vc --hour 8");
  const Image night = shoot("gpkg_alone_03", gpkg + " --color-by vc --hour 3");  // no values: grey roads
  const Image with_twin = shoot("gpkg_twin_08", twin_file + " --results " + gpkg + " --color-by vc --hour 8");
  EXPECT_GT(differing_pixels(alone, night), 500u);
  // the same map as the twin with --results; only the title's name differs
  EXPECT_LT(differing_pixels(alone, with_twin), std::size_t(kW * kH / 100));

  // the roads carry their hour-8 v/c colours
  const ResultsFile rf = open_results_file(gpkg);
  const Twin& t = rf.twin;
  const MetricField f = evaluate_metric(*find_metric(Layer::Roads, "vc"), {&t, &rf.results}, 8, View::Baseline);
  int checked = 0, matched = 0;
  std::string misses;
  // links with a segment through p (both directions of a street)
  auto links_through = [&t](Point2 p) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < t.roads.link_count(); ++i)
      for (std::size_t k = 0; k + 1 < t.roads.geometry.points(i); ++k) {
        const Point2 a = t.roads.geometry.point(i, k), b = t.roads.geometry.point(i, k + 1);
        const double len = std::hypot(b.x - a.x, b.y - a.y);
        const double u = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len);
        if (len > 0 && u >= 0 && u <= 1 && std::hypot(a.x + u * (b.x - a.x) - p.x, a.y + u * (b.y - a.y) - p.y) < 0.5) {
          out.push_back(i);
          break;
        }
      }
    return out;
  };
  for (std::size_t l = 0; l < t.roads.link_count() && checked < 40; l += 7) {
    // the middle of the link's longest segment, away from junctions
    std::size_t best = 0;
    double longest = 0;
    for (std::size_t k = 0; k + 1 < t.roads.geometry.points(l); ++k) {
      const Point2 a = t.roads.geometry.point(l, k), b = t.roads.geometry.point(l, k + 1);
      if (std::hypot(b.x - a.x, b.y - a.y) > longest) longest = std::hypot(b.x - a.x, b.y - a.y), best = k;
    }
    if (longest < 60) continue;
    const Point2 a = t.roads.geometry.point(l, best), b = t.roads.geometry.point(l, best + 1);
    const Point2 mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
    const ScreenPoint s = screen_of(t, mid);
    if (s.x < 0.35 * kW || s.x > 0.95 * kW || s.y < 0.1 * kH || s.y > 0.85 * kH) continue;  // clear of title and legends
    std::vector<Rgba> expect;
    for (std::size_t k : links_through(mid)) expect.push_back(f.color(k));
    ++checked;
    if (colour_near(alone, s.x, s.y, expect, 6)) ++matched;
    else misses += "link " + std::to_string(l) + " " + describe_around(alone, s.x, s.y) + "; ";
  }
  EXPECT_GE(checked, 10);
  EXPECT_GE(matched, checked * 9 / 10) << misses;
}

TEST_F(Screenshot, ResultsGeoPackageAloneInTheWindowAndItsErrors) {
  ASSERT_TRUE(test_support::cli_city().error.empty()) << test_support::cli_city().error;
  const std::string gpkg = test_support::cli_city().gpkg.string();
  // the windowed path (panels, inspector, input, requests) for 20 frames
  const std::string cmd = std::string("xvfb-run -a -s \"-screen 0 1600x1000x24\" ") + CITYTWIN_VIEWER_BIN + " " + gpkg +
                          " --frames 20 --select roads:3 > " + (out_dir() / "gpkg_interactive.log").string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 0);
  // a scenario run needs the .twin (BackendUnavailable); --results on a results file and a GeoPackage
  // that is not a results file are invalid input
  EXPECT_EQ(run_viewer(gpkg + " --run", out_dir() / "gpkg_run.png"), 5);
  EXPECT_EQ(run_viewer(gpkg + " --results " + gpkg, out_dir() / "gpkg_results.png"), 2);
  const auto roads = test_support::cli_city().twin.parent_path() / "city/roads.gpkg";
  EXPECT_EQ(run_viewer(roads.string(), out_dir() / "not_results.png"), 2);
  std::ifstream log((out_dir() / "not_results.png").string() + ".log");
  const std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(text.find("not a results file"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(out_dir() / "not_results.png"));
}
