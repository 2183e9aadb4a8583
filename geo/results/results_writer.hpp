#pragma once
// Writes a coupled run as a GeoPackage: each element's geometry once (layers
// roads, buses, branches, substations, districts, signals), its values per
// hour in `<layer>_hourly_data` tables, and registered views `<layer>_hourly`
// joining the two, so QGIS (filter or temporal controller on `hour`) and
// `citytwin compare` see hourly layers with geometry. Plus a `hours` table of
// citywide totals and a `sources` table (department, path, layer of each
// source of the twin). The geometry layers carry the ids, the attributes a
// viewer of the file alone shows (class, capacity, lanes, speed limit,
// free-flow time, from / to node or bus, kV, rating, population ...) and each
// element's provenance (`source_id` into `sources`, NULL when citytwin
// inferred it; `source_fid`), so `citytwin-viewer results.gpkg` needs no
// .twin (geo::read_results_twin). The twin's name is a dataset metadata item
// (kTwinNameMetadata). Written atomically. The layers and their columns are
// described once in core/model/twin_layers.hpp, core/coupling/result_layers.hpp
// and core/coupling/hour_totals_fields.hpp.
#include <filesystem>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

// Which halves of the twin a results file holds (`assign` writes traffic only,
// `powerflow` the grid only, `run` both).
struct ResultLayers {
  bool traffic = true;  // roads, districts (traffic columns), signals
  bool grid = true;     // buses, branches, substations, districts (energy columns)
};

// The GeoPackage metadata item holding the twin's name.
inline constexpr const char* kTwinNameMetadata = "CITYTWIN_TWIN_NAME";

void write_results(const Twin& twin, const coupling::SimulationResult& result, const std::filesystem::path& gpkg,
                   ResultLayers layers = {});

}  // namespace citytwin::geo
