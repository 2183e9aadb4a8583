#include "core/coupling/managed_charging.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/coupling/daily_demand.hpp"
#include "core/coupling/ev_charging.hpp"
#include "core/demand/electric_load.hpp"

namespace citytwin::coupling {

namespace {

constexpr int H = demand::kHours;
constexpr double kNoLimit = std::numeric_limits<double>::infinity();

// Pass 1's hours by hour of day (all 24 are required).
std::vector<const HourResult*> by_hour(const SimulationResult& r) {
  std::vector<const HourResult*> out(H, nullptr);
  for (const auto& h : r.hours)
    if (h.totals.hour >= 0 && h.totals.hour < H) out[h.totals.hour] = &h;
  return out;
}

// The uncontrolled kernel of a session, wrapped over the cyclic day.
HourArray uncontrolled(const ChargingSession& s) {
  HourArray u{};
  for (int k = 0; k < 3; ++k) u[(s.arrival_hour + k) % H] += kSessionKernel[k] * s.energy_mwh;
  return u;
}

bool is_delayed(const ChargingSession& s, const HourArray& scheduled, const HourArray& u) {
  double got = 0, due = 0;
  for (int k = 0; k < 3; ++k) {
    const int h = (s.arrival_hour + k) % H;
    got += scheduled[h], due += u[h];
    if (got < due - 1e-9 * (1 + s.energy_mwh)) return true;
  }
  return false;
}

}  // namespace

ManagedChargingPlan plan_managed_charging(const Twin& twin, const Scenario& s, const SimulationResult& unmanaged) {
  const CouplingParameters& cp = s.coupling;
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  const std::size_t K = g.substation_count(), Z = twin.districts.size();
  const auto hours = by_hour(unmanaged);
  for (int h = 0; h < H; ++h)
    if (!hours[h]) throw std::logic_error("managed charging needs all 24 hours of the uncontrolled run");

  ManagedChargingPlan plan;
  // Sessions: each hour's trip-end energy per zone, home : work in the charging shares.
  const double flexible = cp.share_home + cp.share_work;
  const double home_part = flexible > 0 ? cp.share_home / flexible : 1.0;
  auto add_sessions = [&](std::uint32_t sub, std::uint32_t z, int h, double e) {
    for (const SessionKind kind : {SessionKind::Home, SessionKind::Work}) {
      const bool home = kind == SessionKind::Home;
      const double energy = e * (home ? home_part : 1 - home_part);
      if (energy <= 0) continue;
      ChargingSession c;
      c.substation = sub;
      c.zone = z;
      c.kind = kind;
      c.arrival_hour = h;
      c.departure_hour = home ? cp.home_departure_hour : cp.work_departure_hour;
      c.energy_mwh = energy;
      c.vehicles = energy * 1000.0 / cp.charging_session_kwh;
      c.max_mw = c.vehicles * (home ? cp.home_charger_kw : cp.work_charger_kw) / 1000.0;
      plan.sessions.push_back(c);
    }
  };
  for (int h = 0; h < H; ++h) {
    const auto& arrivals = hours[h]->zone_ev_arrival_mwh;
    for (std::uint32_t z = 0; z < Z && z < arrivals.size(); ++z) {
      const double e = arrivals[z];
      if (e <= 0) continue;
      const bool served = z + 1 < x.district_sub_offsets.size() && x.district_sub_offsets[z + 1] > x.district_sub_offsets[z];
      if (!served) {
        add_sessions(static_cast<std::uint32_t>(K), z, h, e);
        continue;
      }
      for (auto k = x.district_sub_offsets[z]; k < x.district_sub_offsets[z + 1]; ++k) add_sessions(x.district_sub[k], z, h, e * x.district_sub_share[k]);
    }
  }

  // Each substation's pass-1 load without its trip-end EV, and the EV it can take within rating x limit.
  const auto households = grown(twin.districts.households, s.population_growth);
  const auto retail = grown(twin.districts.jobs_retail, s.jobs_growth), service = grown(twin.districts.jobs_service, s.jobs_growth),
             other_jobs = grown(twin.districts.jobs_other, s.jobs_growth);
  plan.rooms.assign(K + 1, SubstationRoom{});
  plan.rooms[K].room_mw.fill(kNoLimit);
  for (int h = 0; h < H; ++h) {
    const HourResult& hr = *hours[h];
    std::vector<double> p_own(K, 0.0), p_other(K, 0.0), q(K, 0.0);
    for (std::size_t b = 0; b < g.bus_count(); ++b) {
      const std::int32_t k = g.bus_substation[b];
      if (k < 0) continue;
      (g.substation_bus[k] == b ? p_own : p_other)[k] += hr.bus_load_mw[b];
    }
    for (std::size_t z = 0; z < Z && z + 1 < x.district_sub_offsets.size(); ++z) {
      const double q_z = demand::zone_base_load(households[z], retail[z] + service[z] + other_jobs[z], h, s.load).q_mvar;
      const double ev_z = z < hr.district_ev_mwh.size() ? hr.district_ev_mwh[z] : 0.0;
      for (auto k = x.district_sub_offsets[z]; k < x.district_sub_offsets[z + 1]; ++k) {
        q[x.district_sub[k]] += x.district_sub_share[k] * q_z;
        p_own[x.district_sub[k]] -= x.district_sub_share[k] * ev_z;
      }
    }
    for (std::size_t k = 0; k < K; ++k) {
      // Substation load = sum over its buses of |S|; EV (unity power factor) adds to its own bus's P.
      const double limit = g.substation_capacity_mva[k] * cp.managed_utilisation_limit - p_other[k];
      plan.rooms[k].fixed_mw[h] = p_own[k] + p_other[k];
      if (g.substation_capacity_mva[k] <= 0) plan.rooms[k].room_mw[h] = kNoLimit;
      else if (limit <= std::abs(q[k])) plan.rooms[k].room_mw[h] = -p_own[k];
      else plan.rooms[k].room_mw[h] = std::sqrt(limit * limit - q[k] * q[k]) - p_own[k];
    }
  }

  plan.schedule = schedule_sessions(plan.sessions, plan.rooms);
  auto load = std::make_shared<TripEndLoad>();
  load->substation_mw.assign(H, std::vector<double>(K, 0.0));
  load->zone_mw.assign(H, std::vector<double>(Z, 0.0));
  for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
    const ChargingSession& c = plan.sessions[i];
    const HourArray& mw = plan.schedule.session_mw[i];
    plan.uncontrolled_mw.push_back(uncontrolled(c));
    plan.delayed.push_back(is_delayed(c, mw, plan.uncontrolled_mw.back()));
    for (int h = 0; h < H; ++h) {
      if (c.substation < K) load->substation_mw[h][c.substation] += mw[h];
      load->zone_mw[h][c.zone] += mw[h];
    }
  }
  plan.load = std::move(load);
  return plan;
}

ManagedChargingReport managed_charging_report(const Twin& twin, const ManagedChargingPlan& plan, const SimulationResult& unmanaged,
                                              const SimulationResult& managed) {
  const std::size_t K = twin.grid.substation_count();
  const auto before = by_hour(unmanaged);
  ManagedChargingReport r;
  r.substations.assign(K, SubstationPeakChange{});
  for (const HourResult& m : managed.hours) {
    const int h = m.totals.hour;
    const HourResult& u = *before[h];
    if (u.totals.load_mw > r.unmanaged_peak_mw) r.unmanaged_peak_mw = u.totals.load_mw, r.unmanaged_peak_hour = h;
    if (m.totals.load_mw > r.managed_peak_mw) r.managed_peak_mw = m.totals.load_mw, r.managed_peak_hour = h;
    for (std::size_t k = 0; k < K; ++k) {
      auto& sp = r.substations[k];
      if (u.substation_load_mva[k] > sp.unmanaged_mva) sp.unmanaged_mva = u.substation_load_mva[k], sp.unmanaged_hour = h;
      if (m.substation_load_mva[k] > sp.managed_mva) sp.managed_mva = m.substation_load_mva[k], sp.managed_hour = h;
    }
    r.unmanaged_branch_overload_hours += u.totals.overloaded_branches;
    r.managed_branch_overload_hours += m.totals.overloaded_branches;
    r.unmanaged_unserved_mwh += u.totals.unserved_energy_mwh;
    r.managed_unserved_mwh += m.totals.unserved_energy_mwh;
    r.unmanaged_dark_signal_hours += u.totals.dark_signals;
    r.managed_dark_signal_hours += m.totals.dark_signals;
  }
  for (std::size_t k = 0; k < K; ++k) {
    r.substations[k].over_headroom_mwh = plan.schedule.over_headroom_mwh[k];
    r.substations[k].over_headroom_hours = plan.schedule.over_headroom_hours[k];
    r.over_headroom_mwh += plan.schedule.over_headroom_mwh[k];
    r.substations_over_headroom += plan.schedule.over_headroom_hours[k] > 0;
  }
  for (int h = 0; h < H; ++h) {
    double was = 0;
    for (float e : before[h]->district_ev_mwh) was += e;
    double now = 0;
    for (double e : plan.load->zone_mw[h]) now += e;
    r.shifted_mwh += std::max(0.0, was - now);
  }
  for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
    const ChargingSession& c = plan.sessions[i];
    r.flexible_mwh += c.energy_mwh;
    r.sessions += c.vehicles;
    if (plan.delayed[i]) r.sessions_delayed += c.vehicles;
    if (plan.schedule.late[i]) r.sessions_late += c.vehicles, r.late_mwh += c.energy_mwh;
  }
  r.scheduler_sweeps = plan.schedule.sweeps;
  return r;
}

SimulationResult simulate_managed(const Twin& twin, const Scenario& s, const SimulationOptions& options) {
  Scenario uncontrolled_scenario = s;
  uncontrolled_scenario.coupling.managed_charging = false;
  SimulationOptions first;
  first.on_progress = options.on_progress;  // all 24 hours: sessions arrive in any of them
  const SimulationResult unmanaged = simulate(twin, uncontrolled_scenario, first);
  const ManagedChargingPlan plan = plan_managed_charging(twin, s, unmanaged);

  // Pass 2 runs the whole day too, so both passes carry the same states
  // (battery backup, queues, carry-over) into the hours asked for.
  SimulationOptions second = options;
  second.hours.clear();
  second.trip_end_load = plan.load;
  SimulationResult result = simulate(twin, s, second);
  if (!options.hours.empty()) {
    std::vector<HourResult> asked;
    for (int h : options.hours)
      for (const HourResult& hr : result.hours)
        if (hr.totals.hour == h) asked.push_back(hr);
    result.hours = std::move(asked);
  }
  const auto before = by_hour(unmanaged);
  std::vector<double> delayed_by_hour(H, 0.0);
  for (std::size_t i = 0; i < plan.sessions.size(); ++i)
    if (plan.delayed[i]) delayed_by_hour[plan.sessions[i].arrival_hour] += plan.sessions[i].vehicles;
  for (HourResult& m : result.hours) {
    HourTotals& t = m.totals;
    const HourTotals& u = before[t.hour]->totals;
    t.unmanaged_load_mw = u.load_mw;
    t.unmanaged_unserved_energy_mwh = u.unserved_energy_mwh;
    t.unmanaged_overloaded_branches = u.overloaded_branches;
    t.unmanaged_dark_signals = u.dark_signals;
    double was = 0, now = 0;
    for (float e : before[t.hour]->district_ev_mwh) was += e;
    for (double e : plan.load->zone_mw[t.hour]) now += e;
    t.ev_shifted_mwh = std::max(0.0, was - now);
    t.sessions_delayed = delayed_by_hour[t.hour];
  }
  result.managed_charging = managed_charging_report(twin, plan, unmanaged, result);
  result.seconds.demand += unmanaged.seconds.demand;
  result.seconds.assignment += unmanaged.seconds.assignment;
  result.seconds.ev += unmanaged.seconds.ev;
  result.seconds.power_flow += unmanaged.seconds.power_flow;
  result.seconds.failures += unmanaged.seconds.failures;
  return result;
}

}  // namespace citytwin::coupling
