#pragma once
// Reads a results GeoPackage written by write_results() back into a
// SimulationResult for the twin it was run on (the viewer's baseline /
// scenario views, Python, further analysis). Layers a file lacks (an
// `assign` file has no grid) stay empty. Throws InvalidInput naming the file,
// layer and row when a file does not belong to this twin.
//
// read_results_twin() rebuilds the twin itself from the file alone (for
// `citytwin-viewer results.gpkg`): geometry, ids, the stored attributes and
// provenance, the sources. What a twin holds but the file does not (demand,
// impedances, spatial joins, chargers; more in files of older versions) is
// filled with NaN or a neutral value and named in `missing`, so a viewer can
// say it is unavailable. Errors name the file, layer, feature and field.
#include <filesystem>
#include <set>
#include <string>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

coupling::SimulationResult read_results(const std::filesystem::path& gpkg, const Twin& twin);

struct ResultsTwin {
  Twin twin;
  // "layer.field" of twin attributes the file does not hold, e.g.
  // "roads.toll", "buses.type", "roads.provenance"; a whole layer as
  // "chargers" (the viewer's layer names); "twin.name" when the name is the
  // file's (files of older versions).
  std::set<std::string> missing;
};
ResultsTwin read_results_twin(const std::filesystem::path& gpkg);

// By content: an SQLite file (a GeoPackage), whatever its name.
bool is_sqlite_file(const std::filesystem::path& file);

}  // namespace citytwin::geo
