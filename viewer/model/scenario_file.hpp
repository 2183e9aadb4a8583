#pragma once
// Scenario files in the viewer: Load reads with the coupled run's own reader
// (geo::load_scenario: errors name file and line; names, boxes and polygons
// resolved against the twin), Save writes with the one scenario writer
// (geo::write_scenario_file, datasets/scenarios/README.md), so a saved file
// runs as is with `citytwin run city.twin edits.toml -o out.gpkg`; the viewer
// only adds comments (how to run it, provenance of the edited elements, its
// notes). viewer/SCENARIO_FORMAT.md says what the viewer writes.
#include <filesystem>
#include <string>
#include <vector>

#include "core/coupling/scenario.hpp"
#include "viewer/model/scenario_edits.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

// Throws InvalidInput (file, line) / IoError. What the viewer does not show
// on the map (population / job growth) is named in `warnings`; it is kept in
// the scenario, runs and is saved. `notes` come from the viewer's comments
// (or a one-line `description = "..."`).
coupling::Scenario read_scenario(const std::filesystem::path& path, const Twin& twin, ScenarioNotes* notes = nullptr,
                                 std::vector<std::string>* warnings = nullptr);

// Written atomically. `twin_path` (may be empty) names the twin in the file's
// "Run it" comment; the twin gives the provenance comments. InvalidInput for
// ids the twin does not have.
void write_scenario(const std::filesystem::path& path, const coupling::Scenario& s, const ScenarioNotes& notes,
                    const Twin& twin, const std::string& twin_path = {});

}  // namespace citytwin::viewer
