// citytwin fit: how well a run matches the city's measurements (traffic
// counts, substation meters): map matching, quality checks, GEH / %RMSE / R²
// and MAPE, a fit GeoPackage and a scatter plot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <tuple>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "core/observations/run_fit.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/results/results_reader.hpp"
#include "geo/observations/fit_layers.hpp"
#include "geo/observations/map_matching.hpp"
#include "geo/observations/observation_reader.hpp"
#include "geo/observations/observation_source.hpp"
#include "geo/observations/scatter_plot.hpp"

namespace citytwin::app {

namespace obs = citytwin::observations;

namespace {

nlohmann::json quality_json(const obs::QualityReport& q, const std::vector<std::string>& names, std::size_t listed) {
  nlohmann::json counts;
  for (std::size_t k = 0; k < static_cast<std::size_t>(obs::Finding::Count); ++k) counts[obs::finding_name(static_cast<obs::Finding>(k))] = q.counts[k];
  nlohmann::json issues = nlohmann::json::array();
  for (std::size_t i = 0; i < q.issues.size() && i < listed; ++i) {
    const auto& f = q.issues[i];
    issues.push_back({{"kind", obs::finding_name(f.kind)}, {"element", f.element < names.size() ? names[f.element] : std::to_string(f.element)},
                      {"time", f.time.iso()}, {"row", f.row}, {"detail", f.detail}});
  }
  return {{"values", q.values_in}, {"used", q.values_used}, {"findings", counts}, {"issues", issues}, {"issues_total", q.issues.size()}};
}

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::isfinite(v) ? "%.1f %%" : "n/a", v);
  return buf;
}

std::string num(double v, const char* f = "%.3f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::isfinite(v) ? f : "n/a", v);
  return buf;
}

}  // namespace

void add_fit_command(CLI::App& app) {
  struct Options {
    std::string twin, run, counts, loads, branch_loads, out, plot, day_type = "weekday";
    geo::MatchOptions match;
    double implausible_factor = 3;
    std::size_t list = 20;
    bool json = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("fit",
      "Score a run against the city's measurements. Count stations are snapped to directed road\n"
      "links (R-tree; the bearing picks the direction of a two-way road); observations are checked\n"
      "(duplicates, negatives, counts above 3x the link's capacity and gaps are counted and left out)\n"
      "and averaged into an hour-of-day profile (weekdays and weekends apart); each profile hour is\n"
      "compared with the run: GEH per count and hour, the share with GEH < 5 (target >= 85 %),\n"
      "%RMSE and R² of flows; MAPE per substation and of its daily peak.\n"
      "Formats: datasets/observations/README.md (CSV, any OGR layer, or an observation manifest .toml).\n"
      "Example: citytwin fit city.twin run.gpkg --counts counts.csv --loads loads.csv -o fit.gpkg --plot fit.png");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin) the run was made on")->required()->check(CLI::ExistingFile);
  cmd->add_option("run", opt->run, "Results GeoPackage of `citytwin run` (or assign / powerflow)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--counts", opt->counts, "Traffic counts: CSV / OGR source, or an observation manifest (.toml)");
  cmd->add_option("--loads", opt->loads, "Substation meter readings: CSV / OGR source, or an observation manifest (.toml)");
  cmd->add_option("--branch-loads", opt->branch_loads, "Branch (feeder) meter readings branch,time,p_mw; scored against the flow magnitude");
  cmd->add_option("-o,--out", opt->out, "Write the fit layers to this GeoPackage (atomically)");
  cmd->add_option("--plot", opt->plot, "Write an observed-vs-modelled scatter plot (PNG) of the counts; the loads' beside it as <name>_loads.png");
  cmd->add_option("--day-type", opt->day_type, "Which days' profile the run is compared with")->default_val("weekday")->check(CLI::IsMember({"weekday", "weekend"}));
  cmd->add_option("--max-distance", opt->match.max_distance_m, "Reject count stations farther than this from any road link (m)")->default_val(50);
  cmd->add_option("--bearing-tolerance", opt->match.bearing_tolerance_deg, "Largest angle between a station's bearing and its link's direction (degrees)")
      ->default_val(45);
  cmd->add_option("--implausible-factor", opt->implausible_factor, "Counts above this many times the link's hourly capacity are left out")->default_val(3);
  cmd->add_option("--list", opt->list, "How many unmatched stations and quality findings to list")->default_val(20);
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    if (opt->counts.empty() && opt->loads.empty() && opt->branch_loads.empty()) throw InvalidInput("give --counts, --loads or --branch-loads");
    ThreadLimit limit(opt->threads);
    const Twin twin = read_snapshot(opt->twin);
    const coupling::SimulationResult run = geo::read_results(opt->run, twin);
    obs::FitOptions fo;
    obs::parse_day_type(opt->day_type, fo.day_type);
    fo.implausible_factor = opt->implausible_factor;
    nlohmann::json out = {{"run", opt->run}, {"scenario", run.scenario}, {"day_type", opt->day_type}};
    nlohmann::json run_hours = nlohmann::json::array();
    for (const auto& h : run.hours) run_hours.push_back(h.totals.hour);
    out["run_hours"] = run_hours;

    std::optional<obs::StationTable> stations;
    std::optional<geo::MatchReport> matches;
    std::optional<obs::CountFit> counts;
    std::optional<obs::LoadsFit> loads;
    if (!opt->counts.empty()) {
      const auto records = geo::read_counts(geo::observation_source(opt->counts, geo::ObservationKind::Counts), twin);
      stations = obs::station_table(records);
      const LineIndex index = LineIndex::build(twin.roads.geometry);
      matches = geo::match_stations(twin, index, stations->stations, opt->match);
      counts = obs::fit_counts(twin, run, records, *stations, matches->station_links(), fo);
      std::vector<std::string> names;
      for (const auto& s : stations->stations) names.push_back(s.name);
      nlohmann::json unmatched = nlohmann::json::array();
      for (std::size_t s = 0; s < stations->stations.size() && unmatched.size() < opt->list; ++s)
        if (matches->stations[s].status != geo::MatchStatus::Matched)
          unmatched.push_back({{"station", names[s]}, {"status", geo::match_status_name(matches->stations[s].status)}, {"reason", matches->stations[s].reason}});
      // The station-hours that fit worst, by GEH (ties: station, hour).
      std::vector<const obs::FitRow*> worst;
      for (const auto& r : counts->rows) worst.push_back(&r);
      std::sort(worst.begin(), worst.end(), [](const obs::FitRow* a, const obs::FitRow* b) {
        return a->geh != b->geh ? a->geh > b->geh : std::tie(a->element, a->hour) < std::tie(b->element, b->hour);
      });
      nlohmann::json worst_json = nlohmann::json::array();
      for (std::size_t i = 0; i < worst.size() && i < opt->list; ++i)
        worst_json.push_back({{"station", names[worst[i]->element]}, {"link", worst[i]->link}, {"hour", worst[i]->hour},
                              {"observed", worst[i]->observed}, {"days", worst[i]->days}, {"modelled", worst[i]->modelled},
                              {"geh", json_number(worst[i]->geh)}});
      const auto& f = counts->overall;
      out["counts"] = {{"worst", worst_json}, {"file", opt->counts}, {"records", records.size()}, {"stations", stations->stations.size()},
                       {"matched", matches->matched}, {"ambiguous", matches->ambiguous}, {"rejected", matches->rejected},
                       {"not_matched", unmatched}, {"quality", quality_json(counts->quality, names, opt->list)},
                       {"stations_scored", counts->stations_scored}, {"station_hours", f.n},
                       {"profile_hours_not_in_run", counts->profile_hours_not_in_run},
                       {"geh_below_5", f.geh_below_5}, {"share_geh_below_5", json_number(f.share_geh_below_5)},
                       {"mean_geh", json_number(f.mean_geh)}, {"max_geh", json_number(f.max_geh)}, {"rmse_pct", json_number(f.rmse_pct)},
                       {"r2", json_number(f.r2)}, {"pearson_r2", json_number(f.pearson_r2)},
                       {"sum_observed", f.sum_observed}, {"sum_modelled", f.sum_modelled}};
    }
    if (!opt->loads.empty()) {
      const auto records = geo::read_substation_loads(geo::observation_source(opt->loads, geo::ObservationKind::Loads), twin);
      loads = obs::fit_substation_loads(twin, run, records, fo);
      nlohmann::json per = nlohmann::json::array();
      for (const auto& e : loads->elements)
        per.push_back({{"substation", twin.grid.substation_name[e.element]}, {"id", e.element}, {"hours", e.fit.hours},
                       {"mape_pct", json_number(e.fit.mape_pct)}, {"observed_peak_mw", json_number(e.fit.observed_peak)},
                       {"modelled_peak_mw", json_number(e.fit.modelled_peak)}, {"peak_ape_pct", json_number(e.fit.peak_ape_pct)}});
      out["loads"] = {{"file", opt->loads}, {"records", records.size()}, {"substations_scored", loads->elements.size()},
                      {"substations", twin.grid.substation_count()}, {"quality", quality_json(loads->quality, twin.grid.substation_name, opt->list)},
                      {"profile_hours_not_in_run", loads->profile_hours_not_in_run}, {"mape_pct", json_number(loads->mape_pct)},
                      {"peak_mape_pct", json_number(loads->peak_mape_pct)}, {"per_substation", per}};
    }
    std::optional<obs::LoadsFit> branches;
    if (!opt->branch_loads.empty()) {
      const auto records = geo::read_branch_loads(geo::observation_source(opt->branch_loads, geo::ObservationKind::BranchLoads), twin);
      branches = obs::fit_branch_flows(twin, run, records, fo);
      std::vector<std::string> names(twin.grid.branch_count(), "branch ");
      for (std::size_t l = 0; l < names.size(); ++l) names[l] += std::to_string(l);
      out["branch_loads"] = {{"file", opt->branch_loads}, {"records", records.size()}, {"branches_scored", branches->elements.size()},
                             {"quality", quality_json(branches->quality, names, opt->list)}, {"mape_pct", json_number(branches->mape_pct)},
                             {"peak_mape_pct", json_number(branches->peak_mape_pct)}};
    }
    if (!opt->out.empty()) {
      geo::FitLayers layers;
      if (stations) layers.stations = &*stations;
      if (matches) layers.matches = &*matches;
      if (counts) layers.counts = &*counts;
      if (loads) layers.loads = &*loads;
      layers.day_type = fo.day_type;
      geo::write_fit_layers(twin, layers, opt->out);
      out["fit_layers"] = opt->out;
    }
    if (!opt->plot.empty()) {
      std::filesystem::path plot = opt->plot;
      if (counts) {
        geo::ScatterPlot p{.title = "Traffic counts, " + opt->day_type + " profile: " + run.scenario,
                           .x_label = "observed (veh/h)", .y_label = "modelled (veh/h)", .geh_band = true};
        for (const auto& r : counts->rows) p.observed.push_back(r.observed), p.modelled.push_back(r.modelled);
        geo::write_scatter_png(p, plot);
        out["plot"] = plot.string();
      }
      if (loads) {
        std::filesystem::path lp = counts ? plot.parent_path() / (plot.stem().string() + "_loads" + plot.extension().string()) : plot;
        geo::ScatterPlot p{.title = "Substation loads, " + opt->day_type + " profile: " + run.scenario,
                           .x_label = "observed (MW)", .y_label = "modelled (MW)"};
        for (const auto& r : loads->rows) p.observed.push_back(r.observed), p.modelled.push_back(r.modelled);
        geo::write_scatter_png(p, lp);
        out["plot_loads"] = lp.string();
      }
    }
    if (opt->json) {
      print_json(out);
      return;
    }
    std::cout << "fit            " << opt->run << " (" << run.scenario << "), " << opt->day_type << " profile\n";
    if (counts) {
      const auto& c = out["counts"];
      const auto& f = counts->overall;
      std::cout << "counts         " << opt->counts << ": " << c["records"] << " records, " << c["stations"] << " stations\n"
                << "  matching     " << matches->matched << " matched, " << matches->ambiguous << " ambiguous, " << matches->rejected << " rejected\n";
      for (const auto& u : c["not_matched"]) std::cout << "    " << u["station"].get<std::string>() << " (" << u["status"].get<std::string>() << "): " << u["reason"].get<std::string>() << "\n";
      std::cout << "  quality      ";
      for (std::size_t k = 0; k < static_cast<std::size_t>(obs::Finding::Count); ++k)
        std::cout << (k ? ", " : "") << counts->quality.counts[k] << " " << obs::finding_name(static_cast<obs::Finding>(k));
      std::cout << "  (" << counts->quality.values_used << " of " << counts->quality.values_in << " station-hours used)\n";
      std::cout << "  scored       " << f.n << " station-hours at " << counts->stations_scored << " stations";
      if (counts->profile_hours_not_in_run) std::cout << " (" << counts->profile_hours_not_in_run << " profile hours not in the run)";
      std::cout << "\n  GEH < 5      " << f.geh_below_5 << " of " << f.n << " = " << pct(100 * f.share_geh_below_5)
                << (f.n && f.share_geh_below_5 >= 0.85 ? "  (meets the 85 % target)" : "  (below the 85 % target)") << "\n"
                << "  mean GEH     " << num(f.mean_geh, "%.2f") << "   max " << num(f.max_geh, "%.2f") << "\n"
                << "  %RMSE        " << pct(f.rmse_pct) << "\n"
                << "  R²           " << num(f.r2) << "   (squared correlation " << num(f.pearson_r2) << ")\n"
                << "  total        observed " << num(f.sum_observed, "%.0f") << ", modelled " << num(f.sum_modelled, "%.0f") << " veh\n";
      const auto& worst = c["worst"];
      if (!worst.empty()) {
        std::cout << "  worst        " << std::left << std::setw(16) << "station" << std::right << std::setw(8) << "link" << std::setw(6)
                  << "hour" << std::setw(11) << "observed" << std::setw(11) << "modelled" << std::setw(8) << "GEH" << "\n";
        for (std::size_t i = 0; i < worst.size() && i < 5; ++i)
          std::cout << "               " << std::left << std::setw(16) << worst[i]["station"].get<std::string>() << std::right << std::setw(8)
                    << worst[i]["link"].get<std::int64_t>() << std::setw(6) << worst[i]["hour"].get<int>() << std::setw(11)
                    << num(worst[i]["observed"].get<double>(), "%.1f") << std::setw(11) << num(worst[i]["modelled"].get<double>(), "%.1f")
                    << std::setw(8) << num(worst[i]["geh"].is_null() ? NAN : worst[i]["geh"].get<double>(), "%.2f") << "\n";
      }
    }
    if (loads) {
      std::cout << "loads          " << opt->loads << ": " << loads->elements.size() << " of " << twin.grid.substation_count() << " substations scored\n"
                << "  quality      ";
      for (std::size_t k = 0; k < static_cast<std::size_t>(obs::Finding::Count); ++k)
        std::cout << (k ? ", " : "") << loads->quality.counts[k] << " " << obs::finding_name(static_cast<obs::Finding>(k));
      std::cout << "\n  MAPE         " << pct(loads->mape_pct) << " (mean over substations)\n"
                << "  peak MAPE    " << pct(loads->peak_mape_pct) << " (daily peak)\n"
                << "  " << std::left << std::setw(24) << "substation" << std::right << std::setw(10) << "MAPE" << std::setw(14) << "peak obs MW"
                << std::setw(14) << "peak mod MW" << std::setw(10) << "peak err" << "\n";
      for (const auto& e : loads->elements)
        std::cout << "  " << std::left << std::setw(24) << twin.grid.substation_name[e.element] << std::right << std::setw(10) << pct(e.fit.mape_pct)
                  << std::setw(14) << num(e.fit.observed_peak, "%.2f") << std::setw(14) << num(e.fit.modelled_peak, "%.2f") << std::setw(10)
                  << pct(e.fit.peak_ape_pct) << "\n";
    }
    if (branches)
      std::cout << "branch loads   " << opt->branch_loads << ": " << branches->elements.size() << " branches scored, MAPE "
                << pct(branches->mape_pct) << ", peak MAPE " << pct(branches->peak_mape_pct) << "\n";
    if (out.contains("fit_layers")) std::cout << "fit layers     " << opt->out << "\n";
    if (out.contains("plot")) std::cout << "plot           " << out["plot"].get<std::string>() << "\n";
    if (out.contains("plot_loads")) std::cout << "plot (loads)   " << out["plot_loads"].get<std::string>() << "\n";
  });
}

}  // namespace citytwin::app
