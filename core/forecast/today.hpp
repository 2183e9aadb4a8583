#pragma once
// Today's observations up to `now`: the counts and meter readings of one date
// at hours before `now`, quality-checked (duplicates, negatives, counts above
// 3x their link's capacity, meters above 3x their substation's rating are
// counted and left out, core/observations/quality.hpp). What is not used is
// counted by reason: another date, at or after `now` (not yet seen: a feed
// that delivers later rows is ignored, never mixed in), an unmatched station.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/twin.hpp"
#include "core/observations/observations.hpp"
#include "core/observations/quality.hpp"

namespace citytwin::forecast {

// The city's measurements as the departments deliver them; counts already
// matched to links (geo/observations' map matching: -1 = unmatched).
struct Observations {
  std::vector<observations::TrafficCount> counts;
  observations::StationTable stations;
  std::vector<std::int64_t> station_link;  // per station
  std::vector<observations::GridMeasurement> loads;  // substation meters
};

struct TodayOptions {
  int now = 13;                        // observations at hours 0 .. now-1 are used
  std::optional<std::int64_t> day;     // date (LocalHour::day_number); default: the latest date observed
  double implausible_factor = 3.0;     // x link capacity (counts), x substation rating (meters)
};

struct Today {
  std::int64_t day = 0;  // the date forecast
  int now = 0;
  // Per used value: station (counts) or substation (meters), hour, value.
  struct Value {
    std::uint32_t element = 0;
    int hour = 0;
    double value = 0;
  };
  std::vector<Value> counts, loads;
  std::vector<std::int64_t> station_link;  // per station, as given
  std::vector<std::string> station_names;
  observations::QualityReport count_quality, load_quality;
  std::int64_t counts_after_now = 0, counts_other_days = 0, counts_unmatched = 0;
  std::int64_t loads_after_now = 0, loads_other_days = 0;
};

// Throws InvalidInput when `now` is outside 0..24 or a station_link is out of range.
Today select_today(const Twin& twin, const Observations& obs, const TodayOptions& options);

}  // namespace citytwin::forecast
