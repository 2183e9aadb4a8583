#pragma once
// Supply of grid islands. Source data rarely show the whole grid: OSM maps a
// fraction of the cables, so most substations of a city sit on islands with no
// path to the bulk supply point. Treating them as de-energised would darken
// most of the city in the baseline; instead each island that holds a
// substation gets an assumed infeed (a slack with a generator) at its
// highest-voltage, largest substation. Outages still de-energise whatever is
// cut off from that infeed.
#include <cstdint>
#include <vector>

#include "core/model/twin.hpp"

namespace citytwin {

struct IslandSupply {
  std::int64_t islands = 0;           // connected parts of the intact grid
  std::int64_t assumed_infeeds = 0;   // islands given an infeed by assume_island_infeeds
  std::int64_t unsupplied_buses = 0;  // buses still without a slack (islands without a substation)
};

// Island of every bus over the in-service branches: the root bus of its island.
std::vector<std::uint32_t> island_roots(const PowerGrid& grid);

// Counts islands and the buses with no slack in their island (does not change the grid).
IslandSupply island_supply(const PowerGrid& grid);

// Adds an infeed to every island that has a substation but no slack; returns
// the supply after the change.
IslandSupply assume_island_infeeds(PowerGrid& grid);

}  // namespace citytwin
