#pragma once
// Measurements of the real city, as the departments deliver them, already in
// the twin's metric CRS and with their elements resolved to the twin's ids:
// traffic counts (transport), substation and branch meter readings (energy),
// public charging records. Plain vectors of records: a few hundred stations
// times a few weeks of hours is small. Every record keeps its source row, so
// a quality finding or a fit residual can name where it came from.
//
// These types are what the readers (geo/observations) produce and what the
// fit (fit_statistics.hpp), and later ODME and load calibration, consume.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "core/observations/local_hour.hpp"

namespace citytwin::observations {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// One traffic count: vehicles per hour past a station in one direction.
struct TrafficCount {
  std::string station;
  Point2 position;                    // twin's metric CRS
  std::optional<double> bearing_deg;  // counted direction, clockwise from north
  LocalHour time;                     // hour start, local
  double vehicles = 0;                // per hour
  std::string vehicle_class;          // "" = all vehicles
  std::optional<double> speed_kmh;
  std::int64_t row = 0;               // source row / feature id
};

// A meter reading: hourly mean active (and reactive) power of one substation
// (or, for branch readings, the flow on one branch; sign as metered).
struct GridMeasurement {
  std::uint32_t element = 0;          // substation or branch index in the twin
  LocalHour time;
  double p_mw = 0;
  std::optional<double> q_mvar;
  std::int64_t row = 0;
};

// Energy delivered by one public charging station in one hour.
struct ChargingRecord {
  std::string station;
  LocalHour time;
  double energy_kwh = 0;
  double sessions = 0;
  std::int64_t row = 0;
};

// A count station: where it is and what it counts (from its first row; the
// readers reject a station whose rows disagree on position or bearing).
struct CountStation {
  std::string name;
  Point2 position;
  std::optional<double> bearing_deg;
};

// The distinct stations of a set of counts, in order of first appearance;
// `station_of[i]` is the station index of counts[i].
struct StationTable {
  std::vector<CountStation> stations;
  std::vector<std::uint32_t> station_of;
};
StationTable station_table(const std::vector<TrafficCount>& counts);

}  // namespace citytwin::observations
