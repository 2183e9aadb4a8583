#pragma once
// Scenario files (TOML, documented in datasets/scenarios/README.md): changes
// relative to the baseline, resolved against a twin (link ids, boxes and
// polygons in the twin's CRS, substation and district names). Errors name the
// file and line.
#include <filesystem>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::geo {

coupling::Scenario load_scenario(const std::filesystem::path& path, const Twin& twin);

}  // namespace citytwin::geo
