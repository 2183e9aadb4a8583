#include "core/calibration/calibration_report.hpp"

#include <cmath>
#include <cstdio>

namespace citytwin::calibration {

namespace {
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json flow_json(const observations::FlowFit& f) {
  return {{"station_hours", f.n}, {"geh_below_5", f.geh_below_5}, {"share_geh_below_5", number(f.share_geh_below_5)},
          {"mean_geh", number(f.mean_geh)}, {"rmse_pct", number(f.rmse_pct)}, {"r2", number(f.r2)},
          {"sum_observed", f.sum_observed}, {"sum_modelled", f.sum_modelled}};
}

const observations::LoadFit* element_fit(const observations::LoadsFit& f, std::uint32_t k) {
  for (const auto& e : f.elements)
    if (e.element == k) return &e.fit;
  return nullptr;
}

double get(const nlohmann::json& j, const char* a, const char* b) {
  if (!j.contains(a) || !j[a].contains(b) || j[a][b].is_null()) return NAN;
  return j[a][b].get<double>();
}

std::string f(const char* fmt, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, std::isfinite(v) ? fmt : "n/a", v);
  return buf;
}
}  // namespace

nlohmann::json calibration_report_json(const CalibratedTwin& result, const observations::StationTable& stations, const CalibrateOptions& o,
                                       const ReportContext& c) {
  const CalibrationReport& r = result.report;
  const Twin& twin = result.twin;
  nlohmann::json j;
  j["twin"] = c.twin;
  j["calibrated_twin"] = c.calibrated_twin;
  j["scenario"] = c.scenario;
  j["settings"] = {{"holdout_share", o.holdout_share}, {"seed", o.seed}, {"day_type", observations::day_type_name(o.fit.day_type)},
                   {"implausible_factor", o.fit.implausible_factor},
                   {"residential_and_commercial_factor_bounds", {o.load_bounds.load_min, o.load_bounds.load_max}},
                   {"ev_factor_bounds", {o.load_bounds.ev_min, o.load_bounds.ev_max}}, {"demand", o.demand}, {"loads", o.loads}};
  nlohmann::json held = nlohmann::json::array();
  for (auto s : r.held_out_stations) held.push_back(stations.stations[s].name);
  j["counts"] = {{"file", c.counts}, {"records", c.count_records}, {"stations", stations.stations.size()},
                 {"matched", stations.stations.size() - r.unmatched_stations}, {"ambiguous", c.ambiguous}, {"rejected", c.rejected},
                 {"used", r.used_stations.size()}, {"held_out", r.held_out_stations.size()}, {"held_out_stations", held}};
  j["loads"] = {{"file", c.loads}, {"records", c.load_records}, {"substations", twin.grid.substation_count()},
                {"substations_metered", r.loads_before.elements.size()}};
  auto side = [&](const CountScores& s, const observations::LoadsFit& l) {
    nlohmann::json x;
    if (r.has_counts) x["counts_used"] = flow_json(s.used), x["counts_held_out"] = flow_json(s.held_out);
    if (r.has_loads) x["loads"] = {{"mape_pct", number(l.mape_pct)}, {"peak_mape_pct", number(l.peak_mape_pct)}};
    return x;
  };
  j["before"] = side(r.before, r.loads_before);
  j["after"] = side(r.after, r.loads_after);
  j["demand"] = {{"calibrated", r.demand_calibrated}, {"note", r.demand_note}, {"od_cells_changed", r.od_cells},
                 {"od_factor_min", r.od_factor_min}, {"od_factor_max", r.od_factor_max}, {"seconds", r.seconds_demand},
                 {"odme_fit_before", flow_json(r.odme_before)}, {"odme_fit_after", flow_json(r.odme_after)},
                 {"lower_factor", o.odme.lower_factor}, {"upper_factor", o.odme.upper_factor}, {"max_iterations", o.odme.max_iterations}};
  nlohmann::json per = nlohmann::json::array();
  for (const auto& sc : r.load_calibration.substations) {
    const auto k = sc.substation;
    const auto* b = element_fit(r.loads_before, k);
    const auto* a = element_fit(r.loads_after, k);
    per.push_back({{"substation", twin.grid.substation_name[k]}, {"id", k}, {"hours", sc.hours},
                   {"residential_factor", sc.factors.factor[0]}, {"commercial_factor", sc.factors.factor[1]}, {"ev_factor", sc.factors.factor[2]},
                   {"at_bound", {{"residential", sc.factors.at_bound[0]}, {"commercial", sc.factors.at_bound[1]}, {"ev", sc.factors.at_bound[2]}}},
                   {"mape_before_pct", number(b ? b->mape_pct : NAN)}, {"mape_after_pct", number(a ? a->mape_pct : NAN)},
                   {"observed_peak_mw", number(b ? b->observed_peak : NAN)},
                   {"peak_before_mw", number(b ? b->modelled_peak : NAN)}, {"peak_after_mw", number(a ? a->modelled_peak : NAN)},
                   {"peak_error_before_pct", number(b ? b->peak_ape_pct : NAN)}, {"peak_error_after_pct", number(a ? a->peak_ape_pct : NAN)},
                   {"rmse_before_mw", sc.rmse_before_mw}, {"rmse_after_mw_least_squares", sc.rmse_after_mw}});
  }
  j["load_factors"] = {{"seconds", r.seconds_loads}, {"per_substation", per}};
  j["runs"] = {{"count", r.runs}, {"seconds", r.seconds_runs}};
  return j;
}

std::string calibration_summary_text(const nlohmann::json& j) {
  std::string s;
  auto line = [&](const std::string& t) { s += t + "\n"; };
  line("calibrated     " + j["calibrated_twin"].get<std::string>() + " (from " + j["twin"].get<std::string>() + ", scenario " +
       j["scenario"].get<std::string>() + ")");
  const auto& b = j["before"];
  const auto& a = j["after"];
  if (b.contains("counts_used")) {
    const auto& c = j["counts"];
    line("counts         " + std::to_string(c["stations"].get<std::size_t>()) + " stations, " + std::to_string(c["matched"].get<std::size_t>()) +
         " matched: " + std::to_string(c["used"].get<std::size_t>()) + " used, " + std::to_string(c["held_out"].get<std::size_t>()) + " held out");
    line("                            GEH<5 before -> after    %RMSE before -> after    R² before -> after");
    for (const char* k : {"counts_used", "counts_held_out"}) {
      std::string row = std::string(k) == "counts_used" ? "  used         " : "  held out     ";
      row += "              " + f("%5.1f %%", 100 * get(b, k, "share_geh_below_5")) + " -> " + f("%5.1f %%", 100 * get(a, k, "share_geh_below_5"));
      row += "      " + f("%6.1f %%", get(b, k, "rmse_pct")) + " -> " + f("%6.1f %%", get(a, k, "rmse_pct"));
      row += "      " + f("%6.3f", get(b, k, "r2")) + " -> " + f("%6.3f", get(a, k, "r2"));
      line(row);
    }
  }
  line("demand (ODME)  " + std::string(j["demand"]["calibrated"].get<bool>() ? "" : "not calibrated: ") + j["demand"]["note"].get<std::string>());
  if (b.contains("loads")) {
    line("loads          " + std::to_string(j["loads"]["substations_metered"].get<std::size_t>()) + " of " +
         std::to_string(j["loads"]["substations"].get<std::size_t>()) + " substations metered; MAPE " + f("%.1f %%", get(b, "loads", "mape_pct")) +
         " -> " + f("%.1f %%", get(a, "loads", "mape_pct")) + ", daily-peak error " + f("%.1f %%", get(b, "loads", "peak_mape_pct")) + " -> " +
         f("%.1f %%", get(a, "loads", "peak_mape_pct")));
    for (const auto& p : j["load_factors"]["per_substation"]) {
      auto val = [&](const char* k) { return p[k].is_null() ? NAN : p[k].get<double>(); };
      char buf[200];
      std::snprintf(buf, sizeof buf, "  %-22s residential x%.3f  commercial x%.3f  EV x%.3f   MAPE %s -> %s   peak error %s -> %s",
                    p["substation"].get<std::string>().c_str(), val("residential_factor"), val("commercial_factor"), val("ev_factor"), f("%.1f %%", val("mape_before_pct")).c_str(), f("%.1f %%", val("mape_after_pct")).c_str(),
                    f("%.1f %%", val("peak_error_before_pct")).c_str(), f("%.1f %%", val("peak_error_after_pct")).c_str());
      line(buf);
    }
  }
  return s;
}

}  // namespace citytwin::calibration
