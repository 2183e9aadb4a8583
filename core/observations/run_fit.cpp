#include "core/observations/run_fit.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>

#include "core/common/errors.hpp"
#include "core/observations/hourly_profile.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::observations {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::string factor_text(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", f);
  return buf;
}

// Run hour -> index into run.hours.
std::map<int, std::size_t> hour_index(const coupling::SimulationResult& run) {
  std::map<int, std::size_t> m;
  for (std::size_t i = 0; i < run.hours.size(); ++i) m[run.hours[i].totals.hour] = i;
  return m;
}

// Meter readings of one kind: checked, profiled and compared per element.
LoadsFit fit_meters(const coupling::SimulationResult& run, const std::vector<GridMeasurement>& meters, std::size_t element_count,
                    const std::vector<std::string>& names, QualityOptions quality, bool magnitude, const FitOptions& options,
                    const std::function<std::vector<double>(const coupling::HourResult&)>& modelled_of,
                    const std::function<bool(const coupling::HourResult&)>& has_grid) {
  for (const auto& h : run.hours)
    if (!has_grid(h))
      throw InvalidInput("the run holds no grid results for hour " + std::to_string(h.totals.hour) +
                         " (a traffic-only results file?); meter readings need a run with the grid (citytwin run or powerflow)");
  LoadsFit out;
  std::vector<HourlyValue> values;
  values.reserve(meters.size());
  for (const auto& m : meters) {
    if (m.element >= element_count)
      throw InvalidInput("meter reading of row " + std::to_string(m.row) + " names element " + std::to_string(m.element) +
                         ", which the twin does not have (" + std::to_string(element_count) + ")");
    values.push_back({m.element, m.time, magnitude ? std::abs(m.p_mw) : m.p_mw, m.row, ""});
  }
  auto checked = check_series(std::move(values), quality, names);
  out.quality = std::move(checked.report);
  const HourlyProfile profile = hourly_profile(checked.used, element_count);
  const auto hours = hour_index(run);
  std::vector<std::vector<double>> modelled(run.hours.size());
  for (std::size_t i = 0; i < run.hours.size(); ++i) modelled[i] = modelled_of(run.hours[i]);
  double sum_mape = 0, sum_peak = 0;
  std::size_t n_mape = 0, n_peak = 0;
  for (std::uint32_t e = 0; e < element_count; ++e) {
    std::vector<double> m, o;
    for (int h = 0; h < 24; ++h) {
      const ProfileCell& c = profile.at(e, options.day_type, h);
      if (c.days == 0) continue;
      auto it = hours.find(h);
      if (it == hours.end()) {
        ++out.profile_hours_not_in_run;
        continue;
      }
      const double mv = modelled[it->second][e];
      out.rows.push_back({e, -1, h, c.mean, c.days, mv, kNan});
      m.push_back(mv);
      o.push_back(c.mean);
    }
    if (o.empty()) continue;
    const LoadFit f = load_fit(m, o);
    out.elements.push_back({e, f});
    if (std::isfinite(f.mape_pct)) sum_mape += f.mape_pct, ++n_mape;
    if (std::isfinite(f.peak_ape_pct)) sum_peak += f.peak_ape_pct, ++n_peak;
  }
  out.mape_pct = n_mape ? sum_mape / static_cast<double>(n_mape) : kNan;
  out.peak_mape_pct = n_peak ? sum_peak / static_cast<double>(n_peak) : kNan;
  return out;
}
}  // namespace

CountFit fit_counts(const Twin& twin, const coupling::SimulationResult& run, const std::vector<TrafficCount>& counts,
                    const StationTable& stations, const std::vector<std::int64_t>& station_link, const FitOptions& options) {
  CountFit out;
  const std::size_t ns = stations.stations.size();
  std::vector<std::string> names(ns);
  QualityOptions q;
  q.upper_limit.assign(ns, kNan);
  q.limit_rule = factor_text(options.implausible_factor) + " x the matched link's hourly capacity";
  for (std::size_t s = 0; s < ns; ++s) {
    names[s] = stations.stations[s].name;
    const std::int64_t l = s < station_link.size() ? station_link[s] : -1;
    if (l >= 0) q.upper_limit[s] = options.implausible_factor * twin.roads.capacity_vph[static_cast<std::size_t>(l)];
  }
  std::vector<HourlyValue> values;
  values.reserve(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    values.push_back({stations.station_of[i], counts[i].time, counts[i].vehicles, counts[i].row, counts[i].vehicle_class});
  auto checked = check_series(std::move(values), q, names);
  out.quality = std::move(checked.report);
  const HourlyProfile profile = hourly_profile(checked.used, ns);
  const auto hours = hour_index(run);
  for (const auto& h : run.hours)
    if (h.link_flow.size() != twin.roads.link_count())
      throw InvalidInput("the run holds no road link flows for hour " + std::to_string(h.totals.hour) +
                         " (a grid-only results file?); counts need a run with traffic (citytwin run or assign)");
  std::vector<double> m, o;
  for (std::uint32_t s = 0; s < ns; ++s) {
    const std::int64_t l = s < station_link.size() ? station_link[s] : -1;
    if (l < 0) continue;
    bool scored = false;
    for (int h = 0; h < 24; ++h) {
      const ProfileCell& c = profile.at(s, options.day_type, h);
      if (c.days == 0) continue;
      auto it = hours.find(h);
      if (it == hours.end()) {
        ++out.profile_hours_not_in_run;
        continue;
      }
      const double mv = run.hours[it->second].link_flow[static_cast<std::size_t>(l)];
      out.rows.push_back({s, l, h, c.mean, c.days, mv, geh(mv, c.mean)});
      m.push_back(mv);
      o.push_back(c.mean);
      scored = true;
    }
    out.stations_scored += scored;
  }
  out.overall = flow_fit(m, o);
  return out;
}

LoadsFit fit_substation_loads(const Twin& twin, const coupling::SimulationResult& run, const std::vector<GridMeasurement>& loads,
                              const FitOptions& options) {
  const PowerGrid& g = twin.grid;
  QualityOptions q;
  q.allow_negative = true;  // a substation with local generation may export
  q.upper_limit.resize(g.substation_count());
  for (std::size_t k = 0; k < g.substation_count(); ++k)
    q.upper_limit[k] = g.substation_capacity_mva[k] > 0 ? options.implausible_factor * g.substation_capacity_mva[k] : kNan;
  q.limit_rule = factor_text(options.implausible_factor) + " x the substation's rating (MVA)";
  return fit_meters(run, loads, g.substation_count(), g.substation_name, q, false, options,
                    [&g](const coupling::HourResult& h) { return substation_p_mw(g, h); },
                    [&g](const coupling::HourResult& h) { return h.bus_load_mw.size() == g.bus_count(); });
}

LoadsFit fit_branch_flows(const Twin& twin, const coupling::SimulationResult& run, const std::vector<GridMeasurement>& flows,
                          const FitOptions& options) {
  const PowerGrid& g = twin.grid;
  QualityOptions q;
  q.upper_limit.resize(g.branch_count());
  std::vector<std::string> names(g.branch_count());
  for (std::size_t l = 0; l < g.branch_count(); ++l) {
    q.upper_limit[l] = g.branch_rating_mva[l] > 0 ? options.implausible_factor * g.branch_rating_mva[l] : kNan;
    names[l] = "branch " + std::to_string(l);
  }
  q.limit_rule = factor_text(options.implausible_factor) + " x the branch's rating (MVA)";
  return fit_meters(run, flows, g.branch_count(), names, q, true, options,
                    [&g](const coupling::HourResult& h) { return branch_flow_mw(g, h); },
                    [&g](const coupling::HourResult& h) { return h.branch_loading_pct.size() == g.branch_count(); });
}

}  // namespace citytwin::observations
