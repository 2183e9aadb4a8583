#pragma once
// Synthetic cities imported once per test binary: a small one for the model
// tests, and the documented one the scenario examples are written for.
#include <cstdint>

#include "datasets/write_synthetic_city.hpp"
#include "geo/import/twin_import.hpp"
#include "tests/support/test_files.hpp"

namespace citytwin::testing {

inline Twin import_synthetic_city(std::uint32_t links, std::uint64_t seed) {
  const TempDir scratch("coupling_city");
  datasets::SyntheticOptions o;
  o.target_links = links;
  o.seed = seed;
  const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), scratch / "city");
  return geo::import_twin(geo::load_manifest(written.manifest));
}

inline const Twin& small_city() {
  static const Twin twin = import_synthetic_city(3000, 4);
  return twin;
}

// `citytwin generate --links 20000 --seed 1`, the city of scripts/main-job.sh,
// whose names ("Substation C4", "District 41") and extent the examples in
// datasets/scenarios use.
inline const Twin& documented_city() {
  static const Twin twin = import_synthetic_city(20000, 1);
  return twin;
}

}  // namespace citytwin::testing
