#include "core/observations/observations.hpp"

#include <unordered_map>

namespace citytwin::observations {

StationTable station_table(const std::vector<TrafficCount>& counts) {
  StationTable t;
  std::unordered_map<std::string, std::uint32_t> index;
  t.station_of.reserve(counts.size());
  for (const auto& c : counts) {
    auto [it, added] = index.try_emplace(c.station, static_cast<std::uint32_t>(t.stations.size()));
    if (added) t.stations.push_back({c.station, c.position, c.bearing_deg});
    t.station_of.push_back(it->second);
  }
  return t;
}

}  // namespace citytwin::observations
