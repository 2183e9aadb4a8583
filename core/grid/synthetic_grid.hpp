#pragma once
// A seeded synthetic grid for scaling curves (10k-100k buses) shaped like a
// real transmission system: a meshed 380 kV backbone (jittered lattice with
// some lines left out, plus longer chords with phase shifters), and below
// every backbone substation a 110 kV region fed through a tap-changing
// transformer: a random tree with a few loops closed. Loads everywhere,
// generators at half the backbone and in every region, one slack near the
// centre. Same seed, same case (the generator draws raw 64-bit numbers, so
// it does not depend on the standard library's distributions).
#include <cstdint>

#include "core/grid/power_case.hpp"

namespace citytwin::grid {

struct SyntheticGridOptions {
  std::int32_t buses = 10000;
  std::uint64_t seed = 1;
  std::int32_t region_size = 20;   // buses per backbone substation's region (incl. itself)
  double loop_fraction = 0.15;     // region buses that close a loop
  double chord_fraction = 0.1;     // backbone chords, fraction of backbone buses
  double drop_fraction = 0.15;     // backbone lattice lines left out (never the connecting ones)
};

PowerCase synthetic_grid(const SyntheticGridOptions& options = {});

}  // namespace citytwin::grid
