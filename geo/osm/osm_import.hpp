#pragma once
// `citytwin import city.osm.pbf`: a twin (roads, power grid, districts, the
// zones and the cross-layer joins) from one OpenStreetMap extract. Tags used,
// default tables and everything inferred: datasets/osm/README.md.
//
// Stages, one file each: osm_reader (one GDAL pass), osm_roads (drivable ways
// -> RoadFeature -> build_road_graph), osm_districts (admin level, population
// and jobs), osm_grid (substations, lines, transformers, distribution-level
// completion, slack, islands); then add_zones_and_joins().
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "core/model/twin.hpp"

namespace citytwin::geo::osm {

struct OsmImportOptions {
  std::string name;                      // twin name; default: the file name without .osm.pbf
  bool include_service = false;          // highway=service roads are drivable too
  bool keep_all_components = false;      // keep road islands (default: largest SCC only)
  int admin_level = 0;                   // 0 = automatic (best cover of the roads, 5..300 polygons)
  std::optional<double> population_total;  // apportioned over districts without a population tag
  std::optional<double> jobs_total;        // default: jobs_per_resident x population
  double jobs_per_resident = 0.45;
  double grid_snap_m = 50;               // line ends to substations / other line ends
  double service_distance_m = 3000;      // no substation this close to a district's load centre -> infer one
  double distribution_kv = 11;           // voltage of inferred distribution substations
  double default_kv = 20;                // voltage when neither the tag nor connected elements tell
  double transmission_kv = 110;          // inferred bulk supply point when an extract has no substation
  std::size_t connectors_per_zone = 2;
  ServiceRule service_rule = ServiceRule::Voronoi;
};

struct OsmImportSummary {
  std::string osmconf;                   // the osmconf.ini used
  std::size_t features_read = 0;         // features GDAL returned after the attribute filters
  std::size_t highway_ways = 0, drivable_ways = 0, ferry_ways = 0, road_pieces = 0;  // drivable_ways includes ferries
  std::size_t signals_in_file = 0, signals_matched = 0;
  std::size_t road_components = 0;
  double drivable_directed_m = 0;        // length of the drivable ways read, two-way roads counted twice
  double kept_directed_m = 0;            // length of the directed links kept in the graph (before connectors)
  std::size_t power_lines = 0, substations_in_file = 0;
  std::size_t inferred_substations = 0, inferred_branches = 0, grid_islands = 0;
  int admin_level = 0;
  bool admin_level_automatic = false;
  std::string population_method, jobs_method;
  double seconds_gdal = 0;               // the GDAL pass alone (part of seconds_read)
  double seconds_read = 0, seconds_roads = 0, seconds_districts = 0, seconds_grid = 0, seconds_joins = 0;
};

// Throws IoError for a missing, foreign, truncated or corrupt file and
// InvalidInput when the extract has no drivable roads or a requested
// admin level does not exist (listing the levels that do).
Twin import_osm(const std::filesystem::path& path, const OsmImportOptions& options = {}, OsmImportSummary* summary = nullptr);

}  // namespace citytwin::geo::osm
