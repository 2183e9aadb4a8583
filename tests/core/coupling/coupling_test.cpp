// Acceptance tests (a), (b), (d) of COUPLING.md and the loop's invariants.
#include <gtest/gtest.h>

#include <set>

#include "core/common/parallel.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/ev_charging.hpp"
#include "core/coupling/grid_model.hpp"
#include "core/coupling/road_model.hpp"
#include "core/coupling/simulation.hpp"
#include "core/coupling/substation_sizing.hpp"
#include "core/demand/electric_load.hpp"
#include "small_city.hpp"

using namespace citytwin;
using namespace citytwin::coupling;
using citytwin::testing::small_city;

namespace {
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The grid's base load of an hour, computed here from the spec's equations.
std::pair<std::vector<double>, std::vector<double>> uncoupled_bus_loads(const Twin& t, const Scenario& s, int h) {
  std::vector<double> p(t.grid.bus_count(), 0.0), q(t.grid.bus_count(), 0.0);
  const auto& x = t.links;
  for (std::size_t z = 0; z < t.districts.size(); ++z) {
    const double jobs = t.districts.jobs_retail[z] + t.districts.jobs_service[z] + t.districts.jobs_other[z];
    const auto L = demand::zone_base_load(t.districts.households[z], jobs, h, s.load);
    for (auto k = x.district_sub_offsets[z]; k < x.district_sub_offsets[z + 1]; ++k) {
      p[t.grid.substation_bus[x.district_sub[k]]] += x.district_sub_share[k] * L.p_mw;
      q[t.grid.substation_bus[x.district_sub[k]]] += x.district_sub_share[k] * L.q_mvar;
    }
  }
  for (auto b : x.signal_bus)
    if (b != kNone) p[b] += s.load.signal_kw / 1000.0;
  return {p, q};
}
}  // namespace

// (a) With no EVs and no outages the coupled run equals the uncoupled traffic and grid runs bit for bit.
TEST(Coupling, WithoutEvsAndOutagesEqualsUncoupledRunsBitForBit) {
  const Twin& t = small_city();
  const Scenario s;
  SimulationOptions o;
  o.hours = {8, 18};
  const auto res = simulate(t, s, o);
  const RoadModel roads(t.roads);
  const GridModel grid(t);
  const DailyDemand dd = daily_demand(t, s, roads);
  WarmStart warm;  // the traffic model solves the hours in order, each from the previous one's bushes
  for (const auto& hr : res.hours) {
    const int h = hr.totals.hour;
    const RoadHour ref = roads.assign(dd.vehicles(h, s), std::vector<double>(t.roads.link_count(), 1.0),
                                      std::vector<double>(t.roads.link_count(), 0.0), s.coupling, &warm);
    ASSERT_EQ(hr.link_flow.size(), ref.flow.size());
    for (std::size_t l = 0; l < ref.flow.size(); ++l) ASSERT_EQ(hr.link_flow[l], static_cast<float>(ref.flow[l])) << "link " << l;
    const auto [p, q] = uncoupled_bus_loads(t, s, h);
    const GridHour g = grid.solve(p, q, std::vector<std::uint8_t>(t.grid.bus_count(), 0), std::vector<std::uint8_t>(t.grid.branch_count(), 0));
    for (std::size_t b = 0; b < p.size(); ++b) EXPECT_NEAR(hr.bus_load_mw[b], static_cast<float>(p[b]), 1e-6f);
    for (std::size_t l = 0; l < g.branch_loading_pct.size(); ++l)
      ASSERT_EQ(hr.branch_loading_pct[l], static_cast<float>(g.branch_loading_pct[l])) << "branch " << l;
    EXPECT_EQ(hr.totals.dark_signals, 0);
    EXPECT_TRUE(hr.totals.converged);
    EXPECT_GT(hr.totals.vehicle_km, 0);
  }
}

// (b) Total EV energy = share x vehicle-km x kWh/km.
TEST(Coupling, EvEnergyIsShareTimesVehicleKmTimesConsumption) {
  const Twin& t = small_city();
  Scenario s;
  s.coupling.ev_share = 0.3;
  SimulationOptions o;
  o.hours = {7, 8, 17};
  const auto res = simulate(t, s, o);
  double ev = 0, vkt = 0;
  for (const auto& h : res.hours) {
    ev += h.totals.ev_energy_mwh;
    vkt += h.totals.vehicle_km;
  }
  EXPECT_GT(ev, 0);
  EXPECT_NEAR(ev, 0.3 * vkt * 0.18 / 1000.0, 1e-9 * ev);
}

// (d) A single substation outage with no battery backup reduces capacity on
// exactly the approach links of the signals it feeds.
TEST(Coupling, SubstationOutageDimsExactlyTheApproachesOfItsSignals) {
  const Twin& t = small_city();
  const auto& x = t.links;
  // The substation feeding the most signals.
  std::map<std::uint32_t, int> fed;
  for (auto b : x.signal_bus)
    if (b != kNone) ++fed[b];
  ASSERT_FALSE(fed.empty());
  const auto bus = std::max_element(fed.begin(), fed.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
  const auto sub = static_cast<std::uint32_t>(t.grid.bus_substation[bus]);
  Scenario s;
  s.coupling.battery_backup_hours = 0;
  s.outages.push_back({AssetKind::Substation, sub, 17, kNeverRepaired});
  SimulationOptions o;
  o.hours = {17};
  const auto res = simulate(t, s, o);
  std::set<std::uint32_t> expected;
  for (std::size_t sg = 0; sg < x.signal_bus.size(); ++sg) {
    if (x.signal_bus[sg] != bus) continue;
    const auto node = x.signal_node[sg];
    for (auto k = t.roads.in_links.offsets[node]; k < t.roads.in_links.offsets[node + 1]; ++k)
      if (t.roads.road_class[t.roads.in_links.entries[k]] != RoadClass::Connector) expected.insert(t.roads.in_links.entries[k]);
  }
  std::set<std::uint32_t> reduced;
  const auto& hr = res.hours.at(0);
  for (std::uint32_t l = 0; l < hr.link_capacity_factor.size(); ++l)
    if (hr.link_capacity_factor[l] < 1.f) reduced.insert(l);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(reduced, expected);
  EXPECT_EQ(hr.totals.dark_signals, fed[bus]);
  EXPECT_GT(hr.totals.unserved_energy_mwh, 0);
  EXPECT_EQ(hr.substation_failed[sub], 1);
}

TEST(Coupling, BatteryBackupKeepsSignalsLitForItsHours) {
  const Twin& t = small_city();
  const auto bus = t.links.signal_bus.at(0);
  Scenario s;
  s.coupling.battery_backup_hours = 2;
  s.outages.push_back({AssetKind::Substation, static_cast<std::uint32_t>(t.grid.bus_substation[bus]), 16, kNeverRepaired});
  SimulationOptions o;
  o.hours = {16, 17, 18, 19};
  const auto res = simulate(t, s, o);
  EXPECT_EQ(res.hours[0].signal_dark[0], 0);  // 1st hour without supply
  EXPECT_EQ(res.hours[1].signal_dark[0], 0);  // 2nd
  EXPECT_EQ(res.hours[2].signal_dark[0], 1);  // batteries exhausted
  EXPECT_EQ(res.hours[3].signal_dark[0], 1);
}

TEST(Coupling, FailuresOnlyAccumulateWithinAnHourAndTheHourConverges) {
  const Twin& t = small_city();
  Scenario s;
  s.coupling.u_trip = 0.6;  // tight: the evening peak trips substations
  s.coupling.ev_share = 0.5;
  SimulationOptions o;
  o.hours = {18};
  std::vector<std::uint8_t> last;
  int rounds = 0, trips_seen = 0;
  o.on_round = [&](int, int, const std::vector<std::uint8_t>& failed) {
    if (!last.empty()) {
      for (std::size_t k = 0; k < failed.size(); ++k) EXPECT_GE(failed[k], last[k]) << "substation " << k << " came back within the hour";
    }
    trips_seen = static_cast<int>(std::count(failed.begin(), failed.end(), 1));
    last = failed;
    ++rounds;
  };
  const auto res = simulate(t, s, o);
  EXPECT_GT(trips_seen, 0);
  EXPECT_TRUE(res.hours[0].totals.converged);
  EXPECT_LE(rounds, static_cast<int>(t.grid.substation_count() + t.grid.branch_count()) + s.coupling.max_coupling_rounds);
}

TEST(Coupling, ResultsAreIdenticalForOneAndTwoThreads) {
  const Twin& t = small_city();
  Scenario s;
  s.coupling.ev_share = 0.2;
  SimulationOptions o;
  o.hours = {8};
  SimulationResult one, two;
  {
    ThreadLimit limit(1);
    one = simulate(t, s, o);
  }
  {
    ThreadLimit limit(2);
    two = simulate(t, s, o);
  }
  EXPECT_EQ(one.hours[0].link_flow, two.hours[0].link_flow);
  EXPECT_EQ(one.hours[0].bus_load_mw, two.hours[0].bus_load_mw);
  EXPECT_EQ(one.hours[0].totals.ev_energy_mwh, two.hours[0].totals.ev_energy_mwh);
}

TEST(Coupling, ClosedLinksCarryNoTraffic) {
  const Twin& t = small_city();
  // Close the busiest non-connector link of the baseline at 8:00.
  SimulationOptions o;
  o.hours = {8};
  const Scenario baseline;
  const auto base = simulate(t, baseline, o);
  std::uint32_t busiest = 0;
  for (std::uint32_t l = 0; l < t.roads.link_count(); ++l)
    if (t.roads.road_class[l] != RoadClass::Connector && base.hours[0].link_flow[l] > base.hours[0].link_flow[busiest]) busiest = l;
  ASSERT_GT(base.hours[0].link_flow[busiest], 0);
  Scenario s;
  s.link_changes.push_back({{busiest}, 0.0, 0, 23});
  const auto closed = simulate(t, s, o);
  EXPECT_EQ(closed.hours[0].link_flow[busiest], 0.f);
  EXPECT_GE(closed.hours[0].totals.vehicle_hours, base.hours[0].totals.vehicle_hours * 0.999);
}

TEST(Coupling, SessionsOfADeadStationMoveToTheNearestLiveOne) {
  const Twin& t = small_city();
  ASSERT_GE(t.chargers.size(), 2u);
  // Flows on every link so that every station captures demand.
  std::vector<double> flow(t.roads.link_count(), 100.0);
  const std::size_t Z = t.roads.zone_node.size();
  std::vector<double> od(Z * Z, 1.0), dist(Z * Z, 1.0);
  CouplingParameters p;
  p.ev_share = 0.5;
  std::vector<std::uint8_t> energised(t.grid.bus_count(), 1);
  const EvHour all_live = ev_charging(t, flow, od, dist, energised, p);
  const auto dead_bus = t.links.charger_bus.at(0);
  energised[dead_bus] = 0;
  const EvHour one_dead = ev_charging(t, flow, od, dist, energised, p);
  EXPECT_EQ(one_dead.station_mw[0], 0.0);
  EXPECT_GT(one_dead.diverted_mwh, 0.0);
  double live_before = 0, live_after = 0;
  for (std::size_t s = 0; s < t.chargers.size(); ++s) {
    if (t.links.charger_bus[s] == dead_bus) continue;
    live_before += all_live.station_mw[s];
    live_after += one_dead.station_mw[s];
  }
  EXPECT_GT(live_after, live_before);  // the moved sessions add load at live stations
  // Energy is conserved: served + unserved is the same public share either way.
  double served_all = 0, served_dead = 0;
  for (double m : all_live.station_mw) served_all += m;
  for (double m : one_dead.station_mw) served_dead += m;
  EXPECT_NEAR(served_all + all_live.public_unserved_mwh, served_dead + one_dead.public_unserved_mwh, 1e-9);
}

// COUPLING.md step 4: overflow at a full station queues (wait time) into the next hour.
TEST(Coupling, FullStationsQueueIntoTheNextHour) {
  const Twin& t = small_city();
  ASSERT_GE(t.chargers.size(), 1u);
  std::vector<double> flow(t.roads.link_count(), 2000.0);  // heavy traffic past every station
  const std::size_t Z = t.roads.zone_node.size();
  std::vector<double> od(Z * Z, 1.0), dist(Z * Z, 1.0);
  CouplingParameters p;
  p.ev_share = 1.0;
  p.public_capture = 0.5;
  const std::vector<std::uint8_t> energised(t.grid.bus_count(), 1);
  const EvHour first = ev_charging(t, flow, od, dist, energised, p);
  double public_mwh = first.public_unserved_mwh, queued = 0;
  for (std::size_t s = 0; s < t.chargers.size(); ++s) {
    const double cap = t.chargers.plugs[s] * t.chargers.kw_per_plug[s] / 1000.0;
    EXPECT_LE(first.station_mw[s], cap + 1e-12);
    EXPECT_LE(first.station_queue_mwh[s], cap * p.max_queue_wait_h + 1e-12);
    public_mwh += first.station_mw[s] + first.station_queue_mwh[s];
    queued += first.station_queue_mwh[s];
  }
  ASSERT_GT(queued, 0) << "the stations must be full for this test";
  EXPECT_NEAR(public_mwh, first.demand_mwh * p.share_public, 1e-9 * public_mwh);  // served + queued + turned away
  EXPECT_NEAR(first.queued_sessions, queued * 1000.0 / p.fast_session_kwh, 1e-9);
  EXPECT_GT(first.mean_wait_h, 0);
  EXPECT_LE(first.mean_wait_h, p.max_queue_wait_h + 1e-12);
  // The next hour serves the queue first: with no new traffic it is what the stations draw.
  const std::vector<double> quiet(t.roads.link_count(), 0.0);
  const EvHour next = ev_charging(t, quiet, od, dist, energised, p, first.station_queue_mwh);
  for (std::size_t s = 0; s < t.chargers.size(); ++s) EXPECT_NEAR(next.station_mw[s], first.station_queue_mwh[s], 1e-12);
  EXPECT_EQ(next.queued_sessions, 0);
  // Drivers who will not wait leave unserved.
  p.max_queue_wait_h = 0;
  const EvHour impatient = ev_charging(t, flow, od, dist, energised, p);
  EXPECT_EQ(impatient.queued_sessions, 0);
  EXPECT_NEAR(impatient.public_unserved_mwh, first.public_unserved_mwh + queued, 1e-9);
}

// Table ratings below 1.25 x the served design peak are raised to it; after
// sizing the baseline trips nothing, and a what-if can still overload.
TEST(Coupling, SubstationsSizedToTheirDesignPeakHoldTheBaseline) {
  Twin t = small_city();
  for (double& c : t.grid.substation_capacity_mva) c = 0.01;  // guesses far too small
  const auto load = demand::default_load_parameters();
  const SizingSummary sized = size_substations_to_load(t, load);
  EXPECT_GT(sized.raised, 0);
  EXPECT_GT(sized.added_mva, 0);
  // The grid model's own utilisation in the peak hour stays at or below 1 / 1.25 on every substation.
  Scenario s;
  SimulationOptions o;
  o.hours = {8, 12, 18};
  const auto res = simulate(t, s, o);
  double highest = 0;
  for (const auto& h : res.hours) {
    EXPECT_EQ(h.totals.failed_substations, 0);
    for (float u : h.substation_utilisation) highest = std::max(highest, static_cast<double>(u));
  }
  EXPECT_LE(highest, 1 / 1.25 + 1e-6);
  EXPECT_GT(highest, 0.5 / 1.25);  // the design hour is among the simulated ones or near them
  // Sizing again changes nothing.
  EXPECT_EQ(size_substations_to_load(t, load).raised, 0);
  // Four times the household consumption overloads the sized grid.
  s.load.residential_kwh_per_household *= 4;
  const auto heavy = simulate(t, s, o);
  int failed = 0;
  for (const auto& h : heavy.hours) failed += h.totals.failed_substations;
  EXPECT_GT(failed, 0);
}
