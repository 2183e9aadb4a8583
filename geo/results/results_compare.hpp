#pragma once
// Compares two results GeoPackages written by `citytwin run` (same twin):
// citywide deltas per hour and overall, and per-element deltas for every
// hourly layer, matched by element id and hour.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace citytwin::geo {

struct ElementDelta {
  std::string layer, metric;
  std::int64_t id = 0;
  int hour = 0;
  double base = 0, scenario = 0;
  double delta() const { return scenario - base; }
};

struct Comparison {
  std::string base_scenario, other_scenario;
  std::vector<std::string> metrics;                      // citywide columns of the `hours` table
  std::map<int, std::map<std::string, double>> base_hours, other_hours;  // hour -> metric -> value
  std::vector<ElementDelta> elements;                    // every (layer, metric, id, hour) that differs
  std::size_t compared_elements = 0;
};

Comparison compare_results(const std::filesystem::path& base, const std::filesystem::path& scenario);

}  // namespace citytwin::geo
