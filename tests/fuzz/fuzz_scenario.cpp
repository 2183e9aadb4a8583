// libFuzzer target: a what-if scenario file (TOML), loaded against the
// documented synthetic city (20,000 links, seed 1: the city of
// scripts/main-job.sh, whose names the examples in datasets/scenarios use) as
// `citytwin run city.twin scenario.toml` does. An od_matrix the scenario names
// is looked up beside it, in this process's scratch folder.
#include "datasets/synthetic_city.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "geo/import/manifest.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/import/twin_import.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

namespace {

const Twin& documented_city() {
  static const Twin twin = [] {
    datasets::SyntheticOptions o;
    o.target_links = 20000;
    o.seed = 1;
    const auto folder = fuzz::scratch_dir() / "city";
    const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), folder);
    Twin t = geo::import_twin(geo::load_manifest(written.manifest));
    std::filesystem::remove_all(folder);
    return t;
  }();
  return twin;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  documented_city();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "scenario.toml");
  fuzz::expect_only_citytwin_errors([&] { geo::load_scenario(file, documented_city()); });
  return 0;
}
