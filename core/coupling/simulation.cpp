#include "core/coupling/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/coupling/calibrated_loads.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/ev_charging.hpp"
#include "core/coupling/grid_model.hpp"
#include "core/coupling/managed_charging.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/coupling/road_model.hpp"

namespace citytwin::coupling {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;

// Everything about the twin that does not change from hour to hour.
struct Static {
  const Twin& twin;
  const Scenario& s;
  std::vector<FeedbackLoop> feedback;  // filled while `demand` is initialised, so declared before it
  RoadModel roads;
  GridModel grid;
  DailyDemand demand;
  std::vector<double> zone_km;
  std::vector<double> households, jobs;
  std::vector<std::uint32_t> signal_nodes;
  std::vector<double> signal_kappa;  // per signal: the dark multiplier of its approaches
  DistrictFactors district_factors;  // the twin's load calibration per district (1 without)

  Static(const Twin& t, const Scenario& sc, PhaseSeconds& sec)
      : twin(t), s(sc), roads(t.roads), grid(t), demand([&] {
          const auto t0 = Clock::now();
          auto d = daily_demand(t, sc, roads);
          feedback = feed_back_congestion(d, sc, roads, t.roads.link_count());
          sec.demand += since(t0);
          return d;
        }()),
        zone_km(roads.zone_distance_km()),
        households(grown(t.districts.households, sc.population_growth)),
        jobs([&] {
          std::vector<double> j(t.districts.size());
          const auto r = grown(t.districts.jobs_retail, sc.jobs_growth), sv = grown(t.districts.jobs_service, sc.jobs_growth),
                     o = grown(t.districts.jobs_other, sc.jobs_growth);
          for (std::size_t i = 0; i < j.size(); ++i) j[i] = r[i] + sv[i] + o[i];
          return j;
        }()),
        signal_nodes(t.signal_nodes()),
        district_factors(district_load_factors(t)) {
    const RoadNetwork& r = t.roads;
    for (std::uint32_t node : signal_nodes) {
      // Multi-lane approaches lose less in relative terms (AWSC throughput barely scales with lanes).
      float lanes = 1;
      for (auto k = r.in_links.offsets[node]; k < r.in_links.offsets[node + 1]; ++k) lanes = std::max(lanes, r.lanes[r.in_links.entries[k]]);
      signal_kappa.push_back(lanes >= 2 ? sc.coupling.kappa_dark_multi_lane : sc.coupling.kappa_dark_single_lane);
    }
  }
};


}  // namespace

SimulationResult simulate(const Twin& twin, const Scenario& s, const SimulationOptions& options) {
  if (s.coupling.managed_charging && !options.trip_end_load && !options.grid_only) return simulate_managed(twin, s, options);
  const TripEndLoad* managed = options.trip_end_load.get();  // managed charging's schedule, or none
  SimulationResult result;
  result.scenario = s.name;
  result.parameters = parameter_values(s);
  result.parameter_choices = parameter_choices(s);
  result.demand_source = s.given_od ? s.given_od->source : "districts (gravity)";
  PhaseSeconds& sec = result.seconds;
  const Static st(twin, s, sec);
  result.feedback = st.feedback;
  const CouplingParameters& cp = s.coupling;
  const RoadNetwork& r = twin.roads;
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  const std::size_t Z = r.zone_node.size(), nb = g.bus_count(), nl = r.link_count(), ns = st.signal_nodes.size();

  std::vector<int> hours = options.hours;
  if (hours.empty())
    for (int h = 0; h < demand::kHours; ++h) hours.push_back(h);

  // Hours run one after another: the assignment parallelises inside (origins'
  // trees, gap), which measured 1.7x on Malta; running hours side by side
  // instead starved it (1.35x).

  std::vector<std::vector<double>> ev_carry(demand::kHours + 2, std::vector<double>(Z, 0.0));  // MWh per zone due in hour
  std::vector<int> hours_without_power(ns, 0);
  // Each assignment starts from the previous one's bushes: within an hour
  // (same demand, dark-signal capacities) and from one hour to the next.
  WarmStart warm;
  std::vector<double> station_queue;  // MWh waiting at each public station (served first next hour)
  std::vector<double> carry;  // Z x Z vehicles held back into hour carry_hour
  int carry_hour = -1;

  int done = 0;
  for (std::size_t hi = 0; hi < hours.size(); ++hi) {
    const int h = hours[hi];
    HourResult hr;
    HourTotals& tot = hr.totals;
    tot.hour = h;

    // 1. Demand of the hour, plus what the previous hour held back.
    std::vector<double> od = st.demand.vehicles(h, s);
    if (!carry.empty() && carry_hour == h) {
      for (std::size_t k = 0; k < od.size(); ++k) od[k] += carry[k], tot.carried_in_vehicles += carry[k];
    }
    for (double v : od) tot.demand_vehicles += v;

    // 2. Supply state from the scenario.
    const std::vector<double> kappa_base = capacity_factors(s, h, nl);
    std::vector<std::uint8_t> bus_out(nb, 0), branch_out(g.branch_count(), 0), sub_out(g.substation_count(), 0);
    for (const Outage& o : s.outages) {
      if (!o.active(h)) continue;
      if (o.kind == AssetKind::Bus) bus_out[o.id] = 1;
      if (o.kind == AssetKind::Branch) branch_out[o.id] = 1;
      if (o.kind == AssetKind::Substation) sub_out[o.id] = 1;
    }
    auto apply_substations = [&] {
      for (std::size_t b = 0; b < nb; ++b)
        if (g.bus_substation[b] >= 0 && sub_out[g.bus_substation[b]]) bus_out[b] = 1;
    };
    apply_substations();

    // Zone base loads of the hour (independent of traffic).
    std::vector<demand::ZoneLoad> base(Z);
    for (std::size_t z = 0; z < Z; ++z) base[z] = demand::zone_base_load(st.households[z], st.jobs[z], h, s.load);
    // Residential apart for the twin's load calibration (calibrated_loads.hpp).
    ZoneBaseLoads zone_base{std::vector<double>(Z), std::vector<double>(Z), std::vector<double>(Z), std::vector<double>(Z)};
    for (std::size_t z = 0; z < Z; ++z) {
      const demand::ZoneLoad res = demand::zone_base_load(st.households[z], 0.0, h, s.load);
      zone_base.p[z] = base[z].p_mw, zone_base.q[z] = base[z].q_mvar, zone_base.residential_p[z] = res.p_mw, zone_base.residential_q[z] = res.q_mvar;
    }

    // With the twin's load calibration, per substation (core/coupling/calibrated_loads.hpp).
    auto bus_loads = [&](const std::vector<double>& zone_ev_mw, const std::vector<double>& station_mw) {
      BusLoads L = calibrated_bus_loads(twin, zone_base, zone_ev_mw, station_mw, s.load.signal_kw);
      // Managed charging's schedule sits on the substations, times their EV calibration factor
      // (the schedule is made from the uncalibrated sessions of pass 1).
      if (managed)
        for (std::size_t k = 0; k < g.substation_count(); ++k)
          L.p[g.substation_bus[k]] +=
              managed->substation_mw[h][k] * (twin.calibration.has_loads() ? twin.calibration.substation_ev_factor[k] : 1.0);
      return L;
    };

    // 3-9. The fixed point of the hour.
    // MWh per zone already due this hour (managed: on the substations instead, in bus_loads).
    std::vector<double> zone_ev_due = managed ? std::vector<double>(Z, 0.0) : ev_carry[h];
    const double kernel_now = managed ? 0.0 : kSessionKernel[0];
    BusLoads S = bus_loads(zone_ev_due, std::vector<double>(twin.chargers.size(), 0.0));
    auto t0 = Clock::now();
    GridHour grid = st.grid.solve(S.p, S.q, bus_out, branch_out);
    sec.power_flow += since(t0);
    std::vector<double> kappa, delay(nl, 0.0), prev_kappa;
    std::vector<std::uint8_t> dark(ns, 0);
    RoadHour road;
    EvHour ev;
    int damping_round = 0;
    for (int round = 1; round <= cp.max_coupling_rounds; ++round) {
      tot.coupling_rounds = round;
      if (options.on_progress) options.on_progress({h, done, static_cast<int>(hours.size()), round});
      t0 = Clock::now();
      // Signals go dark after their battery backup; their approaches become all-way stops.
      kappa = kappa_base;
      std::fill(delay.begin(), delay.end(), 0.0);
      for (std::size_t sg = 0; sg < ns; ++sg) {
        const auto bus = sg < x.signal_bus.size() ? x.signal_bus[sg] : kNoMatch;
        const bool powered = bus == kNoMatch || grid.bus_energised[bus];
        dark[sg] = !powered && hours_without_power[sg] + 1 > cp.battery_backup_hours;
        if (!dark[sg]) continue;
        const auto node = st.signal_nodes[sg];
        for (auto k = r.in_links.offsets[node]; k < r.in_links.offsets[node + 1]; ++k) {
          const auto l = r.in_links.entries[k];
          if (r.road_class[l] == RoadClass::Connector) continue;
          kappa[l] *= st.signal_kappa[sg];
          delay[l] += cp.dark_stop_delay_s;
        }
      }
      sec.failures += since(t0);
      if (options.grid_only) {
        road.flow.assign(nl, 0.0);
        road.time_s = r.free_flow_s;
      } else if (kappa != prev_kappa) {
        t0 = Clock::now();
        road = st.roads.assign(od, kappa, delay, cp, &warm);
        sec.assignment += since(t0);
        prev_kappa = kappa;
        tot.assignment_iterations += road.iterations;
      }
      // EV charging from this round's flows.
      t0 = Clock::now();
      ev = ev_charging(twin, road.flow, od, st.zone_km, grid.bus_energised, cp, station_queue);
      std::vector<double> zone_ev_mw(Z);
      for (std::size_t z = 0; z < Z; ++z) zone_ev_mw[z] = zone_ev_due[z] + kernel_now * ev.zone_arrival_mwh[z];
      BusLoads fresh = bus_loads(zone_ev_mw, ev.station_mw);
      sec.ev += since(t0);
      // Damping (MSA) between failure changes; the first load after a change is taken whole.
      ++damping_round;
      double change = 0;
      for (std::size_t b = 0; b < nb; ++b) {
        const double lambda = damping_round == 1 ? 1.0 : 1.0 / damping_round;
        const double np = S.p[b] + lambda * (fresh.p[b] - S.p[b]);
        const double nq = S.q[b] + lambda * (fresh.q[b] - S.q[b]);
        const std::int32_t k = g.bus_substation[b];
        const double rating = k >= 0 ? g.substation_capacity_mva[k] : 100.0;
        change = std::max(change, std::hypot(np - S.p[b], nq - S.q[b]) / rating);
        S.p[b] = np;
        S.q[b] = nq;
      }
      t0 = Clock::now();
      grid = st.grid.solve(S.p, S.q, bus_out, branch_out);
      sec.power_flow += since(t0);
      // Failure update: substations above u_trip trip for the hour (monotone).
      bool tripped = false;
      for (std::size_t k = 0; k < g.substation_count(); ++k) {
        if (!sub_out[k] && grid.substation_utilisation[k] > cp.u_trip) {
          sub_out[k] = 1;
          tripped = true;
        }
      }
      if (options.on_round) options.on_round(h, round, sub_out);
      if (tripped) {
        apply_substations();
        t0 = Clock::now();
        grid = st.grid.solve(S.p, S.q, bus_out, branch_out);
        sec.power_flow += since(t0);
        damping_round = 0;
        continue;
      }
      if (round > 1 && change <= cp.load_tolerance) {
        tot.converged = true;
        break;
      }
    }

    // Carry held-back vehicles, EV sessions and battery states into the next hours.
    carry = std::move(road.carry_over);
    carry_hour = h + 1;
    tot.carried_over_vehicles = road.carry_over_vehicles;
    station_queue = ev.station_queue_mwh;
    tot.queued_sessions = ev.queued_sessions;
    tot.mean_queue_wait_h = ev.mean_wait_h;
    for (int k = 1; k < 3; ++k)
      for (std::size_t z = 0; z < Z; ++z) ev_carry[std::min(h + k, demand::kHours + 1)][z] += kSessionKernel[k] * ev.zone_arrival_mwh[z];
    for (std::size_t sg = 0; sg < ns; ++sg) {
      const auto bus = sg < x.signal_bus.size() ? x.signal_bus[sg] : kNoMatch;
      hours_without_power[sg] = (bus != kNoMatch && !grid.bus_energised[bus]) ? hours_without_power[sg] + 1 : 0;
    }

    // Results of the hour.
    hr.link_flow.resize(nl);
    hr.link_time_s.resize(nl);
    hr.link_vc.resize(nl);
    hr.link_speed_kph.resize(nl);
    hr.link_capacity_factor.resize(nl);
    hr.district_vkt.assign(twin.districts.size(), 0.f);
    hr.district_vht.assign(twin.districts.size(), 0.f);
    hr.district_delay_h.assign(twin.districts.size(), 0.f);
    for (std::size_t l = 0; l < nl; ++l) {
      const double f = road.flow[l], t = road.time_s[l], cap = r.capacity_vph[l] * kappa[l];
      hr.link_flow[l] = static_cast<float>(f);
      hr.link_time_s[l] = static_cast<float>(t);
      hr.link_vc[l] = static_cast<float>(cap > 0 ? f / cap : 0.0);
      hr.link_speed_kph[l] = static_cast<float>(t > 0 ? r.length_m[l] / t * 3.6 : r.speed_kph[l]);
      hr.link_capacity_factor[l] = static_cast<float>(kappa[l]);
      const double vkt = f * r.length_m[l] / 1000.0, vht = f * t / 3600.0, dly = f * std::max(0.0, t - r.free_flow_s[l]) / 3600.0;
      tot.vehicle_km += vkt;
      tot.vehicle_hours += vht;
      tot.delay_hours += dly;
      const std::int32_t d = l < x.link_district.size() ? x.link_district[l] : -1;
      if (d >= 0) {
        hr.district_vkt[d] += static_cast<float>(vkt);
        hr.district_vht[d] += static_cast<float>(vht);
        hr.district_delay_h[d] += static_cast<float>(dly);
      }
    }
    tot.disconnected_vehicles = road.disconnected_demand;
    tot.relative_gap = road.measures.relative_gap;
    hr.bus_load_mw.assign(S.p.begin(), S.p.end());
    hr.bus_energised = grid.bus_energised;
    hr.branch_loading_pct.assign(grid.branch_loading_pct.begin(), grid.branch_loading_pct.end());
    hr.substation_load_mva.assign(grid.substation_load_mva.begin(), grid.substation_load_mva.end());
    hr.substation_utilisation.assign(grid.substation_utilisation.begin(), grid.substation_utilisation.end());
    for (float u : hr.substation_utilisation) tot.peak_substation_loading = std::max(tot.peak_substation_loading, static_cast<double>(u));
    hr.substation_failed = sub_out;
    hr.signal_dark = dark;
    for (double p : S.p) tot.load_mw += p;
    tot.ev_energy_mwh = ev.demand_mwh;
    tot.unserved_energy_mwh = grid.unserved_mw + ev.public_unserved_mwh;
    tot.overloaded_branches = grid.overloaded_branches;
    for (auto d : dark) tot.dark_signals += d;
    for (auto f : sub_out) tot.failed_substations += f;
    hr.zone_ev_arrival_mwh = ev.zone_arrival_mwh;
    tot.unmanaged_load_mw = tot.load_mw, tot.unmanaged_unserved_energy_mwh = tot.unserved_energy_mwh;  // managed: pass 1's, set by simulate_managed
    tot.unmanaged_overloaded_branches = tot.overloaded_branches, tot.unmanaged_dark_signals = tot.dark_signals;
    // District electric results: its share of each serving substation's bus.
    const std::size_t nd = twin.districts.size();
    hr.district_unserved_mwh.assign(nd, 0.f);
    hr.district_ev_mwh.assign(nd, 0.f);
    hr.district_load_mw.assign(nd, 0.f);
    for (std::size_t z = 0; z < nd && z + 1 < x.district_sub_offsets.size(); ++z) {
      const double ev_mw = st.district_factors.ev[z] *
                           (managed ? managed->zone_mw[h][z] : zone_ev_due[z] + kSessionKernel[0] * ev.zone_arrival_mwh[z]);
      const double res = zone_base.residential_p[z];
      const double load = twin.calibration.has_loads()
                              ? st.district_factors.residential[z] * res + st.district_factors.commercial[z] * (base[z].p_mw - res) + ev_mw
                              : base[z].p_mw + ev_mw;
      hr.district_ev_mwh[z] = static_cast<float>(ev_mw);
      hr.district_load_mw[z] = static_cast<float>(load);
      for (auto k = x.district_sub_offsets[z]; k < x.district_sub_offsets[z + 1]; ++k)
        if (!grid.bus_energised[g.substation_bus[x.district_sub[k]]]) hr.district_unserved_mwh[z] += static_cast<float>(x.district_sub_share[k] * load);
    }
    result.hours.push_back(std::move(hr));
    ++done;
    if (options.on_progress) options.on_progress({h, done, static_cast<int>(hours.size()), result.hours.back().totals.coupling_rounds});
  }
  return result;
}

}  // namespace citytwin::coupling
