#pragma once
// Results GeoPackages written by `citytwin run` (or `assign` / `powerflow`):
// read for a .twin (`--results run.gpkg`), or opened alone without the .twin
// (`citytwin-viewer results.gpkg`). Alone, the twin is rebuilt from the file
// (geo::read_results_twin: geometry, ids, the stored attributes, provenance
// and sources) and the hourly values become the baseline Results. What the
// file does not hold is listed in `missing` (the inspector says "not in the
// results file"), and scenario runs are unavailable: the demand model and the
// grid's impedances are not in it.
#include <filesystem>

#include "core/model/twin.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/results.hpp"

namespace citytwin::viewer {

struct ResultsFile {
  Twin twin;
  Results results;
  MissingAttributes missing;
};

// A results GeoPackage by name (.gpkg) or by content (an SQLite file), as
// opposed to a .twin snapshot.
bool is_results_file(const std::filesystem::path& file);
ResultsFile open_results_file(const std::filesystem::path& gpkg);
// The results of `twin` in a results file (geo::read_results), labelled with the file's stem.
Results read_results_file(const std::filesystem::path& gpkg, const Twin& twin);

// Why a twin opened from a results file cannot run scenarios.
inline constexpr const char* kResultsFileCannotRun =
    "Opened from a results file: it holds the run's results, not the twin's demand model or grid impedances. "
    "Open the .twin (citytwin-viewer city.twin --results run.gpkg) to run scenarios.";

}  // namespace citytwin::viewer
