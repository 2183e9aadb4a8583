#include "datasets/city_memory.hpp"

#include <cstdio>

namespace citytwin::datasets {

namespace {
constexpr double kLinksPerLatticeNode = 3.5;
// Fitted to the compact-bush runs in benchmarks/RESULTS.md ("Algorithm B
// memory"): the 20k city's 24-hour run peaks at 82 MiB, the 100k city's
// coupled hours at 377 MiB with 4.1 B of bushes per origin and network link.
constexpr double kRunBaseBytes = 40e6;  // the process before any city (GDAL, TBB, the binary)
constexpr double kRunBytesPerLink = 1500;
constexpr double kBushBytesPerZoneLink = 4.5;
constexpr double kGenerateBytesPerLink = 600;

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return buf;
}
}  // namespace

CityMemoryEstimate estimate_city_memory(const SyntheticOptions& options) {
  CityMemoryEstimate e;
  const double n = synthetic_grid_side(options);
  e.links = static_cast<std::size_t>(kLinksPerLatticeNode * n * n);
  e.zones = synthetic_district_count(options);
  const double links = static_cast<double>(e.links), zones = static_cast<double>(e.zones);
  e.generate_bytes = static_cast<std::uint64_t>(kGenerateBytesPerLink * links);
  e.run_bytes = static_cast<std::uint64_t>(kRunBaseBytes + kRunBytesPerLink * links + kBushBytesPerZoneLink * zones * links);
  return e;
}

std::optional<std::string> memory_shortfall(const CityMemoryEstimate& e, std::optional<std::uint64_t> available) {
  if (!available || e.run_bytes <= *available) return std::nullopt;
  return "a 24-hour run on this city (about " + std::to_string(e.links) + " links, " + std::to_string(e.zones) +
         " zones) needs about " + gib(static_cast<double>(e.run_bytes)) + " (1,500 B per link + 27 B per zone and link for the " +
         "assignment's bushes; benchmarks/RESULTS.md), but only " + gib(static_cast<double>(*available)) +
         " is available (MemAvailable, or the cgroup's limit); generate a smaller city (--links), or give "
         "--skip-memory-check to generate it anyway (a grid-only `citytwin powerflow` needs far less)";
}

}  // namespace citytwin::datasets
