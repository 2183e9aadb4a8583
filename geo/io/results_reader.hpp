#pragma once
// Reads a results GeoPackage written by write_results() back into a
// SimulationResult for the twin it was run on (the viewer's baseline /
// scenario views, Python, further analysis). Layers a file lacks (an
// `assign` file has no grid) stay empty. Throws InvalidInput naming the file,
// layer and row when a file does not belong to this twin.
#include <filesystem>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

coupling::SimulationResult read_results(const std::filesystem::path& gpkg, const Twin& twin);

}  // namespace citytwin::geo
