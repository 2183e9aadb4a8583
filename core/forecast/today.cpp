#include "core/forecast/today.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/errors.hpp"

namespace citytwin::forecast {

namespace obs = citytwin::observations;

Today select_today(const Twin& twin, const Observations& o, const TodayOptions& options) {
  if (options.now < 0 || options.now > 24)
    throw InvalidInput("now must be an hour from 0 to 24 (the first hour not yet observed), not " + std::to_string(options.now));
  if (o.station_link.size() != o.stations.stations.size())
    throw InvalidInput("station_link has " + std::to_string(o.station_link.size()) + " entries for " +
                       std::to_string(o.stations.stations.size()) + " stations");
  if (o.stations.station_of.size() != o.counts.size())
    throw InvalidInput("the station table does not belong to these counts (" + std::to_string(o.stations.station_of.size()) +
                       " entries for " + std::to_string(o.counts.size()) + " counts)");
  for (std::size_t s = 0; s < o.station_link.size(); ++s)
    if (o.station_link[s] >= static_cast<std::int64_t>(twin.roads.link_count()))
      throw InvalidInput("station " + o.stations.stations[s].name + " is matched to link " + std::to_string(o.station_link[s]) +
                         ", which the twin does not have");
  const std::size_t K = twin.grid.substation_count();
  for (const auto& m : o.loads)
    if (m.element >= K)
      throw InvalidInput("meter reading of row " + std::to_string(m.row) + " names substation " + std::to_string(m.element) +
                         ", which the twin does not have (" + std::to_string(K) + ")");

  Today t;
  t.now = options.now;
  if (options.day) {
    t.day = *options.day;
  } else {
    std::int64_t latest = INT64_MIN;
    for (const auto& c : o.counts) latest = std::max(latest, c.time.day_number());
    for (const auto& m : o.loads) latest = std::max(latest, m.time.day_number());
    t.day = latest == INT64_MIN ? 0 : latest;
  }

  // Counts: one series per station, checked against 3x its link's capacity.
  std::vector<obs::HourlyValue> counts;
  for (std::size_t i = 0; i < o.counts.size(); ++i) {
    const auto& c = o.counts[i];
    if (c.time.day_number() != t.day) {
      ++t.counts_other_days;
      continue;
    }
    if (c.time.hour >= t.now) {
      ++t.counts_after_now;
      continue;
    }
    const auto s = o.stations.station_of[i];
    if (o.station_link[s] < 0) {
      ++t.counts_unmatched;
      continue;
    }
    counts.push_back({s, c.time, c.vehicles, c.row, c.vehicle_class});
  }
  obs::QualityOptions cq;
  cq.limit_rule = std::to_string(options.implausible_factor) + "x the link's hourly capacity";
  std::vector<std::string> station_names;
  for (std::size_t s = 0; s < o.stations.stations.size(); ++s) {
    station_names.push_back(o.stations.stations[s].name);
    const auto l = o.station_link[s];
    cq.upper_limit.push_back(l >= 0 ? options.implausible_factor * twin.roads.capacity_vph[static_cast<std::size_t>(l)] : NAN);
  }
  for (int h = 0; h < t.now; ++h) cq.expected_hours[static_cast<std::size_t>(h)] = true;
  cq.expected_hours_given = true;
  auto checked_counts = obs::check_series(std::move(counts), cq, station_names);
  t.count_quality = std::move(checked_counts.report);
  t.station_link = o.station_link;
  t.station_names = std::move(station_names);
  for (const auto& v : checked_counts.used) t.counts.push_back({v.element, v.time.hour, v.value});

  // Meters: per substation, checked against 3x its rating; export (negative P) allowed.
  std::vector<obs::HourlyValue> loads;
  for (const auto& m : o.loads) {
    if (m.time.day_number() != t.day) {
      ++t.loads_other_days;
      continue;
    }
    if (m.time.hour >= t.now) {
      ++t.loads_after_now;
      continue;
    }
    loads.push_back({m.element, m.time, m.p_mw, m.row, ""});
  }
  obs::QualityOptions lq;
  lq.allow_negative = true;
  lq.limit_rule = std::to_string(options.implausible_factor) + "x the substation's rating";
  for (std::size_t k = 0; k < K; ++k) lq.upper_limit.push_back(options.implausible_factor * twin.grid.substation_capacity_mva[k]);
  lq.expected_hours = cq.expected_hours;
  lq.expected_hours_given = true;
  auto checked_loads = obs::check_series(std::move(loads), lq, twin.grid.substation_name);
  t.load_quality = std::move(checked_loads.report);
  for (const auto& v : checked_loads.used) t.loads.push_back({v.element, v.time.hour, v.value});
  return t;
}

}  // namespace citytwin::forecast
