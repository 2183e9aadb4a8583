// libFuzzer target: a MATPOWER case file, read and solved as `citytwin
// powerflow` does (DC, then AC Newton-Raphson with its default 10 iterations).
#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_only_citytwin_errors([&] {
    const grid::PowerCase pc = grid::parse_matpower(fuzz::as_text(data, size), "fuzz_case.m");
    grid::solve_dc(pc);
    grid::solve_ac(pc);
  });
  return 0;
}
