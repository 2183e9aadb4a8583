// libFuzzer target: a results GeoPackage (`citytwin run -o r.gpkg`) as the
// viewer and Python open one alone: the twin rebuilt from the file, then the
// hourly results read for that twin. GDAL reads it from a temporary file.
#include "geo/results/results_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "results.gpkg");
  fuzz::expect_only_citytwin_errors([&] {
    const geo::ResultsTwin rt = geo::read_results_twin(file);
    geo::read_results(file, rt.twin);
  });
  return 0;
}
