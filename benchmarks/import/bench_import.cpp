// Import of the synthetic city (three GeoPackages in three CRSs -> twin) at
// 10k / 100k / 1M directed links, and the snapshot reload that replaces it.
// The layers are generated once per size into the temp folder, untimed.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>

#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "geo/import/twin_import.hpp"

using namespace citytwin;

namespace {

const std::filesystem::path& city_folder(std::size_t links) {
  static std::map<std::size_t, std::filesystem::path> made;
  auto it = made.find(links);
  if (it != made.end()) return it->second;
  const auto dir = std::filesystem::temp_directory_path() / ("citytwin_bench_city_" + std::to_string(links));
  std::filesystem::remove_all(dir);
  datasets::SyntheticOptions o;
  o.target_links = links;
  datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir);
  return made.emplace(links, dir).first->second;
}

void BM_Import(benchmark::State& state) {
  const auto links = static_cast<std::size_t>(state.range(0));
  ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  const auto manifest = geo::load_manifest(city_folder(links) / "manifest.toml");
  std::size_t built = 0;
  for (auto _ : state) {
    const Twin t = geo::import_twin(manifest);
    built = t.roads.link_count();
    benchmark::DoNotOptimize(built);
  }
  state.counters["links"] = static_cast<double>(built);
  state.counters["links_per_s"] = benchmark::Counter(static_cast<double>(built), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_SnapshotReload(benchmark::State& state) {
  const auto links = static_cast<std::size_t>(state.range(0));
  const auto snap = city_folder(links) / "city.twin";
  write_snapshot(geo::import_twin(geo::load_manifest(city_folder(links) / "manifest.toml")), snap);
  for (auto _ : state) {
    const Twin t = read_snapshot(snap);
    benchmark::DoNotOptimize(t.roads.link_count());
  }
  state.counters["bytes"] = static_cast<double>(std::filesystem::file_size(snap));
}

}  // namespace

BENCHMARK(BM_Import)->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})->ArgNames({"links", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SnapshotReload)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->ArgName("links")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
