#pragma once
// How much memory a generated city needs, known before generating it, so
// `citytwin generate` can refuse a city whose coupled run will not fit.
//
// The model, calibrated on figures measured on the project's 2-core, 24 GiB
// VM (benchmarks/RESULTS.md, "Memory a generated city needs"):
//   run      = 1,500 B per link  (the twin, 24 hours of results, the grid;
//                                 a grid-only day of the 1M-link city: 1.6 GB)
//            + 27 B per zone and link (Algorithm B keeps a bush per origin over
//                                 all links: the 100k-link city, 484 zones,
//                                 peaked at 1.5 GB; the 300k-link one, 1,444
//                                 zones, was killed above 12 GB: model 12.9 GB)
//   generate =   600 B per link  (generate --links 100000: 61 MB peak)
// Links are 3.5 n^2 for the generator's n x n lattice (103,573 at n = 173).
// When the assignment's memory layout changes, re-measure and update here.
#include <cstdint>
#include <optional>
#include <string>

#include "datasets/synthetic_city.hpp"

namespace citytwin::datasets {

struct CityMemoryEstimate {
  std::size_t links = 0, zones = 0;
  std::uint64_t generate_bytes = 0;
  std::uint64_t run_bytes = 0;  // a 24-hour coupled run (`citytwin run`) on the imported twin
};

CityMemoryEstimate estimate_city_memory(const SyntheticOptions& options);

// Empty when the run fits in `available_bytes` (or nothing is known about the
// memory available), otherwise why not: the estimate, the memory available and
// what to do.
std::optional<std::string> memory_shortfall(const CityMemoryEstimate& estimate, std::optional<std::uint64_t> available_bytes);

}  // namespace citytwin::datasets
