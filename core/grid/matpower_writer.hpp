#pragma once
// Writes a PowerCase as a MATPOWER version 2 case file (bus, gen, branch
// matrices; no gencost), so peer tools (MATPOWER, pandapower, lightsim2grid)
// can solve exactly the grid citytwin solves: the synthetic grids and, later,
// a twin's grid. Numbers are written with 17 significant digits, so
// read_matpower gives back the same doubles. Written atomically.
#include <filesystem>

#include "core/grid/power_case.hpp"

namespace citytwin::grid {

void write_matpower(const std::filesystem::path& file, const PowerCase& pc);

}  // namespace citytwin::grid
