#pragma once
// A seeded synthetic transmission grid for scaling curves (10k-100k buses):
// buses on a jittered square lattice, lattice lines (a few dropped, the grid
// stays connected), a few percent of longer transformer chords with off-
// nominal taps, loads at every bus, PV generators spread evenly, one slack
// near the centre. It solves in a handful of Newton iterations from a flat
// start, like a real case of that size.
#include <cstdint>

#include "core/grid/power_case.hpp"

namespace citytwin::grid {

struct SyntheticGridOptions {
  std::int32_t buses = 10000;
  std::uint64_t seed = 1;
  std::int32_t generator_spacing = 8;  // about one PV generator per this many buses
  double chord_fraction = 0.05;        // extra transformer branches, fraction of buses
  double drop_fraction = 0.15;         // lattice lines left out (never the connecting ones)
};

PowerCase synthetic_grid(const SyntheticGridOptions& options = {});

}  // namespace citytwin::grid
