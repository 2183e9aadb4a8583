// The MATPOWER writer: a written case reads back to the same doubles, and the
// written copy of a synthetic grid solves to the same operating point.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "core/common/errors.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/matpower_writer.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/synthetic_grid.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("citytwin-mpwriter-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

void expect_same_case(const PowerCase& a, const PowerCase& b) {
  ASSERT_EQ(a.buses.size(), b.buses.size());
  ASSERT_EQ(a.generators.size(), b.generators.size());
  ASSERT_EQ(a.branches.size(), b.branches.size());
  EXPECT_EQ(a.base_mva, b.base_mva);
  for (std::size_t i = 0; i < a.buses.size(); ++i) {
    const Bus &x = a.buses[i], &y = b.buses[i];
    EXPECT_TRUE(x.id == y.id && x.type == y.type && x.pd == y.pd && x.qd == y.qd && x.gs == y.gs && x.bs == y.bs &&
                x.area == y.area && x.vm == y.vm && x.va == y.va && x.base_kv == y.base_kv && x.zone == y.zone &&
                x.vmax == y.vmax && x.vmin == y.vmin)
        << "bus row " << i + 1;
  }
  for (std::size_t g = 0; g < a.generators.size(); ++g) {
    const Generator &x = a.generators[g], &y = b.generators[g];
    EXPECT_TRUE(x.bus == y.bus && x.pg == y.pg && x.qg == y.qg && x.qmax == y.qmax && x.qmin == y.qmin && x.vg == y.vg &&
                x.mbase == y.mbase && x.in_service == y.in_service && x.pmax == y.pmax && x.pmin == y.pmin)
        << "gen row " << g + 1;
  }
  for (std::size_t k = 0; k < a.branches.size(); ++k) {
    const Branch &x = a.branches[k], &y = b.branches[k];
    EXPECT_TRUE(x.from == y.from && x.to == y.to && x.r == y.r && x.x == y.x && x.b == y.b && x.rate_a == y.rate_a &&
                x.rate_b == y.rate_b && x.rate_c == y.rate_c && x.ratio == y.ratio && x.angle == y.angle &&
                x.in_service == y.in_service && x.angmin == y.angmin && x.angmax == y.angmax)
        << "branch row " << k + 1;
  }
}

TEST(MatpowerWriter, RoundTripsMatpowerCasesExactly) {
  for (const char* name : {"case9", "case118", "case300", "case2869pegase"}) {
    const PowerCase pc = read_matpower(test::case_path(name));
    const auto file = scratch(std::string(name) + ".m");
    write_matpower(file, pc);
    expect_same_case(pc, read_matpower(file));
  }
}

TEST(MatpowerWriter, WrittenSyntheticGridSolvesTheSame) {
  const PowerCase pc = synthetic_grid({.buses = 2000, .seed = 3});
  const auto file = scratch("synthetic2000.m");
  write_matpower(file, pc);
  const PowerCase back = read_matpower(file);
  expect_same_case(pc, back);
  PowerFlowOptions options;
  options.start = StartMode::flat;
  const PowerFlowResult a = solve_ac(pc, options), b = solve_ac(back, options);
  ASSERT_TRUE(a.converged());
  ASSERT_TRUE(b.converged());
  EXPECT_EQ(a.vm, b.vm);
  EXPECT_EQ(a.va_deg, b.va_deg);
}

TEST(MatpowerWriter, UnwritablePlaceIsAnIoError) {
  const PowerCase pc = read_matpower(test::case_path("case9"));
  EXPECT_THROW(write_matpower("/proc/citytwin-no/such/case9.m", pc), Error);
}

}  // namespace
}  // namespace citytwin::grid
