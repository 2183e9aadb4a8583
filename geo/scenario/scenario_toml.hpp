#pragma once
// Scenario files at the level of toml++ tables, for the code that builds a
// scenario in memory (the Python bindings) rather than reading a file: the
// same reader as load_scenario and the same tables as write_scenario_file.
// Kept out of scenario_file.hpp so that its users do not compile toml++.
#include <filesystem>
#include <string>
#include <toml++/toml.h>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

// load_scenario over a table built in memory: `label` stands for the file
// name in error messages; a relative od_matrix is taken from `folder`.
coupling::Scenario scenario_from_table(const toml::table& root, const std::string& label, const std::filesystem::path& folder,
                                       const Twin& twin);

// The [parameters] table: every field of scenario_parameter_fields() whose
// value differs from its default, typed by kind (integers as TOML integers,
// bools as booleans, enums by their spelling).
toml::table parameters_table(const coupling::Scenario& s);

// The whole scenario as load_scenario reads it, in the twin's ids and names
// (substations by name where the name is unique, districts by name). A
// relative od_matrix is written relative to `folder` (where the file goes).
// Throws InvalidInput for ids the twin does not have and for growth that
// district names cannot express (one name, different factors).
toml::table scenario_table(const coupling::Scenario& s, const Twin& twin, const std::filesystem::path& folder);

// toml++'s serialisation of a table, ending in a newline.
std::string toml_text(const toml::table& t);

}  // namespace citytwin::geo
