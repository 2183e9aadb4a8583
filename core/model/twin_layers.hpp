#pragma once
// The twin's file layers, each column described once (core/model/layer_schema.hpp):
// - results_twin_layers(): the geometry layers of a results GeoPackage
//   (sources, roads, signals, buses, branches, substations, districts), with
//   provenance as source_id / source_fid, written by geo::write_results and
//   read back by geo::read_results_twin;
// - export_layers(twin): the layers of `citytwin export` (roads, road_nodes,
//   grid_buses, grid_branches, substations, districts, ev_chargers), every
//   attribute with its provenance spelled out (department, file, layer).
// Both draw on one definition per column, renamed where the files differ.
#include <vector>

#include "core/model/layer_schema.hpp"
#include "core/model/twin.hpp"

namespace citytwin::schema {

const std::vector<Layer>& results_twin_layers();

// Bound to `twin` (precomputed lookups); write only.
std::vector<Layer> export_layers(const Twin& twin);

}  // namespace citytwin::schema
