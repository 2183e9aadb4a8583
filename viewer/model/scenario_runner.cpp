#include "viewer/model/scenario_runner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/common/errors.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::viewer {

namespace {

class CoupledRunner : public ScenarioRunner {
 public:
  std::string name() const override { return "coupled traffic + grid run"; }
  bool available() const override { return true; }
  Results run(const Twin& twin, const Scenario& scenario, RunProgress& progress) override {
    coupling::SimulationOptions options;
    options.on_progress = [&progress](const coupling::Progress& p) {
      if (progress.cancel) throw RunCancelled{};
      progress.fraction = p.hours_total > 0 ? float(p.hours_done) / float(p.hours_total) : 0.f;
      char stage[64];
      std::snprintf(stage, sizeof stage, "hour %02d, round %d", p.hour, p.round);
      progress.set_stage(stage);
    };
    progress.set_stage("demand");
    const coupling::SimulationResult sim = coupling::simulate(twin, to_coupling(scenario), options);
    if (progress.cancel) throw RunCancelled{};
    progress.fraction = 1.0f;
    Results r = results_from_simulation(twin, sim);
    r.label = scenario.empty() ? "baseline (coupled run)" : "scenario: " + scenario.name + " (coupled run)";
    return r;
  }
};

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
double unit_noise(std::uint64_t seed, std::uint64_t i) { return double(mix(seed * 1000003ULL + i) >> 11) / double(1ULL << 53); }

// Share of the daily peak demand in each hour: night trough, morning and evening peaks.
double traffic_profile(int h) {
  const double x = double(h);
  return 0.08 + 0.8 * std::exp(-0.5 * std::pow((x - 8) / 1.3, 2)) + 0.95 * std::exp(-0.5 * std::pow((x - 17.5) / 1.6, 2)) +
         0.35 * std::exp(-0.5 * std::pow((x - 13) / 3, 2));
}
double electricity_profile(int h) {
  const double x = double(h);
  return 0.45 + 0.25 * std::exp(-0.5 * std::pow((x - 9) / 2.5, 2)) + 0.45 * std::exp(-0.5 * std::pow((x - 19) / 2.2, 2));
}
double class_load(RoadClass c) {
  switch (c) {
    case RoadClass::Motorway: return 0.95;
    case RoadClass::Trunk: return 0.9;
    case RoadClass::Primary: return 0.85;
    case RoadClass::Secondary: return 0.75;
    case RoadClass::Tertiary: return 0.6;
    case RoadClass::Unclassified: return 0.4;
    case RoadClass::Residential: return 0.3;
    case RoadClass::Service: return 0.2;
    case RoadClass::LivingStreet: return 0.15;
    default: return 0.25;
  }
}

}  // namespace

std::unique_ptr<ScenarioRunner> make_coupled_runner() { return std::make_unique<CoupledRunner>(); }

Results results_from_simulation(const Twin& twin, const coupling::SimulationResult& sim) {
  constexpr float nan = std::numeric_limits<float>::quiet_NaN();
  Results r;
  r.label = sim.scenario;
  const auto& roads = twin.roads;
  const auto& grid = twin.grid;
  const std::size_t L = roads.link_count(), B = grid.bus_count(), K = grid.branch_count(),
                    S = grid.substation_count(), D = twin.districts.size();
  r.link_flow_vph = HourlyArray(L, nan);
  r.link_speed_kph = HourlyArray(L, nan);
  r.link_vc = HourlyArray(L, nan);
  r.link_delay_s = HourlyArray(L, nan);
  r.bus_utilisation_pct = HourlyArray(B, nan);
  r.bus_energised = HourlyArray(B, nan);
  r.branch_loading_pct = HourlyArray(K, nan);
  r.substation_loading_pct = HourlyArray(S, nan);
  r.district_vehicle_km = HourlyArray(D, nan);
  r.district_ev_energy_kwh = HourlyArray(D, nan);
  r.district_unserved_kwh = HourlyArray(D, nan);
  for (auto* k : {&r.kpis.vehicle_hours, &r.kpis.delay_hours, &r.kpis.peak_load_mw, &r.kpis.overloaded_assets,
                  &r.kpis.dark_signals, &r.kpis.unserved_mwh})
    k->assign(kHours, nan);
  auto copy = [](HourlyArray& dst, int h, const auto& src, double scale = 1.0) {
    const std::size_t n = std::min(dst.features(), src.size());
    for (std::size_t i = 0; i < n; ++i) dst.at(h, i) = float(double(src[i]) * scale);
  };
  for (const coupling::HourResult& hr : sim.hours) {
    const int h = hr.totals.hour;
    if (h < 0 || h >= kHours) continue;
    copy(r.link_flow_vph, h, hr.link_flow);
    copy(r.link_speed_kph, h, hr.link_speed_kph);
    copy(r.link_vc, h, hr.link_vc);
    for (std::size_t i = 0; i < std::min(L, hr.link_time_s.size()); ++i)
      if (std::isfinite(roads.free_flow_s[i]))  // NaN: a results file without free-flow times
        r.link_delay_s.at(h, i) = float(std::max(0.0, double(hr.link_time_s[i]) - roads.free_flow_s[i]));
    copy(r.bus_energised, h, hr.bus_energised);
    copy(r.branch_loading_pct, h, hr.branch_loading_pct);
    copy(r.substation_loading_pct, h, hr.substation_utilisation, 100.0);
    for (std::size_t b = 0; b < B; ++b) {
      const std::int32_t sub = b < grid.bus_substation.size() ? grid.bus_substation[b] : -1;
      if (sub >= 0 && std::size_t(sub) < hr.substation_utilisation.size())
        r.bus_utilisation_pct.at(h, b) = 100.0f * hr.substation_utilisation[std::size_t(sub)];
    }
    copy(r.district_vehicle_km, h, hr.district_vkt);
    copy(r.district_ev_energy_kwh, h, hr.district_ev_mwh, 1000.0);
    copy(r.district_unserved_kwh, h, hr.district_unserved_mwh, 1000.0);
    const auto& t = hr.totals;
    std::size_t overloaded_subs = 0;
    for (float u : hr.substation_utilisation) overloaded_subs += u > 1.0f;
    r.kpis.vehicle_hours[std::size_t(h)] = float(t.vehicle_hours);
    r.kpis.delay_hours[std::size_t(h)] = float(t.delay_hours);
    r.kpis.peak_load_mw[std::size_t(h)] = float(t.load_mw);
    r.kpis.overloaded_assets[std::size_t(h)] = float(t.overloaded_branches + int(overloaded_subs));
    r.kpis.dark_signals[std::size_t(h)] = float(t.dark_signals);
    r.kpis.unserved_mwh[std::size_t(h)] = float(t.unserved_energy_mwh);
  }
  return r;
}

Results synthetic_results(const Twin& twin, const Scenario& scenario, std::uint64_t seed) {
  constexpr float nan = std::numeric_limits<float>::quiet_NaN();
  Results r;
  r.synthetic = true;
  r.label = scenario.empty() ? "baseline (synthetic demo)" : "scenario: " + scenario.name + " (synthetic demo)";
  const auto& roads = twin.roads;
  const auto& grid = twin.grid;
  const auto& dist = twin.districts;
  const std::size_t L = roads.link_count(), B = grid.bus_count(), K = grid.branch_count(),
                    S = grid.substation_count(), D = dist.size();
  r.link_flow_vph = HourlyArray(L, 0);
  r.link_speed_kph = HourlyArray(L, 0);
  r.link_vc = HourlyArray(L, 0);
  r.link_delay_s = HourlyArray(L, 0);
  r.bus_utilisation_pct = HourlyArray(B, nan);
  r.bus_energised = HourlyArray(B, 1);
  r.branch_loading_pct = HourlyArray(K, 0);
  r.substation_loading_pct = HourlyArray(S, 0);
  r.district_vehicle_km = HourlyArray(D, 0);
  r.district_ev_energy_kwh = HourlyArray(D, 0);
  r.district_unserved_kwh = HourlyArray(D, 0);
  for (auto* k : {&r.kpis.vehicle_hours, &r.kpis.delay_hours, &r.kpis.peak_load_mw, &r.kpis.overloaded_assets,
                  &r.kpis.dark_signals, &r.kpis.unserved_mwh})
    k->assign(kHours, 0);

  std::vector<double> link_base(L);
  for (std::size_t i = 0; i < L; ++i)
    link_base[i] = class_load(roads.road_class[i]) * (0.6 + 0.8 * unit_noise(seed, i));
  const double ev_share = scenario.ev.effective_share();
  const auto signals = roads.signals();

  for (int h = 0; h < kHours; ++h) {
    const ScenarioState st = scenario_state(scenario, twin, h);
    const double tp = traffic_profile(h);
    // roads
    for (std::size_t i = 0; i < L; ++i) {
      const double f = st.link_capacity_factor[i];
      const double cap = roads.capacity_vph[i] * f;
      const double demand = link_base[i] * tp * roads.capacity_vph[i];  // veh/h wanting the link
      double flow = 0, vc = 0;
      if (cap > 0) {
        flow = std::min(demand, cap * 1.3);
        vc = flow / cap;
      }
      const double limit = std::max(5.0, double(roads.speed_kph[i]));
      const double speed = f > 0 ? limit / (1 + 0.15 * std::pow(vc, 4)) : 0;
      r.link_flow_vph.at(h, i) = float(flow);
      r.link_vc.at(h, i) = f > 0 ? float(vc) : nan;
      r.link_speed_kph.at(h, i) = f > 0 ? float(speed) : nan;
      const double t = speed > 0 ? roads.length_m[i] / (speed / 3.6) : 0;
      r.link_delay_s.at(h, i) = f > 0 ? float(std::max(0.0, t - roads.free_flow_s[i])) : nan;
      const double km = flow * roads.length_m[i] / 1000;
      r.kpis.vehicle_hours[std::size_t(h)] += float(speed > 0 ? km / speed : 0);
      r.kpis.delay_hours[std::size_t(h)] += float(flow * r.link_delay_s.at(h, i) / 3600 * (f > 0));
      if (i < twin.links.link_district.size() && twin.links.link_district[i] >= 0)
        r.district_vehicle_km.at(h, std::size_t(twin.links.link_district[i])) += float(km);
    }
    // districts -> substations
    const double ep = electricity_profile(h);
    std::vector<double> sub_load(S, 0);
    for (std::size_t d = 0; d < D; ++d) {
      const double ev_kwh = r.district_vehicle_km.at(h, d) * ev_share * 0.18;
      r.district_ev_energy_kwh.at(h, d) = float(ev_kwh);
      const double load_mw = dist.population[d] * 0.0009 * ep + ev_kwh / 1000.0;
      const auto& off = twin.links.district_sub_offsets;
      double unserved = 0;
      if (d + 1 < off.size()) {
        for (std::uint32_t k = off[d]; k < off[d + 1]; ++k) {
          const std::uint32_t s = twin.links.district_sub[k];
          const double part = load_mw * twin.links.district_sub_share[k];
          if (s < S && !st.substation_failed[s]) sub_load[s] += part;
          else unserved += part;
        }
      }
      r.district_unserved_kwh.at(h, d) = float(unserved * 1000);
      r.kpis.unserved_mwh[std::size_t(h)] += float(unserved);
    }
    float overloaded = 0, total = 0;
    for (std::size_t s = 0; s < S; ++s) {
      const double cap = grid.substation_capacity_mva[s];
      const double pct = st.substation_failed[s] ? 0 : (cap > 0 ? 100 * sub_load[s] / cap : 0);
      r.substation_loading_pct.at(h, s) = float(pct);
      overloaded += pct > 100;
      total += float(sub_load[s]);
    }
    r.kpis.peak_load_mw[std::size_t(h)] = total;
    for (std::size_t b = 0; b < B; ++b) {
      const std::int32_t s = b < grid.bus_substation.size() ? grid.bus_substation[b] : -1;
      r.bus_energised.at(h, b) = st.bus_deenergised[b] ? 0.f : 1.f;
      if (s >= 0 && std::size_t(s) < S) r.bus_utilisation_pct.at(h, b) = r.substation_loading_pct.at(h, std::size_t(s));
    }
    for (std::size_t k = 0; k < K; ++k) {
      const bool out = st.branch_failed[k] || (k < grid.branch_in_service.size() && !grid.branch_in_service[k]);
      const double pct = out ? 0 : (25 + 70 * ep * (0.5 + unit_noise(seed + 7, k))) * (1 + 0.3 * double(scenario.branch_failures.size()));
      r.branch_loading_pct.at(h, k) = float(pct);
      overloaded += pct > 100;
    }
    r.kpis.overloaded_assets[std::size_t(h)] = overloaded;
    float dark = 0;
    for (std::size_t k = 0; k < twin.links.signal_bus.size(); ++k) {
      const std::uint32_t b = twin.links.signal_bus[k];
      if (b < B && st.bus_deenergised[b]) ++dark;
    }
    (void)signals;
    r.kpis.dark_signals[std::size_t(h)] = dark;
  }
  return r;
}

Results DemoRunner::run(const Twin& twin, const Scenario& scenario, RunProgress& progress) {
  progress.set_stage("synthetic demo results");
  progress.fraction = 0.1f;
  if (progress.cancel) throw RunCancelled{};
  Results r = synthetic_results(twin, scenario, seed_);
  if (progress.cancel) throw RunCancelled{};
  progress.fraction = 1.0f;
  return r;
}

BackgroundRun::~BackgroundRun() {
  cancel();
  wait();
}

void BackgroundRun::start(ScenarioRunner& runner, const Twin& twin, Scenario scenario) {
  cancel();
  wait();
  progress_.fraction = 0;
  progress_.cancel = false;
  progress_.set_stage("starting");
  {
    std::lock_guard lock(mutex_);
    results_.reset();
    error_.clear();
  }
  state_ = State::Running;
  worker_ = std::thread([this, &runner, &twin, scenario = std::move(scenario)] {
    try {
      Results r = runner.run(twin, scenario, progress_);
      std::lock_guard lock(mutex_);
      results_ = std::move(r);
      state_ = State::Done;
    } catch (const RunCancelled&) {
      state_ = State::Cancelled;
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      error_ = e.what();
      state_ = State::Failed;
    }
  });
}

void BackgroundRun::cancel() { progress_.cancel = true; }

void BackgroundRun::wait() {
  if (worker_.joinable()) worker_.join();
}

std::string BackgroundRun::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::optional<Results> BackgroundRun::take() {
  const State st = state_;
  if (st == State::Failed || st == State::Cancelled) {  // acknowledge: back to Idle
    wait();
    state_ = State::Idle;
    return std::nullopt;
  }
  if (st != State::Done) return std::nullopt;
  wait();
  std::lock_guard lock(mutex_);
  std::optional<Results> out = std::move(results_);
  results_.reset();
  state_ = State::Idle;
  return out;
}

}  // namespace citytwin::viewer
