// libFuzzer target: a source manifest (TOML), parsed and validated as
// `citytwin import manifest.toml` does before it opens any layer.
#include "geo/import/manifest.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "manifest.toml");
  fuzz::expect_only_citytwin_errors([&] { geo::load_manifest(file); });
  return 0;
}
