#pragma once
// Writes a synthetic city as three departments would deliver it: roads in
// EPSG:4326 (transport), the grid in EPSG:32633 (energy), districts in
// EPSG:3857 (planning), each with its own field names, plus the manifest
// (manifest.toml) that maps them onto the twin.
#include <filesystem>

#include "datasets/synthetic_city.hpp"

namespace citytwin::datasets {

struct WrittenCity {
  std::filesystem::path manifest;
  std::size_t roads = 0, signals = 0, substations = 0, lines = 0, districts = 0, chargers = 0;
};

WrittenCity write_synthetic_city(const SyntheticCity& city, const std::filesystem::path& folder);

}  // namespace citytwin::datasets
