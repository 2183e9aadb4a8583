#pragma once
// `citytwin-viewer results.gpkg`: a results GeoPackage written by `citytwin
// run` (or `assign` / `powerflow`) opened alone, without the .twin it was run
// on. The twin is rebuilt from the file (geo::read_results_twin: geometry,
// ids, the stored attributes, provenance and sources) and the hourly values
// become the baseline Results. What the file does not hold is listed in
// `missing` (the inspector says "not in the results file"), and scenario runs
// are unavailable: the demand model and the grid's impedances are not in it.
#include <filesystem>
#include <memory>

#include "core/model/twin.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/scenario_runner.hpp"

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

// The runner of a twin read from a results file: never available, and says why.
std::unique_ptr<ScenarioRunner> make_results_file_runner();

}  // namespace citytwin::viewer
