// citytwin-viewer: the planner's map of the twin (issue 8).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "core/common/errors.hpp"
#include "viewer/app/viewer_app.hpp"

int main(int argc, char** argv) {
  citytwin::viewer::ViewerOptions o;
  CLI::App app{
      "citytwin-viewer: the twin on a map, hour by hour, with what-if editing.\n"
      "Without FILE it shows the built-in city, the main job's generated city at 4,000 links (its baseline run as the window opens). Headless: --screenshot out.png renders one frame\n"
      "off-screen and exits (use xvfb-run -a -s \"-screen 0 1600x1000x24\" where there is no display)."};
  app.add_option("FILE", o.file,
                 "Twin snapshot (.twin) from 'citytwin import', or a results GeoPackage (.gpkg) from 'citytwin run' "
                 "opened alone (its twin's geometry and stored attributes; no scenario runs)");
  app.add_option("--results", o.results, "Results of this twin: a 'citytwin run' GeoPackage (.gpkg)");
  app.add_option("--scenario", o.scenario, "Scenario TOML to load (datasets/scenarios/README.md)");
  app.add_flag("--run", o.run,
               "With --screenshot or --bench-frames: run the baseline and the scenario first (the coupled "
               "traffic + grid run)");
  app.add_option("--screenshot", o.screenshot, "Render one frame to this PNG and exit");
  app.add_option("--hour", o.hour, "Hour of day 0..23")->check(CLI::Range(0, 23));
  app.add_option("--color-by", o.color_by,
                 "Metric to colour its layer by, e.g. vc, class, capacity, population, "
                 "substations.capacity (repeatable)")
      ->allow_extra_args(false);  // one metric per --color-by: the file after it stays the positional argument
  app.add_option("--view", o.view, "baseline | scenario | diff")->check(CLI::IsMember({"baseline", "scenario", "diff"}));
  app.add_option("--width", o.width, "Screenshot / window width in pixels")->check(CLI::Range(64, 16384));
  app.add_option("--height", o.height, "Screenshot / window height in pixels")->check(CLI::Range(64, 16384));
  app.add_flag("--ui", o.ui, "Include the panels in the screenshot");
  app.add_option("--bench-frames", o.bench_frames, "Frame-time benchmark: render N off-screen frames and print timings");
  app.add_option("--frames", o.frames, "Interactive mode: quit after N frames (smoke tests)");
  app.add_option("--zoom", o.zoom, "Zoom factor relative to the whole extent (2 = twice as close)");
  app.add_option("--center", o.center, "View centre X Y in the twin's CRS (metres)")->expected(2);
  app.add_option("--select", o.select, "Select a feature, e.g. roads:123, substations:2");
  app.add_option("--hide", o.hide, "Hide layers (districts, roads, branches, buses, substations, chargers)")->allow_extra_args(false);
  app.add_option("--show", o.show, "Show layers")->allow_extra_args(false);
  CLI11_PARSE(app, argc, argv);
  try {
    return citytwin::viewer::run_viewer(o);
  } catch (const citytwin::Error& e) {
    std::fprintf(stderr, "citytwin-viewer: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "citytwin-viewer: %s\n", e.what());
    return 1;
  }
}
