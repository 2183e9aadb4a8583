#pragma once
// The source manifest: which department layer feeds which part of the twin,
// how its fields map onto the twin's attributes, their units, and defaults.
// Format: TOML, documented with examples in datasets/manifests/README.md.
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/model/twin.hpp"
#include "geo/gdal/layer_spec.hpp"

namespace citytwin::geo {

// Defaults per road class, used when a mapped field is missing or NULL.
struct RoadClassDefaults {
  float lanes = 1;              // per direction
  float speed_kph = 50;
  double capacity_per_lane = 800;  // veh/h/lane
  float bpr_alpha = 0.15f, bpr_beta = 4.0f;
};

// The built-in table (documented in datasets/manifests/README.md).
const std::array<RoadClassDefaults, static_cast<std::size_t>(RoadClass::Count)>& builtin_road_defaults();

struct Manifest {
  std::filesystem::path path;
  std::string name = "city";
  std::string crs = "auto";          // "auto" = UTM zone of the roads' extent
  double snap_tolerance_m = 0.5;     // road vertices closer than this are one
  double grid_snap_tolerance_m = 30; // line ends to buses / substations
  double signal_snap_m = 15;         // signal points to road nodes
  bool keep_largest_component = false;
  bool lenient = false;              // skip (and count) invalid features instead of failing
  ServiceRule service_rule = ServiceRule::Voronoi;
  std::size_t connectors_per_zone = 2;
  double base_mva = 100;
  std::string slack = "auto";        // substation name, or auto = highest kV, largest capacity
  bool assume_island_infeeds = true; // islands with a substation but no slack get an infeed (core/model/grid_infeeds.hpp)
  std::optional<LayerSpec> roads, signals, buses, lines, substations, districts, chargers;
  std::array<RoadClassDefaults, static_cast<std::size_t>(RoadClass::Count)> road_defaults = builtin_road_defaults();
};

// Parses and validates a manifest; throws InvalidInput naming the file and
// line of an unknown key, a wrong type or a missing required entry.
Manifest load_manifest(const std::filesystem::path& path);

}  // namespace citytwin::geo
