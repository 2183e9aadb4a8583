#pragma once
// Writes a scenario file (datasets/scenarios/README.md) that load_scenario
// reads back to the same scenario: the one scenario writer, shared by the
// viewer's Save, the Python package and any tool that saves a scenario.
#include <filesystem>
#include <string>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

// Written atomically (core/common/atomic_file). Parameters at their defaults
// are left out; links, buses and branches are written by id, substations and
// districts by name where the name is unique. Throws InvalidInput for ids the
// twin does not have, IoError if the file cannot be written.
void write_scenario_file(const std::filesystem::path& path, const coupling::Scenario& s, const Twin& twin);

// The same text, for callers that show or hand it on (a relative od_matrix
// path stays relative to the current folder).
std::string scenario_file_text(const coupling::Scenario& s, const Twin& twin);

}  // namespace citytwin::geo
