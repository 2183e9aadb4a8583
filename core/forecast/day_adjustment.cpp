#include "core/forecast/day_adjustment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include "core/common/errors.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/demand_feedback.hpp"
#include "core/coupling/road_model.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::forecast {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::map<int, const coupling::HourResult*> by_hour(const coupling::SimulationResult& run) {
  std::map<int, const coupling::HourResult*> m;
  for (const auto& h : run.hours) m[h.totals.hour] = &h;
  return m;
}

const coupling::HourResult& hour_of(const std::map<int, const coupling::HourResult*>& m, int h, const char* which) {
  const auto it = m.find(h);
  if (it == m.end()) throw InvalidInput(std::string("the ") + which + " run lacks hour " + std::to_string(h));
  return *it->second;
}

double shrunk(double own, double n, double citywide, double k) { return (n * own + k * citywide) / (n + k); }

void estimate_traffic(const Twin& twin, const Today& today, const coupling::SimulationResult& typical,
                      const std::vector<std::int64_t>& station_link, std::size_t stations, const AdjustmentOptions& o,
                      DayAdjustment& a) {
  const auto hours = by_hour(typical);
  std::vector<double> obs(stations, 0.0), mod(stations, 0.0);
  std::vector<std::size_t> n(stations, 0);
  for (const auto& v : today.counts) {
    const auto l = static_cast<std::size_t>(station_link[v.element]);
    obs[v.element] += v.value;
    mod[v.element] += hour_of(hours, v.hour, "typical").link_flow[l];
    ++n[v.element];
  }
  const std::size_t Z = twin.districts.size();
  std::vector<double> zo(Z, 0.0), zm(Z, 0.0);
  a.district_stations.assign(Z, 0);
  a.station_ratio.assign(stations, kNan);
  double so = 0, sm = 0;
  auto district_of = [&](std::size_t s) -> std::int32_t {
    const auto l = static_cast<std::size_t>(station_link[s]);
    return l < twin.links.link_district.size() ? twin.links.link_district[l] : -1;
  };
  for (std::size_t s = 0; s < stations; ++s) {
    if (n[s] == 0 || !(mod[s] > 0)) continue;  // a link the typical day leaves empty gives no ratio
    a.station_ratio[s] = obs[s] / mod[s];
    so += obs[s], sm += mod[s];
    ++a.stations_used;
    a.station_hours_used += n[s];
    if (const auto z = district_of(s); z >= 0) zo[z] += obs[s], zm[z] += mod[s], ++a.district_stations[z];
  }
  if (a.stations_used == 0) return;
  a.traffic_updated = true;
  a.traffic_ratio = so / sm;
  for (std::size_t z = 0; z < Z; ++z)
    a.district_traffic_ratio[z] = a.district_stations[z] ? shrunk(zo[z] / zm[z], a.district_stations[z], a.traffic_ratio, o.shrink_stations)
                                                         : a.traffic_ratio;
  double e2 = 0;
  for (std::size_t s = 0; s < stations; ++s) {
    if (std::isnan(a.station_ratio[s])) continue;
    const auto z = district_of(s);
    const double e = a.station_ratio[s] / (z >= 0 ? a.district_traffic_ratio[z] : a.traffic_ratio) - 1.0;
    e2 += e * e;
  }
  a.station_ratio_spread = std::sqrt(e2 / static_cast<double>(a.stations_used));
}

// observed_k(h) ~ a_k B_k(h) + phi E_k(h) over the metered (k, h); E = 0 fits levels only.
void estimate_grid(const Twin& twin, const Today& today, Feeds feeds, const coupling::SimulationResult& typical,
                   const coupling::SimulationResult& probe, double step, const AdjustmentOptions& o, DayAdjustment& a) {
  const std::size_t K = twin.grid.substation_count();
  const auto th = by_hour(typical), ph = by_hour(probe);
  const bool split_ev = feeds == Feeds::Shared;
  struct Point {
    std::uint32_t k;
    double obs, model, base, ev;
  };
  std::vector<Point> pts;
  std::map<int, std::vector<double>> m_cache, p_cache;
  auto model_at = [&](int h) -> const std::vector<double>& {
    auto it = m_cache.find(h);
    if (it == m_cache.end()) it = m_cache.emplace(h, observations::substation_p_mw(twin.grid, hour_of(th, h, "typical"))).first;
    return it->second;
  };
  auto probe_at = [&](int h) -> const std::vector<double>& {
    auto it = p_cache.find(h);
    if (it == p_cache.end()) it = p_cache.emplace(h, observations::substation_p_mw(twin.grid, hour_of(ph, h, "EV probe"))).first;
    return it->second;
  };
  // tau_k: the traffic ratio of the districts substation k serves.
  a.substation_traffic_ratio.assign(K, a.traffic_ratio);
  {
    std::vector<double> num(K, 0.0), den(K, 0.0);
    const CrossLinks& x = twin.links;
    for (std::size_t z = 0; z < twin.districts.size() && z + 1 < x.district_sub_offsets.size(); ++z)
      for (auto i = x.district_sub_offsets[z]; i < x.district_sub_offsets[z + 1]; ++i)
        num[x.district_sub[i]] += x.district_sub_share[i] * a.district_traffic_ratio[z], den[x.district_sub[i]] += x.district_sub_share[i];
    for (std::size_t k = 0; k < K; ++k)
      if (den[k] > 0) a.substation_traffic_ratio[k] = num[k] / den[k];
  }
  const double phi0 = a.ev_share_typical;
  double so = 0, sm = 0;
  for (const auto& v : today.loads) {
    const double m = model_at(v.hour)[v.element];
    double base = m, ev = 0;
    if (split_ev) {
      const double u = (probe_at(v.hour)[v.element] - m) / step;  // MW per unit of EV share
      base = m - phi0 * u;
      ev = a.substation_traffic_ratio[v.element] * u;
    }
    pts.push_back({v.element, v.value, m, base, ev});
    so += v.value, sm += m;
  }
  if (pts.empty()) return;
  a.grid_updated = true;
  a.load_ratio = sm > 0 ? so / sm : 1.0;
  std::vector<std::size_t> n(K, 0);
  for (const auto& p : pts) ++n[p.k];
  for (std::size_t k = 0; k < K; ++k) a.substations_used += n[k] > 0;
  a.substation_hours_used = pts.size();

  double phi = phi0;
  std::vector<double> level(K, 1.0);
  double citywide_level = 1;
  for (int round = 0; round < std::max(1, o.alternations); ++round) {
    std::vector<double> num(K, 0.0), den(K, 0.0);
    for (const auto& p : pts) num[p.k] += p.base * (p.obs - phi * p.ev), den[p.k] += p.base * p.base;
    double tn = 0, td = 0;
    for (std::size_t k = 0; k < K; ++k) tn += num[k], td += den[k];
    citywide_level = td > 0 ? tn / td : 1.0;
    for (std::size_t k = 0; k < K; ++k)
      level[k] = n[k] && den[k] > 0 ? shrunk(num[k] / den[k], static_cast<double>(n[k]), citywide_level, o.shrink_hours) : citywide_level;
    if (!split_ev) break;
    double en = 0, ed = 0;
    for (const auto& p : pts) en += p.ev * (p.obs - level[p.k] * p.base), ed += p.ev * p.ev;
    const double next = ed > 0 ? std::clamp(en / ed, 0.0, 1.0) : phi;
    if (std::abs(next - phi) < 1e-9) {
      phi = next;
      break;
    }
    phi = next;
  }
  a.substation_level = level;
  a.ev_share = split_ev ? phi : std::clamp(phi0 * citywide_level, 0.0, 1.0);

  // Spread of observed / fitted, per substation (shrunk toward citywide) and of the citywide sum.
  std::vector<double> e2(K, 0.0);
  std::map<int, std::pair<double, double>> hour_sums;  // observed, fitted
  double all = 0;
  std::size_t all_n = 0;
  for (const auto& p : pts) {
    const double fit = level[p.k] * p.base + phi * p.ev;
    if (!(fit > 0)) continue;
    const double e = p.obs / fit - 1.0;
    e2[p.k] += e * e, all += e * e, ++all_n;
  }
  const double city = all_n ? std::sqrt(all / static_cast<double>(all_n)) : 0.0;
  a.substation_spread.assign(K, kNan);
  for (std::size_t k = 0; k < K; ++k)
    if (n[k]) a.substation_spread[k] = std::sqrt((e2[k] + o.shrink_hours * city * city) / (static_cast<double>(n[k]) + o.shrink_hours));
  // The hours for which all metered substations reported give the citywide sum.
  std::map<int, std::size_t> hour_n;
  {
    std::size_t i = 0;
    for (const auto& v : today.loads) {
      const auto& p = pts[i++];
      auto& s = hour_sums[v.hour];
      s.first += p.obs, s.second += level[p.k] * p.base + phi * p.ev;
      ++hour_n[v.hour];
    }
  }
  double c2 = 0;
  std::size_t cn = 0;
  for (const auto& [h, s] : hour_sums) {
    if (hour_n[h] != a.substations_used || !(s.second > 0)) continue;
    const double e = s.first / s.second - 1.0;
    c2 += e * e, ++cn;
  }
  a.citywide_spread = cn ? std::sqrt(c2 / static_cast<double>(cn)) : city;
}
}  // namespace

const char* feeds_name(Feeds f) {
  switch (f) {
    case Feeds::Shared: return "shared";
    case Feeds::WithoutTraffic: return "without_traffic";
    case Feeds::WithoutGrid: return "without_grid";
  }
  return "?";
}

DayAdjustment estimate_adjustment(const Twin& twin, const Today& today, Feeds feeds, const coupling::Scenario& scenario,
                                  const coupling::SimulationResult& typical, const coupling::SimulationResult& ev_probe,
                                  double probe_step, const AdjustmentOptions& options) {
  if (!(probe_step > 0)) throw InvalidInput("the EV probe step must be positive");
  DayAdjustment a;
  const std::size_t Z = twin.districts.size(), K = twin.grid.substation_count();
  a.district_traffic_ratio.assign(Z, 1.0);
  a.district_stations.assign(Z, 0);
  a.substation_level.assign(K, 1.0);
  a.substation_traffic_ratio.assign(K, 1.0);
  a.substation_spread.assign(K, kNan);
  a.district_load_factor.assign(Z, 1.0);
  a.station_ratio_spread = kNan;
  a.citywide_spread = kNan;
  a.ev_share_typical = a.ev_share = scenario.coupling.ev_share;
  if (feeds != Feeds::WithoutTraffic && !today.counts.empty())
    estimate_traffic(twin, today, typical, today.station_link, today.station_link.size(), options, a);
  if (feeds != Feeds::WithoutGrid && !today.loads.empty()) estimate_grid(twin, today, feeds, typical, ev_probe, probe_step, options, a);
  if (a.grid_updated) {
    const CrossLinks& x = twin.links;
    for (std::size_t z = 0; z < Z && z + 1 < x.district_sub_offsets.size(); ++z) {
      double f = 0, w = 0;
      for (auto i = x.district_sub_offsets[z]; i < x.district_sub_offsets[z + 1]; ++i)
        f += x.district_sub_share[i] * a.substation_level[x.district_sub[i]], w += x.district_sub_share[i];
      a.district_load_factor[z] = w > 0 ? f / w : 1.0;
    }
  }
  return a;
}

coupling::Scenario adjusted_scenario(const Twin& twin, const coupling::Scenario& typical, const DayAdjustment& a) {
  if (!a.traffic_updated && !a.grid_updated) return typical;
  coupling::Scenario s = typical;
  s.name = typical.name + " (forecast)";
  // The typical day's hourly vehicle matrices, exactly as its run made them.
  const coupling::RoadModel roads(twin.roads);
  coupling::DailyDemand d = coupling::daily_demand(twin, typical, roads);
  coupling::feed_back_congestion(d, typical, roads, twin.roads.link_count());
  auto od = std::make_shared<coupling::GivenOd>();
  od->source = "typical day x today's count ratios";
  od->format = "forecast";
  od->zones = d.zones;
  const std::size_t Z = d.zones;
  for (int h = 0; h < demand::kHours; ++h) {
    std::vector<double> v = d.vehicles(h, typical);
    if (a.traffic_updated && a.district_traffic_ratio.size() == Z)
      for (std::size_t i = 0; i < Z; ++i)
        for (std::size_t j = 0; j < Z; ++j) v[i * Z + j] *= 0.5 * (a.district_traffic_ratio[i] + a.district_traffic_ratio[j]);
    for (double x : v) od->total += x;
    od->vehicles[static_cast<std::size_t>(h)] = std::move(v);
  }
  s.given_od = std::move(od);
  s.demand.demand_scale = 1.0;  // already in the matrices
  if (a.grid_updated) {
    const std::size_t nd = twin.districts.size();
    s.population_growth.assign(nd, 1.0);
    s.jobs_growth.assign(nd, 1.0);
    for (std::size_t z = 0; z < nd; ++z) {
      const double f = z < a.district_load_factor.size() ? a.district_load_factor[z] : 1.0;
      s.population_growth[z] = (z < typical.population_growth.size() ? typical.population_growth[z] : 1.0) * f;
      s.jobs_growth[z] = (z < typical.jobs_growth.size() ? typical.jobs_growth[z] : 1.0) * f;
    }
  }
  s.coupling.ev_share = a.ev_share;
  return s;
}

}  // namespace citytwin::forecast
