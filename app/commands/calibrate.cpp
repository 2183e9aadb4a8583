// citytwin calibrate: the twin calibrated to the city's measurements (demand
// to traffic counts, substation loads to meters), written as a twin that runs
// like any other, with a report of the fit before and after on the counts
// used and on held-out counts.
#include <fstream>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/calibration/calibrate_twin.hpp"
#include "core/calibration/calibration_report.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/observations/map_matching.hpp"
#include "geo/observations/observation_reader.hpp"
#include "geo/observations/observation_source.hpp"

namespace citytwin::app {

void add_calibrate_command(CLI::App& app) {
  struct Options {
    std::string twin, counts, loads, out, report, scenario, day_type = "weekday";
    calibration::CalibrateOptions calibrate;
    geo::MatchOptions match;
    bool no_demand = false, no_loads = false, json = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("calibrate",
      "Calibrate the twin to the city's measurements and write the calibrated twin.\n"
      "  demand -> counts: the gravity model's hourly OD matrices are adjusted (ODME) so the assigned\n"
      "     flows match the counts; stored as per-hour OD factors relative to the gravity prior, so a\n"
      "     scenario's growth still acts on them;\n"
      "  loads -> meters: per substation, the districts' residential and commercial load it carries\n"
      "     (two daily shapes) are scaled by factors in [0.5, 2] and its EV charging by one in [0, 4],\n"
      "     by bounded least squares over the metered hours (solved exactly), so its hourly load\n"
      "     reproduces the meter.\n"
      "A random --holdout-share of the matched count stations is kept out of calibration and only\n"
      "scored: the report gives the fit before and after on the counts used and on the held-out ones\n"
      "(GEH < 5 share, %RMSE, R²) and per substation MAPE and daily-peak error before and after.\n"
      "The calibrated twin is the input twin with its calibration inside: run it like any other, with\n"
      "the same --scenario it was calibrated under (its factors are relative to that scenario), e.g.\n"
      "  citytwin calibrate city.twin --counts counts.csv --loads loads.csv -o calibrated.twin --report fit.json\n"
      "  citytwin run calibrated.twin -o calibrated.gpkg\n"
      "  citytwin fit calibrated.twin calibrated.gpkg --counts counts.csv --loads loads.csv\n"
      "Observation formats: datasets/observations/README.md (CSV, any OGR layer, or an observation manifest).\n"
      "Calibrating a calibrated twin starts again from its uncalibrated model.");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin) to calibrate")->required()->check(CLI::ExistingFile);
  cmd->add_option("--counts", opt->counts, "Traffic counts: CSV / OGR source, or an observation manifest (.toml)");
  cmd->add_option("--loads", opt->loads, "Substation meter readings: CSV / OGR source, or an observation manifest (.toml)");
  cmd->add_option("-o,--out", opt->out, "Calibrated twin to write (.twin, atomically)")->required();
  cmd->add_option("--report", opt->report, "Write the report (JSON, atomically): fit before/after, factors per substation");
  cmd->add_option("--scenario", opt->scenario,
                  "Scenario the twin is calibrated under (e.g. today's ev_share); none = the baseline. Run the calibrated twin with it");
  cmd->add_option("--holdout-share", opt->calibrate.holdout_share, "Share of the matched count stations kept out of calibration and scored, in [0, 1)")
      ->default_val(0.2);
  cmd->add_option("--seed", opt->calibrate.seed, "Random seed of the hold-out choice (same seed, same stations)")->default_val(1);
  cmd->add_option("--day-type", opt->day_type, "Which days' profile to calibrate to")->default_val("weekday")->check(CLI::IsMember({"weekday", "weekend"}));
  cmd->add_option("--max-distance", opt->match.max_distance_m, "Reject count stations farther than this from any road link (m)")->default_val(50);
  cmd->add_option("--bearing-tolerance", opt->match.bearing_tolerance_deg, "Largest angle between a station's bearing and its link (degrees)")
      ->default_val(45);
  cmd->add_option("--implausible-factor", opt->calibrate.fit.implausible_factor, "Counts above this many times the link's hourly capacity are left out")
      ->default_val(3);
  cmd->add_flag("--no-demand", opt->no_demand, "Leave the OD matrices as they are (counts are only scored)");
  cmd->add_flag("--no-loads", opt->no_loads, "Leave the substation loads as they are (meters are only scored)");
  cmd->add_flag("--json", opt->json, "Print the report as one JSON object instead of the summary");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    if (opt->counts.empty() && opt->loads.empty()) throw InvalidInput("give --counts, --loads or both", {.field = "--counts"});
    if (!(opt->calibrate.holdout_share >= 0 && opt->calibrate.holdout_share < 1))
      throw InvalidInput("--holdout-share must be in [0, 1), got " + std::to_string(opt->calibrate.holdout_share), {.field = "--holdout-share"});
    ThreadLimit limit(opt->threads);
    auto say = [json = opt->json](const std::string& line) {
      if (!json) std::cerr << "  " << line << std::endl;
    };
    const Twin twin = read_snapshot(opt->twin);
    coupling::Scenario scenario;
    if (!opt->scenario.empty()) scenario = geo::load_scenario(opt->scenario, twin);
    if (scenario.given_od)
      throw InvalidInput("the scenario gives its own OD matrix; calibration adjusts the districts' gravity demand", {.file = opt->scenario});
    observations::parse_day_type(opt->day_type, opt->calibrate.fit.day_type);
    opt->calibrate.demand = !opt->no_demand;
    opt->calibrate.loads = !opt->no_loads;
    opt->calibrate.progress = say;
    opt->calibrate.source = "counts: " + (opt->counts.empty() ? std::string("none") : opt->counts) +
                            "; loads: " + (opt->loads.empty() ? std::string("none") : opt->loads) +
                            "; scenario: " + scenario.name + "; " + opt->day_type + " profile";

    calibration::ReportContext ctx{opt->twin, opt->out, opt->counts, opt->loads, scenario.name};
    std::vector<observations::TrafficCount> counts;
    observations::StationTable stations;
    std::vector<std::int64_t> station_link;
    if (!opt->counts.empty()) {
      say("reading counts " + opt->counts);
      counts = geo::read_counts(geo::observation_source(opt->counts, geo::ObservationKind::Counts), twin);
      stations = observations::station_table(counts);
      const LineIndex index = LineIndex::build(twin.roads.geometry);
      const auto matches = geo::match_stations(twin, index, stations.stations, opt->match);
      station_link = matches.station_links();
      ctx.count_records = counts.size();
      ctx.ambiguous = matches.ambiguous;
      ctx.rejected = matches.rejected;
      say(std::to_string(stations.stations.size()) + " stations: " + std::to_string(matches.matched) + " matched, " +
          std::to_string(matches.ambiguous) + " ambiguous, " + std::to_string(matches.rejected) + " rejected (see citytwin fit for reasons)");
    }
    std::vector<observations::GridMeasurement> loads;
    if (!opt->loads.empty()) {
      say("reading meter readings " + opt->loads);
      loads = geo::read_substation_loads(geo::observation_source(opt->loads, geo::ObservationKind::Loads), twin);
      ctx.load_records = loads.size();
    }
    // An unwritable output fails now, not after the runs: a probe file where the twin goes.
    for (const std::string& path : {opt->out, opt->report}) {
      if (path.empty()) continue;
      const auto probe = temporary_sibling(path);
      std::error_code ec;
      if (probe.has_parent_path()) std::filesystem::create_directories(probe.parent_path(), ec);
      std::ofstream f(probe);
      if (!f) throw IoError("cannot write here (no such folder, or not writable)", {.file = path});
      f.close();
      std::filesystem::remove(probe, ec);
    }
    const auto result = calibration::calibrate_twin(twin, scenario, counts, stations, station_link, loads, opt->calibrate);
    const nlohmann::json report = calibration::calibration_report_json(result, stations, opt->calibrate, ctx);
    write_snapshot(result.twin, opt->out);
    if (!opt->report.empty()) {
      write_atomically(opt->report, [&](const std::filesystem::path& tmp) {
        std::ofstream f(tmp);
        if (!f) throw IoError("cannot open for writing", {.file = tmp.string()});
        f << report.dump(2) << "\n";
        f.close();
        if (!f) throw IoError("write failed (disk full?)", {.file = tmp.string()});
      });
    }
    if (opt->json) {
      print_json(report);
      return;
    }
    std::cout << calibration::calibration_summary_text(report);
    if (!opt->report.empty()) std::cout << "report         " << opt->report << "\n";
  });
}

}  // namespace citytwin::app
