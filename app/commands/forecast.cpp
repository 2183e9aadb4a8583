// citytwin forecast: the rest of the day from today's counts and meters up to
// `now` (core/forecast/forecast.hpp has the method), shared or as one
// department alone, so the value of each shared feed is a number.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/output_set.hpp"
#include "app/run_summary.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/forecast/forecast.hpp"
#include "core/model/snapshot.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/results/results_writer.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/observations/map_matching.hpp"
#include "geo/observations/observation_reader.hpp"
#include "geo/observations/observation_source.hpp"

namespace citytwin::app {

namespace fc = citytwin::forecast;
namespace obs = citytwin::observations;

namespace {

// "13:00", "13" or "24:00" (the whole day seen): the first hour not yet observed.
int parse_now(const std::string& text) {
  std::string h = text, m = "00";
  if (const auto colon = text.find(':'); colon != std::string::npos) h = text.substr(0, colon), m = text.substr(colon + 1);
  auto digits = [](const std::string& s) { return !s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos; };
  if (!digits(h) || !digits(m))
    throw InvalidInput("--now must be a clock hour such as 13:00 (the first hour not yet observed), not '" + text + "'", {.field = "--now"});
  const int hour = std::stoi(h), minute = std::stoi(m);
  if (minute != 0) throw InvalidInput("--now must be a whole hour (observations are hourly), not '" + text + "'", {.field = "--now"});
  if (hour > 24) throw InvalidInput("--now must be from 00:00 to 24:00, not '" + text + "'", {.field = "--now"});
  return hour;
}

// "2026-03-02" -> day number.
std::int64_t parse_date(const std::string& text) {
  std::string why;
  const auto t = obs::parse_local_hour(text + "T00:00", why);
  if (!t) throw InvalidInput("--date must be a date YYYY-MM-DD, not '" + text + "': " + why, {.field = "--date"});
  return t->day_number();
}

nlohmann::json quality_json(const obs::QualityReport& q) {
  nlohmann::json counts;
  for (std::size_t k = 0; k < static_cast<std::size_t>(obs::Finding::Count); ++k) counts[obs::finding_name(static_cast<obs::Finding>(k))] = q.counts[k];
  return {{"values", q.values_in}, {"used", q.values_used}, {"findings", counts}};
}

nlohmann::json peak_json(const fc::Peak& p) {
  return {{"hour", p.hour}, {"mw", json_number(p.mw)}, {"low_mw", json_number(p.low)}, {"high_mw", json_number(p.high)}};
}

nlohmann::json forecast_json(const Twin& twin, const fc::ForecastResult& f, const std::string& day) {
  const auto& a = f.adjustment;
  const auto& t = f.today;
  nlohmann::json subs = nlohmann::json::array();
  for (std::size_t k = 0; k < twin.grid.substation_count(); ++k) {
    nlohmann::json mw = nlohmann::json::array(), lo = nlohmann::json::array(), hi = nlohmann::json::array();
    for (std::size_t h = 0; h < f.substation_p_mw.size(); ++h)
      mw.push_back(f.substation_p_mw[h][k]), lo.push_back(json_number(f.substation_low_mw[h][k])), hi.push_back(json_number(f.substation_high_mw[h][k]));
    subs.push_back({{"substation", twin.grid.substation_name[k]}, {"id", k}, {"rating_mva", twin.grid.substation_capacity_mva[k]},
                    {"level", a.substation_level[k]}, {"traffic_ratio", a.substation_traffic_ratio[k]}, {"spread", json_number(a.substation_spread[k])},
                    {"peak", peak_json(f.substation_peak[k])}, {"p_mw", mw}, {"low_mw", lo}, {"high_mw", hi}});
  }
  nlohmann::json districts = nlohmann::json::array();
  for (std::size_t z = 0; z < twin.districts.size(); ++z)
    districts.push_back({{"district", twin.districts.name[z]}, {"stations", a.district_stations[z]},
                         {"traffic_ratio", a.district_traffic_ratio[z]}, {"load_factor", a.district_load_factor[z]}});
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& al : f.alerts) {
    nlohmann::json j = {{"kind", fc::alert_kind_name(al.kind)}, {"element", al.element}, {"first_hour", al.first_hour},
                        {"hours", al.hours}, {"worst", al.worst}, {"reason", al.reason}};
    if (al.kind == fc::AlertKind::SubstationOverload) j["substation"] = twin.grid.substation_name[al.element];
    alerts.push_back(j);
  }
  nlohmann::json city = nlohmann::json::array();
  for (std::size_t h = 0; h < f.citywide_p_mw.size(); ++h)
    city.push_back({{"hour", h}, {"p_mw", f.citywide_p_mw[h]}, {"low_mw", json_number(f.citywide_low_mw[h])}, {"high_mw", json_number(f.citywide_high_mw[h])},
                    {"observed", static_cast<int>(h) < t.now}});
  return {
      {"feeds", fc::feeds_name(f.feeds)},
      {"date", day},
      {"now", t.now},
      {"observations",
       {{"counts", {{"used", t.counts.size()}, {"after_now", t.counts_after_now}, {"other_days", t.counts_other_days},
                    {"unmatched_station", t.counts_unmatched}, {"quality", quality_json(t.count_quality)}}},
        {"loads", {{"used", t.loads.size()}, {"after_now", t.loads_after_now}, {"other_days", t.loads_other_days},
                   {"quality", quality_json(t.load_quality)}}}}},
      {"adjustment",
       {{"traffic_updated", a.traffic_updated}, {"grid_updated", a.grid_updated}, {"traffic_ratio", a.traffic_ratio},
        {"stations_used", a.stations_used}, {"station_hours_used", a.station_hours_used}, {"station_ratio_spread", json_number(a.station_ratio_spread)},
        {"load_ratio", a.load_ratio}, {"substations_used", a.substations_used}, {"substation_hours_used", a.substation_hours_used},
        {"citywide_spread", json_number(a.citywide_spread)}, {"ev_share_typical", a.ev_share_typical}, {"ev_share", a.ev_share}}},
      {"citywide_peak", peak_json(f.citywide_peak)},
      {"citywide", city},
      {"link_band_relative", json_number(f.link_band_relative)},
      {"substations", subs},
      {"districts", districts},
      {"alerts", alerts},
  };
}

}  // namespace

void add_forecast_command(CLI::App& app) {
  struct Options {
    std::string twin, scenario, counts, loads, now, date, out;
    geo::MatchOptions match;
    double implausible_factor = 3, band_z = 1.645;
    bool json = false, without_traffic = false, without_grid = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("forecast",
      "Forecast the rest of the day from what has been seen. The twin (under --scenario, if given) is\n"
      "the typical day. Today's traffic counts and substation meter readings before --now say how today\n"
      "differs: the traffic level per district (observed / modelled vehicles of its count stations, shrunk\n"
      "toward the citywide ratio when it has few), each substation's load level and the EV share (the\n"
      "meter residual the district load does not explain is EV charging, which follows the traffic). The\n"
      "coupled model then runs the day with the demand and loads so changed; hours before --now keep the\n"
      "observed values. Reports per hour and substation the forecast load with a band (from the spread of\n"
      "observed / fitted ratios so far), the forecast peak (hour, MW) per substation and citywide, and\n"
      "alerts: substations and branches above their rating, signals at risk.\n"
      "Siloed vs shared: --without-traffic forecasts as the energy department alone (its meters scale its\n"
      "load profiles; no counts, so no traffic-driven EV update), --without-grid as the transport\n"
      "department alone (counts only); compare their peaks with the shared forecast's.\n"
      "Observations of other dates (the latest date observed is today unless --date) and at or after --now\n"
      "are ignored and counted. Formats: datasets/observations/README.md.\n"
      "Example: citytwin forecast city.twin --counts today_counts.csv --loads today_loads.csv --now 13:00 -o forecast.gpkg");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin): the typical day (calibrated or not)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--scenario", opt->scenario, "Scenario file (.toml) of the typical day; none = baseline");
  cmd->add_option("--counts", opt->counts, "Today's traffic counts: CSV / OGR source, or an observation manifest (.toml)");
  cmd->add_option("--loads", opt->loads, "Today's substation meter readings (substation,time,p_mw)");
  cmd->add_option("--now", opt->now, "The first hour not yet observed, e.g. 13:00 (observations from 00:00 to 12:00 are used)")->required();
  cmd->add_option("--date", opt->date, "Today's date YYYY-MM-DD (default: the latest date in the observations)");
  cmd->add_option("-o,--out", opt->out,
                  "Write the forecast day: <out> GeoPackage (hourly links, substations, branches, signals as `citytwin run`),\n"
                  "<out>.summary.json (peaks, bands, alerts, the adjustment) and <out>.hours.csv, published as one set");
  auto* wt = cmd->add_flag("--without-traffic", opt->without_traffic, "The energy department alone: meters only, counts not used");
  auto* wg = cmd->add_flag("--without-grid", opt->without_grid, "The transport department alone: counts only, meters not used");
  wt->excludes(wg);
  cmd->add_option("--max-distance", opt->match.max_distance_m, "Reject count stations farther than this from any road link (m)")->default_val(50);
  cmd->add_option("--bearing-tolerance", opt->match.bearing_tolerance_deg, "Largest angle between a station's bearing and its link (degrees)")
      ->default_val(45);
  cmd->add_option("--implausible-factor", opt->implausible_factor, "Counts above this many times the link's capacity (meters: the rating) are left out")
      ->default_val(3);
  cmd->add_option("--band-z", opt->band_z, "Band half-width in spreads (1.645: 90 % for normal errors)")->default_val(1.645)->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--json", opt->json, "Print one JSON object (as <out>.summary.json)");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    const int now = parse_now(opt->now);
    std::optional<std::int64_t> day;
    if (!opt->date.empty()) day = parse_date(opt->date);
    fc::ForecastOptions fo;
    fo.feeds = opt->without_traffic ? fc::Feeds::WithoutTraffic : opt->without_grid ? fc::Feeds::WithoutGrid : fc::Feeds::Shared;
    const bool want_counts = fo.feeds != fc::Feeds::WithoutTraffic, want_loads = fo.feeds != fc::Feeds::WithoutGrid;
    if (want_counts && want_loads && opt->counts.empty() && opt->loads.empty()) throw InvalidInput("give --counts and/or --loads");
    if (!want_counts && opt->loads.empty()) throw InvalidInput("--without-traffic forecasts from the meters: give --loads");
    if (!want_loads && opt->counts.empty()) throw InvalidInput("--without-grid forecasts from the counts: give --counts");
    ThreadLimit limit(opt->threads);
    const Twin twin = read_snapshot(opt->twin);
    coupling::Scenario scenario;
    if (!opt->scenario.empty()) scenario = geo::load_scenario(opt->scenario, twin);

    fc::Observations o;
    std::optional<geo::MatchReport> matches;
    if (want_counts && !opt->counts.empty()) {
      o.counts = geo::read_counts(geo::observation_source(opt->counts, geo::ObservationKind::Counts), twin);
      o.stations = obs::station_table(o.counts);
      const LineIndex index = LineIndex::build(twin.roads.geometry);
      matches = geo::match_stations(twin, index, o.stations.stations, opt->match);
      o.station_link = matches->station_links();
    }
    if (want_loads && !opt->loads.empty())
      o.loads = geo::read_substation_loads(geo::observation_source(opt->loads, geo::ObservationKind::Loads), twin);
    fo.today = {.now = now, .day = day, .implausible_factor = opt->implausible_factor};
    fo.band_z = opt->band_z;
    // Select first, so bad input fails before the simulations.
    const fc::Today today = fc::select_today(twin, o, fo.today);
    if (today.counts.empty() && today.loads.empty())
      std::cerr << "citytwin forecast: no usable observation before " << opt->now << " on "
                << obs::local_hour_from_day_number(today.day, 0).iso().substr(0, 10) << ": the forecast is the typical day\n";
    const fc::TypicalDay typical = fc::typical_day(twin, scenario, now);
    const fc::ForecastResult f = fc::run_forecast(twin, typical, o, fo);
    const std::string date = obs::local_hour_from_day_number(f.today.day, 0).iso().substr(0, 10);
    nlohmann::json out = forecast_json(twin, f, date);
    out["scenario"] = typical.scenario.name;
    if (matches) out["observations"]["counts"]["stations"] = {{"matched", matches->matched}, {"ambiguous", matches->ambiguous}, {"rejected", matches->rejected}};
    if (!opt->out.empty()) {
      out["out"] = opt->out;
      publish_run_set(opt->out, [&](const RunSetPaths& tmp) {
        geo::write_results(twin, f.run, tmp.gpkg);
        write_run_side_files(out, f.run, tmp.gpkg);
      });
    }
    if (opt->json) {
      print_json(out);
      return;
    }
    const auto& a = f.adjustment;
    std::cout << "forecast       " << date << " from " << std::setw(2) << std::setfill('0') << now << ":00" << std::setfill(' ') << " ("
              << fc::feeds_name(f.feeds) << ")\n"
              << "observations   " << f.today.counts.size() << " station-hours, " << f.today.loads.size() << " meter-hours used; ignored: "
              << f.today.counts_after_now + f.today.loads_after_now << " at or after now, " << f.today.counts_other_days + f.today.loads_other_days
              << " of other dates, " << f.today.counts_unmatched << " of unmatched stations\n";
    char buf[256];
    if (a.traffic_updated) {
      std::snprintf(buf, sizeof buf, "traffic        %.3f x typical (%zu stations), station spread %.1f %%\n", a.traffic_ratio, a.stations_used,
                    100 * a.station_ratio_spread);
      std::cout << buf;
    }
    if (a.grid_updated) {
      std::snprintf(buf, sizeof buf, "loads          %.3f x typical (%zu substations), EV share %.3f (typical %.3f)\n", a.load_ratio, a.substations_used,
                    a.ev_share, a.ev_share_typical);
      std::cout << buf;
    }
    auto band = [](const fc::Peak& p) {
      char b[64];
      if (std::isfinite(p.low) && std::isfinite(p.high)) std::snprintf(b, sizeof b, "band %.2f - %.2f", p.low, p.high);
      else std::snprintf(b, sizeof b, "no band: no meters");
      return std::string(b);
    };
    const auto& cp = f.citywide_peak;
    std::snprintf(buf, sizeof buf, "citywide peak  %.2f MW at %02d:00 (%s)\n", cp.mw, cp.hour, band(cp).c_str());
    std::cout << buf;
    for (std::size_t k = 0; k < f.substation_peak.size(); ++k) {
      const auto& p = f.substation_peak[k];
      std::snprintf(buf, sizeof buf, "  %-22s %8.2f MW at %02d:00 (%s), rating %.1f MVA\n", twin.grid.substation_name[k].c_str(), p.mw, p.hour,
                    band(p).c_str(), twin.grid.substation_capacity_mva[k]);
      std::cout << buf;
    }
    std::cout << "alerts         " << f.alerts.size() << (f.alerts.empty() ? "\n" : ":\n");
    for (std::size_t i = 0; i < f.alerts.size() && i < 20; ++i) {
      const auto& al = f.alerts[i];
      std::snprintf(buf, sizeof buf, "  %-20s %6u from %02d:00 for %d h: %s\n", fc::alert_kind_name(al.kind), al.element, al.first_hour, al.hours,
                    al.reason.c_str());
      std::cout << buf;
    }
    if (!opt->out.empty()) std::cout << "written        " << opt->out << " (+ .summary.json, .hours.csv)\n";
  });
}

}  // namespace citytwin::app
