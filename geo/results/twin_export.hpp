#pragma once
// Exports a twin as a GeoPackage that QGIS and ogrinfo open: layers roads,
// road_nodes, grid_buses, grid_branches, substations, districts, ev_chargers,
// each with every attribute and its provenance (department, file, layer,
// feature id, inferred flag), in the twin's CRS. Written atomically. The layers
// and their columns: schema::export_layers (core/model/twin_layers.hpp).
#include <filesystem>

#include "core/model/twin.hpp"

namespace citytwin::geo {

struct ExportCounts {
  std::size_t roads = 0, road_nodes = 0, buses = 0, branches = 0, substations = 0, districts = 0, chargers = 0;
};

ExportCounts export_twin(const Twin& twin, const std::filesystem::path& gpkg);

}  // namespace citytwin::geo
