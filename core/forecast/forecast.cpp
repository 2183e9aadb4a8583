#include "core/forecast/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/common/errors.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::forecast {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNoBus = 0xFFFFFFFFu;

// Hours before `now` keep what was measured: counted links' flows (the mean of
// the stations on a link) and metered substations' loads; a substation's
// load and utilisation are scaled with its active power.
void keep_observed(const Today& today, ForecastResult& f) {
  std::map<std::pair<int, std::size_t>, std::pair<double, int>> link_obs;
  for (const auto& v : today.counts) {
    auto& e = link_obs[{v.hour, static_cast<std::size_t>(today.station_link[v.element])}];
    e.first += v.value, ++e.second;
  }
  for (auto& hr : f.run.hours) {
    const int h = hr.totals.hour;
    if (h >= today.now) continue;
    for (auto it = link_obs.lower_bound({h, 0}); it != link_obs.end() && it->first.first == h; ++it) {
      const std::size_t l = it->first.second;
      const double o = it->second.first / it->second.second, m = hr.link_flow[l];
      if (m > 0) hr.link_vc[l] = static_cast<float>(hr.link_vc[l] * o / m);
      hr.link_flow[l] = static_cast<float>(o);
    }
  }
  for (const auto& v : today.loads) {
    auto& hr = f.run.hours[static_cast<std::size_t>(v.hour)];
    const double m = f.substation_p_mw[static_cast<std::size_t>(v.hour)][v.element];
    if (m > 0 && v.element < hr.substation_load_mva.size()) {
      hr.substation_load_mva[v.element] = static_cast<float>(hr.substation_load_mva[v.element] * v.value / m);
      hr.substation_utilisation[v.element] = static_cast<float>(hr.substation_utilisation[v.element] * v.value / m);
    }
    f.substation_p_mw[static_cast<std::size_t>(v.hour)][v.element] = v.value;
    f.substation_observed[static_cast<std::size_t>(v.hour)][v.element] = 1;
  }
}

void bands(const Twin& twin, const ForecastOptions& o, ForecastResult& f) {
  const std::size_t K = twin.grid.substation_count();
  const auto& a = f.adjustment;
  const double z = o.band_z;
  for (std::size_t h = 0; h < f.substation_p_mw.size(); ++h) {
    double sum = 0;
    bool all_observed = true;
    for (std::size_t k = 0; k < K; ++k) {
      const double v = f.substation_p_mw[h][k];
      sum += v;
      all_observed = all_observed && f.substation_observed[h][k];
      double sigma = a.grid_updated ? a.substation_spread[k] : kNan;
      if (a.grid_updated && std::isnan(sigma)) sigma = a.citywide_spread;
      if (f.substation_observed[h][k]) sigma = 0;
      f.substation_low_mw[h][k] = v * (1 - z * sigma);
      f.substation_high_mw[h][k] = v * (1 + z * sigma);
    }
    f.citywide_p_mw[h] = sum;
    const double sigma = all_observed ? 0.0 : (a.grid_updated ? a.citywide_spread : kNan);
    f.citywide_low_mw[h] = sum * (1 - z * sigma);
    f.citywide_high_mw[h] = sum * (1 + z * sigma);
  }
  f.link_band_relative = a.traffic_updated ? z * a.station_ratio_spread : kNan;
}

Peak peak_of(const std::vector<double>& v, const std::vector<double>& lo, const std::vector<double>& hi, int from) {
  Peak p;
  for (int h = from; h < static_cast<int>(v.size()); ++h)
    if (p.hour < 0 || v[static_cast<std::size_t>(h)] > p.mw) p = {h, v[static_cast<std::size_t>(h)], lo[static_cast<std::size_t>(h)], hi[static_cast<std::size_t>(h)]};
  return p;
}

void peaks(const Twin& twin, ForecastResult& f) {
  const std::size_t K = twin.grid.substation_count();
  const int now = f.today.now;
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<double> v, lo, hi;
    for (std::size_t h = 0; h < f.substation_p_mw.size(); ++h)
      v.push_back(f.substation_p_mw[h][k]), lo.push_back(f.substation_low_mw[h][k]), hi.push_back(f.substation_high_mw[h][k]);
    f.substation_peak.push_back(peak_of(v, lo, hi, now));
  }
  f.citywide_peak = peak_of(f.citywide_p_mw, f.citywide_low_mw, f.citywide_high_mw, now);
}

void alerts(const Twin& twin, const coupling::Scenario& s, const ForecastOptions& o, ForecastResult& f) {
  const PowerGrid& g = twin.grid;
  const int now = f.today.now;
  struct Span {
    int first = -1, hours = 0;
    double worst = 0;
    void add(int h, double v) {
      if (first < 0) first = h;
      ++hours;
      worst = std::max(worst, v);
    }
  };
  std::vector<Span> subs(g.substation_count()), branches(g.branch_count()), signals(twin.links.signal_bus.size());
  std::vector<double> sig_band(signals.size(), 0.0);
  std::vector<std::uint8_t> sig_dark(signals.size(), 0);
  for (const auto& hr : f.run.hours) {
    const int h = hr.totals.hour;
    if (h < now) continue;
    std::vector<double> high_u(g.substation_count(), 0.0);
    for (std::size_t k = 0; k < g.substation_count() && k < hr.substation_utilisation.size(); ++k) {
      const double u = hr.substation_utilisation[k];
      if (u > 1.0) subs[k].add(h, u);
      const double sigma = f.adjustment.grid_updated && !std::isnan(f.adjustment.substation_spread[k]) ? f.adjustment.substation_spread[k] : 0.0;
      high_u[k] = u * (1 + o.band_z * sigma);
    }
    for (std::size_t l = 0; l < branches.size() && l < hr.branch_loading_pct.size(); ++l)
      if (hr.branch_loading_pct[l] > 100.0f) branches[l].add(h, hr.branch_loading_pct[l]);
    for (std::size_t sg = 0; sg < signals.size(); ++sg) {
      const auto bus = twin.links.signal_bus[sg];
      const std::int32_t k = bus != kNoBus && bus < g.bus_count() ? g.bus_substation[bus] : -1;
      const bool dark = sg < hr.signal_dark.size() && hr.signal_dark[sg];
      const double hu = k >= 0 ? high_u[static_cast<std::size_t>(k)] : 0.0;
      if (dark || hu >= s.coupling.u_trip) {
        signals[sg].add(h, hu);
        sig_dark[sg] |= dark;
      }
    }
  }
  for (std::size_t k = 0; k < subs.size(); ++k)
    if (subs[k].hours)
      f.alerts.push_back({AlertKind::SubstationOverload, static_cast<std::uint32_t>(k), subs[k].first, subs[k].hours, subs[k].worst,
                          g.substation_name[k] + " forecast above its rating"});
  for (std::size_t l = 0; l < branches.size(); ++l)
    if (branches[l].hours)
      f.alerts.push_back({AlertKind::BranchOverload, static_cast<std::uint32_t>(l), branches[l].first, branches[l].hours, branches[l].worst,
                          "branch " + std::to_string(l) + " forecast above 100 % loading"});
  for (std::size_t sg = 0; sg < signals.size(); ++sg)
    if (signals[sg].hours)
      f.alerts.push_back({AlertKind::SignalAtRisk, static_cast<std::uint32_t>(sg), signals[sg].first, signals[sg].hours, signals[sg].worst,
                          sig_dark[sg] ? "dark in the forecast" : "its substation's upper band reaches u_trip"});
}
}  // namespace

const char* alert_kind_name(AlertKind k) {
  switch (k) {
    case AlertKind::SubstationOverload: return "substation_overload";
    case AlertKind::BranchOverload: return "branch_overload";
    case AlertKind::SignalAtRisk: return "signal_at_risk";
  }
  return "?";
}

TypicalDay typical_day(const Twin& twin, const coupling::Scenario& scenario, int now) {
  if (now < 0 || now > 24) throw InvalidInput("now must be an hour from 0 to 24, not " + std::to_string(now));
  TypicalDay t;
  t.scenario = scenario;
  t.now = now;
  t.run = coupling::simulate(twin, scenario);
  t.probe_step = scenario.coupling.ev_share + kEvProbeStep <= 1.0 ? kEvProbeStep : -kEvProbeStep;
  if (now > 0) {
    coupling::Scenario probe = scenario;
    probe.coupling.ev_share += t.probe_step;
    coupling::SimulationOptions so;
    for (int h = 0; h < now; ++h) so.hours.push_back(h);
    t.ev_probe = coupling::simulate(twin, probe, so);
  }
  return t;
}

ForecastResult run_forecast(const Twin& twin, const TypicalDay& typical, const Observations& obs, const ForecastOptions& options) {
  if (options.today.now > typical.now)
    throw InvalidInput("the typical day was prepared for now = " + std::to_string(typical.now) + ", not " + std::to_string(options.today.now));
  if (typical.run.hours.size() != static_cast<std::size_t>(demand::kHours))
    throw InvalidInput("the typical day's run must cover hours 0..23");
  ForecastResult f;
  f.feeds = options.feeds;
  f.today = select_today(twin, obs, options.today);
  f.adjustment = estimate_adjustment(twin, f.today, options.feeds, typical.scenario, typical.run, typical.ev_probe,
                                     typical.probe_step, options.adjustment);
  const coupling::Scenario s = adjusted_scenario(twin, typical.scenario, f.adjustment);
  f.run = f.adjustment.traffic_updated || f.adjustment.grid_updated ? coupling::simulate(twin, s) : typical.run;
  const std::size_t H = f.run.hours.size(), K = twin.grid.substation_count();
  for (std::size_t h = 0; h < H; ++h) f.substation_p_mw.push_back(observations::substation_p_mw(twin.grid, f.run.hours[h]));
  f.substation_observed.assign(H, std::vector<std::uint8_t>(K, 0));
  keep_observed(f.today, f);
  f.substation_low_mw.assign(H, std::vector<double>(K, 0.0));
  f.substation_high_mw = f.substation_low_mw;
  f.citywide_p_mw.assign(H, 0.0);
  f.citywide_low_mw = f.citywide_high_mw = f.citywide_p_mw;
  bands(twin, options, f);
  peaks(twin, f);
  alerts(twin, s, options, f);
  return f;
}

}  // namespace citytwin::forecast
