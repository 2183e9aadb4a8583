#pragma once
// Writes a coupled run as a GeoPackage: hourly result layers joined to the
// twin's geometry (one feature per element and hour, so QGIS's temporal
// controller or a filter on `hour` shows any hour) and a `hours` table of
// citywide totals. Written atomically.
#include <filesystem>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

void write_results(const Twin& twin, const coupling::SimulationResult& result, const std::filesystem::path& gpkg);

}  // namespace citytwin::geo
