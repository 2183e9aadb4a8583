#pragma once
// One small synthetic city per test binary, imported once.
#include <unistd.h>

#include <filesystem>

#include "datasets/write_synthetic_city.hpp"
#include "geo/io/twin_import.hpp"

namespace citytwin::testing {

inline const Twin& small_city() {
  static const Twin twin = [] {
    // Per process: ctest -j runs the cases of this binary in parallel processes.
    const auto dir = std::filesystem::temp_directory_path() / ("citytwin_coupling_city_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    datasets::SyntheticOptions o;
    o.target_links = 3000;
    o.seed = 4;
    const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir);
    Twin t = geo::import_twin(geo::load_manifest(written.manifest));
    std::filesystem::remove_all(dir);
    return t;
  }();
  return twin;
}

}  // namespace citytwin::testing
