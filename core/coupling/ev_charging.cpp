#include "core/coupling/ev_charging.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citytwin::coupling {

EvHour ev_charging(const Twin& twin, const std::vector<double>& flow, const std::vector<double>& od,
                   const std::vector<double>& dist, const std::vector<std::uint8_t>& bus_energised, const CouplingParameters& p,
                   const std::vector<double>& queue_in) {
  const RoadNetwork& r = twin.roads;
  const std::size_t Z = r.zone_node.size();
  EvHour out;
  out.zone_arrival_mwh.assign(Z, 0.0);
  out.station_mw.assign(twin.chargers.size(), 0.0);
  out.station_queue_mwh.assign(twin.chargers.size(), 0.0);
  if (p.ev_share <= 0) return out;

  double vkt = 0;
  for (std::size_t l = 0; l < r.link_count(); ++l) vkt += flow[l] * r.length_m[l] / 1000.0;
  out.demand_mwh = p.ev_share * vkt * p.ev_kwh_per_km / 1000.0;

  // Public stations: captured demand from flows on the links at their node.
  const auto& ch = twin.chargers;
  std::vector<double> captured(ch.size(), 0.0);
  double captured_total = 0;
  for (std::size_t s = 0; s < ch.size(); ++s) {
    const std::uint32_t node = s < twin.links.charger_node.size() ? twin.links.charger_node[s] : 0xFFFFFFFFu;
    if (node == 0xFFFFFFFFu) continue;
    double x = 0;
    for (auto k = r.in_links.offsets[node]; k < r.in_links.offsets[node + 1]; ++k) x += flow[r.in_links.entries[k]];
    for (auto k = r.out_links.offsets[node]; k < r.out_links.offsets[node + 1]; ++k) x += flow[r.out_links.entries[k]];
    captured[s] = p.public_capture * p.ev_share * x;
    captured_total += captured[s];
  }
  const double public_share = captured_total > 0 ? p.share_public : 0.0;
  const double public_mwh = out.demand_mwh * public_share;
  // Sessions of a station whose bus is de-energised go to the nearest live
  // station (they add load there); what no station can take is unserved.
  std::vector<std::uint8_t> live(ch.size(), 0);
  for (std::size_t s = 0; s < ch.size(); ++s) {
    const std::uint32_t bus = s < twin.links.charger_bus.size() ? twin.links.charger_bus[s] : 0xFFFFFFFFu;
    live[s] = bus != 0xFFFFFFFFu && bus < bus_energised.size() && bus_energised[bus];
  }
  std::vector<double> want(ch.size(), 0.0);
  for (std::size_t s = 0; s < ch.size(); ++s) {
    const double queued = s < queue_in.size() ? queue_in[s] : 0.0;
    const double w = (captured_total > 0 ? public_mwh * captured[s] / captured_total : 0.0) + queued;
    if (w <= 0) continue;
    if (live[s]) {
      want[s] += w;
      continue;
    }
    std::size_t best = ch.size();
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < ch.size(); ++t) {
      const double d = std::hypot(ch.x[t] - ch.x[s], ch.y[t] - ch.y[s]);
      if (live[t] && d < best_d) best_d = d, best = t;
    }
    if (best < ch.size()) {
      want[best] += w;
      out.diverted_mwh += w;
    } else {
      out.public_unserved_mwh += w;
    }
  }
  double wait_weighted = 0, queued_mwh = 0;
  for (std::size_t s = 0; s < ch.size(); ++s) {
    const double cap = ch.plugs[s] * ch.kw_per_plug[s] / 1000.0;  // MW for one hour
    out.station_mw[s] = live[s] ? std::min(want[s], cap) : 0.0;
    const double overflow = want[s] - out.station_mw[s];
    out.station_queue_mwh[s] = live[s] ? std::min(overflow, cap * p.max_queue_wait_h) : 0.0;
    out.public_unserved_mwh += overflow - out.station_queue_mwh[s];
    if (out.station_queue_mwh[s] > 0) {
      queued_mwh += out.station_queue_mwh[s];
      wait_weighted += out.station_queue_mwh[s] * out.station_queue_mwh[s] / cap;
    }
  }
  out.queued_sessions = queued_mwh * 1000.0 / p.fast_session_kwh;
  out.mean_wait_h = queued_mwh > 0 ? wait_weighted / queued_mwh : 0.0;

  // Trip ends: by destination zone, weighted by vehicle-km arriving there.
  const double trip_end_mwh = out.demand_mwh - public_mwh;
  std::vector<double> weight(Z, 0.0);
  double total_weight = 0;
  for (std::size_t i = 0; i < Z; ++i)
    for (std::size_t j = 0; j < Z; ++j) {
      const double w = od[i * Z + j] * std::max(dist[i * Z + j], 0.1);
      weight[j] += w;
      total_weight += w;
    }
  for (std::size_t j = 0; j < Z && total_weight > 0; ++j) out.zone_arrival_mwh[j] = trip_end_mwh * weight[j] / total_weight;
  return out;
}

}  // namespace citytwin::coupling
