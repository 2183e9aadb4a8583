#include "core/calibration/calibrate_twin.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

#include "core/common/errors.hpp"
#include "core/coupling/simulation.hpp"

namespace citytwin::calibration {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// station_link with only the chosen stations kept.
std::vector<std::int64_t> only(const std::vector<std::int64_t>& station_link, const std::vector<std::uint32_t>& keep) {
  std::vector<std::int64_t> out(station_link.size(), -1);
  for (auto s : keep) out[s] = station_link[s];
  return out;
}
}  // namespace

std::vector<std::uint32_t> hold_out_stations(const std::vector<std::int64_t>& station_link, double share, std::uint64_t seed) {
  if (!(share >= 0 && share < 1)) throw InvalidInput("the hold-out share must be in [0, 1) (some stations must be left to calibrate on)", {.field = "holdout_share"});
  std::vector<std::uint32_t> matched;
  for (std::uint32_t s = 0; s < station_link.size(); ++s)
    if (station_link[s] >= 0) matched.push_back(s);
  const auto take = static_cast<std::size_t>(std::llround(share * static_cast<double>(matched.size())));
  std::mt19937_64 rng(seed);  // the engine's sequence is fixed by the standard; distributions are not, so none is used
  for (std::size_t i = 0; i < take; ++i) {
    const std::uint64_t n = matched.size() - i;
    const auto j = i + static_cast<std::size_t>(rng() % n);
    std::swap(matched[i], matched[j]);
  }
  std::vector<std::uint32_t> out(matched.begin(), matched.begin() + static_cast<std::ptrdiff_t>(take));
  std::sort(out.begin(), out.end());
  return out;
}

CalibratedTwin calibrate_twin(const Twin& input, const coupling::Scenario& scenario, const std::vector<observations::TrafficCount>& counts,
                              const observations::StationTable& stations, const std::vector<std::int64_t>& station_link,
                              const std::vector<observations::GridMeasurement>& loads, const CalibrateOptions& o) {
  if (station_link.size() != stations.stations.size())
    throw InvalidInput("station links (" + std::to_string(station_link.size()) + ") and stations (" + std::to_string(stations.stations.size()) +
                       ") differ in number");
  if (counts.empty() && loads.empty()) throw InvalidInput("nothing to calibrate to: give traffic counts, meter readings or both");
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  CalibratedTwin out{input, {}, {}};
  out.twin.calibration = {};  // start from the uncalibrated model
  CalibrationReport& rep = out.report;
  rep.has_counts = !counts.empty();
  rep.has_loads = !loads.empty();

  // 1. Hold-out split.
  rep.held_out_stations = hold_out_stations(station_link, o.holdout_share, o.seed);
  for (std::uint32_t s = 0; s < station_link.size(); ++s) {
    if (station_link[s] < 0) ++rep.unmatched_stations;
    else if (!std::binary_search(rep.held_out_stations.begin(), rep.held_out_stations.end(), s)) rep.used_stations.push_back(s);
  }
  if (rep.has_counts && rep.used_stations.empty()) throw InvalidInput("no matched count station is left to calibrate on");
  const auto used_link = only(station_link, rep.used_stations), held_link = only(station_link, rep.held_out_stations);

  coupling::SimulationOptions so;
  so.hours = o.hours;
  auto run = [&](const Twin& t, const char* what) {
    say(std::string("run: ") + what);
    const auto t0 = Clock::now();
    auto r = coupling::simulate(t, scenario, so);
    rep.seconds_runs += since(t0);
    ++rep.runs;
    return r;
  };
  auto score = [&](const Twin& t, const coupling::SimulationResult& r, CountScores& into) {
    if (!rep.has_counts) return;
    const auto used = observations::fit_counts(t, r, counts, stations, used_link, o.fit);
    into.used = used.overall;
    rep.count_quality = used.quality;
    into.held_out = observations::fit_counts(t, r, counts, stations, held_link, o.fit).overall;
  };

  // 2. The fit before.
  const auto before = run(out.twin, "the uncalibrated twin (fit before)");
  score(out.twin, before, rep.before);
  if (rep.has_loads) rep.loads_before = observations::fit_substation_loads(out.twin, before, loads, o.fit);

  // 3. Demand to counts: ODME per hour on the used stations' profile means.
  const coupling::SimulationResult* current = &before;
  coupling::SimulationResult with_demand;
  if (!o.demand) rep.demand_note = "demand calibration switched off";
  else if (!rep.has_counts) rep.demand_note = "no traffic counts";
  else {
    say("demand: OD estimation (Spiess ODME) per hour on " + std::to_string(rep.used_stations.size()) + " count stations");
    const auto t0 = Clock::now();
    // One target per (link, hour): stations on the same link are averaged.
    std::map<std::pair<std::uint32_t, int>, std::pair<double, int>> targets;
    for (const auto& row : observations::fit_counts(out.twin, before, counts, stations, used_link, o.fit).rows) {
      auto& t = targets[{static_cast<std::uint32_t>(row.link), row.hour}];
      t.first += row.observed;
      ++t.second;
    }
    std::vector<HourlyCount> hourly;
    for (const auto& [key, t] : targets) hourly.push_back({key.first, key.second, t.first / t.second, 1.0});
    const DailyOdmeResult odme = estimate_daily_od(out.twin, scenario, hourly, o.odme, o.hours);
    TwinCalibration& c = out.twin.calibration;
    rep.od_factor_min = rep.od_factor_max = 1;
    int estimated = 0;
    for (int h = 0; h < demand::kHours; ++h) {
      const HourOdme& ho = odme.hours[static_cast<std::size_t>(h)];
      if (!ho.estimated) continue;
      ++estimated;
      for (std::size_t cell = 0; cell < ho.factor.size(); ++cell) {
        const double f = ho.factor[cell];
        if (f == 1.0) continue;
        c.od_hour.push_back(static_cast<std::uint8_t>(h));
        c.od_origin.push_back(static_cast<std::uint32_t>(cell / odme.zones));
        c.od_destination.push_back(static_cast<std::uint32_t>(cell % odme.zones));
        c.od_factor.push_back(f);
        rep.od_factor_min = std::min(rep.od_factor_min, f);
        rep.od_factor_max = std::max(rep.od_factor_max, f);
      }
    }
    rep.od_cells = c.od_factor.size();
    rep.demand_calibrated = estimated > 0;
    rep.odme_before = odme.before;
    rep.odme_after = odme.after;
    rep.demand_note = "Spiess (1990) ODME, " + std::to_string(estimated) + " hours estimated, cell factors within [" +
                      std::to_string(o.odme.lower_factor).substr(0, 4) + ", " + std::to_string(o.odme.upper_factor).substr(0, 4) + "] of the gravity prior";
    rep.seconds_demand = since(t0);
    with_demand = run(out.twin, "the twin with the estimated demand");
    current = &with_demand;
  }

  // 4. Loads to meters.
  if (o.loads && rep.has_loads) {
    say("loads: per-substation load and EV factors");
    const auto t0 = Clock::now();
    const auto observed = observations::fit_substation_loads(out.twin, *current, loads, o.fit);
    rep.load_calibration = calibrate_loads(out.twin, scenario, *current, observed, o.load_bounds);
    out.twin.calibration.substation_residential_factor = rep.load_calibration.residential_factor;
    out.twin.calibration.substation_commercial_factor = rep.load_calibration.commercial_factor;
    out.twin.calibration.substation_ev_factor = rep.load_calibration.ev_factor;
    rep.seconds_loads += since(t0);
  }
  out.twin.calibration.source = o.source;

  // 5. The fit after.
  out.after = run(out.twin, "the calibrated twin (fit after)");
  score(out.twin, out.after, rep.after);
  if (rep.has_loads) rep.loads_after = observations::fit_substation_loads(out.twin, out.after, loads, o.fit);
  return out;
}

}  // namespace citytwin::calibration
