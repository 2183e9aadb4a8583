// citytwin run: the coupled hourly simulation of a twin under a scenario.
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/hour_range.hpp"
#include "app/output_set.hpp"
#include "app/progress_printer.hpp"
#include "app/result_checks.hpp"
#include "app/run_summary.hpp"
#include "core/common/parallel.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/results/postgis_publish.hpp"
#include "geo/results/results_writer.hpp"
#include "geo/scenario/scenario_file.hpp"

namespace citytwin::app {

namespace {
// The help footer, generated from the parameter field lists: key, default, unit, range, doc.
std::string parameter_help() {
  std::string out = "Scenario parameters ([parameters] in a scenario file: key = default [unit] (range) doc):\n";
  for (const auto& f : coupling::scenario_parameter_fields()) {
    out += "  " + f.name + " = " + f.text(f.default_value());
    if (!f.unit.empty()) out += " " + f.unit;
    out += "  (" + f.range_text() + ")  " + f.doc + "\n";
  }
  return out;
}
}  // namespace

void add_run_command(CLI::App& app) {
  struct Options {
    std::string twin, scenario, out, hours = "0-23", od, out_db, progress = "auto";
    unsigned threads = 0;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("run",
      "Run the coupled hourly simulation: for each hour, travel demand -> user-equilibrium\n"
      "assignment -> EV charging -> bus loads -> DC power flow -> failures (scenario outages,\n"
      "substations above u_trip, everything cut off from supply) -> dark signals after their\n"
      "battery backup -> capacity multipliers -> re-assign, to a fixed point per hour.\n"
      "Writes a GeoPackage with hourly result tables joined to geometry (roads, buses,\n"
      "substations, branches, districts, signals) plus <out>.summary.json and <out>.hours.csv.\n"
      "Scenario format: datasets/scenarios/README.md. Without a scenario: the baseline.\n"
      "Example: citytwin run city.twin datasets/scenarios/substation-outage.toml -o outage.gpkg");
  cmd->footer(parameter_help());
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin)")->required();
  cmd->add_option("scenario", opt->scenario, "Scenario file (.toml); none = baseline");
  cmd->add_option("-o,--out", opt->out,
                  "Results GeoPackage to write (.gpkg). The GeoPackage, .summary.json and .hours.csv are published\n"
                  "together as one folder <out minus .gpkg>.run/ (one rename; never a mix of two runs), with\n"
                  "<out>, <out>.summary.json and <out>.hours.csv as links into it")->required();
  cmd->add_option("--hours", opt->hours, "Hours to simulate, e.g. 0-23, 7-9 or 8,17")->default_val("0-23");
  cmd->add_option("--od", opt->od,
                  "Vehicle OD matrices instead of the districts' demand (overrides the scenario's od_matrix):\n"
                  "CSV origin,destination,hour,trips (zones: district names or 1..Z), or a TNTP trips\n"
                  "file used for every hour; see datasets/scenarios/README.md");
  cmd->add_option("--out-db", opt->out_db,
                  "Also publish the results into the shared platform's schema twin (a PG: connection without password,\n"
                  "e.g. PG:; tables <name>_<layer>, name from -o), as `citytwin publish --results` does");
  cmd->add_flag("--json", opt->json, "Print citywide totals per hour and overall as one JSON object");
  add_progress_option(*cmd, opt->progress);
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit limit(opt->threads);
    const Twin twin = read_snapshot(opt->twin);
    coupling::Scenario scenario;
    if (!opt->scenario.empty()) scenario = geo::load_scenario(opt->scenario, twin);
    if (!opt->od.empty()) scenario.given_od = std::make_shared<const coupling::GivenOd>(coupling::read_given_od(opt->od, twin.districts.name));
    coupling::SimulationOptions so;
    so.hours = parse_hours(opt->hours);
    const auto result = [&] {
      ProgressPrinter progress(progress_mode(opt->progress, opt->json), "run");
      so.on_progress = progress.simulation_callback();
      return coupling::simulate(twin, scenario, so);
    }();
    const auto summary = run_summary_json(result);
    require_finite_summary(summary);
    publish_run_set(opt->out, [&](const RunSetPaths& tmp) {
      geo::write_results(twin, result, tmp.gpkg);
      write_run_side_files(summary, result, tmp.gpkg);
    });
    if (!opt->out_db.empty()) geo::publish_results(opt->out_db, opt->out, geo::default_results_name(opt->out));
    if (opt->json) print_json(summary);
    else print_run_summary(std::cout, summary, opt->out);
  });
}

}  // namespace citytwin::app
