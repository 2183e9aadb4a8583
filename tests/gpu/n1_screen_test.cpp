// DC N-1 screening as dense products: the plan and the per-outage body on the
// host (dense LU written out here) against grid::screen_n_minus_1, and the GPU
// (cuSOLVER + cuBLAS) against the same CPU screening.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "core/common/errors.hpp"
#include "core/grid/contingency.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/synthetic_grid.hpp"
#include "gpu/backend.hpp"
#include "gpu/dc_screen_plan.hpp"
#include "tests/support/test_seed.hpp"

using namespace citytwin;

namespace {

std::filesystem::path matpower(const std::string& name) { return std::filesystem::path(CITYTWIN_REFERENCE_DATA) / "matpower" / name; }

// The device's dense steps on the host: W = B^-1 R by Gaussian elimination
// with partial pivoting, PT = W^T M^T, then screen_outage per outage column.
std::vector<grid::OutageResult> dense_on_host(const gpu::DcScreenPlan& p) {
  const auto nr = static_cast<std::size_t>(p.nr), m = p.active.size();
  std::vector<double> a = p.b_dense, w(nr * m, 0.0);
  for (std::size_t c = 0; c < m; ++c) {
    if (p.from_row[c] >= 0) w[static_cast<std::size_t>(p.from_row[c]) + c * nr] += 1;
    if (p.to_row[c] >= 0) w[static_cast<std::size_t>(p.to_row[c]) + c * nr] -= 1;
  }
  for (std::size_t k = 0; k < nr; ++k) {
    std::size_t piv = k;
    for (std::size_t i = k + 1; i < nr; ++i)
      if (std::abs(a[i + k * nr]) > std::abs(a[piv + k * nr])) piv = i;
    for (std::size_t j = 0; j < nr; ++j) std::swap(a[k + j * nr], a[piv + j * nr]);
    for (std::size_t c = 0; c < m; ++c) std::swap(w[k + c * nr], w[piv + c * nr]);
    for (std::size_t i = k + 1; i < nr; ++i) {
      const double f = a[i + k * nr] / a[k + k * nr];
      if (f == 0) continue;
      for (std::size_t j = k; j < nr; ++j) a[i + j * nr] -= f * a[k + j * nr];
      for (std::size_t c = 0; c < m; ++c) w[i + c * nr] -= f * w[k + c * nr];
    }
  }
  for (std::size_t c = 0; c < m; ++c)
    for (std::size_t k = nr; k-- > 0;) {
      double v = w[k + c * nr];
      for (std::size_t j = k + 1; j < nr; ++j) v -= a[k + j * nr] * w[j + c * nr];
      w[k + c * nr] = v / a[k + k * nr];
    }
  std::vector<double> pt(m * m, 0.0);
  for (std::size_t c = 0; c < m; ++c)
    for (std::size_t r = 0; r < m; ++r) {
      double v = 0;
      if (p.from_row[r] >= 0) v += p.b[r] * w[static_cast<std::size_t>(p.from_row[r]) + c * nr];
      if (p.to_row[r] >= 0) v -= p.b[r] * w[static_cast<std::size_t>(p.to_row[r]) + c * nr];
      pt[c + r * m] = v;
    }
  std::vector<gpu::OutageScreen> screens(m);
  for (std::size_t c = 0; c < m; ++c)
    screens[c] = gpu::screen_outage(pt.data() + c, static_cast<std::int64_t>(m), static_cast<std::int32_t>(c), p.f0[c],
                                    static_cast<std::int32_t>(p.mon_row.size()), p.mon_row.data(), p.mon_f0.data(),
                                    p.mon_inv_rating.data(), p.mon_base.data(), p.threshold);
  return gpu::outage_results(p, screens);
}

void expect_same_screening(const std::vector<grid::OutageResult>& got, const std::vector<grid::OutageResult>& cpu, const std::string& label) {
  ASSERT_EQ(got.size(), cpu.size()) << label;
  std::size_t overloading = 0;
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(label + " outage of branch " + std::to_string(cpu[i].branch));
    EXPECT_EQ(got[i].branch, cpu[i].branch);
    ASSERT_EQ(got[i].islanding, cpu[i].islanding);
    if (cpu[i].islanding) continue;
    // Dense LU + GEMM versus KLU: the same loadings within rounding.
    EXPECT_NEAR(got[i].max_loading_percent, cpu[i].max_loading_percent, 1e-7 * std::max(1.0, cpu[i].max_loading_percent));
    if (got[i].worst_branch != cpu[i].worst_branch) {
      EXPECT_LT(cpu[i].max_loading_percent, 1e-9);  // only when there is no worst branch either way
    }
    EXPECT_EQ(got[i].overloaded_branches, cpu[i].overloaded_branches);
    overloading += cpu[i].overloads;
    worst = std::max(worst, cpu[i].max_loading_percent);
  }
  std::printf("%s: %zu outages, %zu overloading, worst loading %.1f %%\n", label.c_str(), cpu.size(), overloading, worst);
}

std::uint64_t synth_seed() { return citytwin::testing::test_seed(7); }

grid::ContingencyOptions dc_only() {
  grid::ContingencyOptions o;
  o.ac_confirm = 0;
  o.overload_percent = 30;  // the synthetic grids peak near 40 %: many overloads to compare
  return o;
}

}  // namespace

// case118 and case300 carry no ratings (only islanding and the factors are
// compared there); the synthetic grid is rated, so loadings and overloads are.
TEST(DcScreenPlan, DenseProductsOnTheHostMatchTheCpuScreening) {
  for (const std::int32_t buses : {200, 600}) {
    const grid::PowerCase pc = grid::synthetic_grid({.buses = buses, .seed = synth_seed()});
    const auto options = dc_only();
    const auto cpu = grid::screen_n_minus_1(pc, options);
    ASSERT_GT(cpu.rated_branches, 0u);
    expect_same_screening(dense_on_host(gpu::dc_screen_plan(pc, options)), cpu.outages, "synthetic " + std::to_string(buses) + " buses");
  }
  for (const char* name : {"case118.m", "case300.m"}) {
    if (!std::filesystem::exists(matpower(name))) GTEST_SKIP() << matpower(name) << " not found (shared data)";
    const grid::PowerCase pc = grid::read_matpower(matpower(name));
    const auto options = dc_only();
    const gpu::DcScreenPlan plan = gpu::dc_screen_plan(pc, options);
    EXPECT_EQ(plan.b_dense.size(), static_cast<std::size_t>(plan.nr) * static_cast<std::size_t>(plan.nr));
    expect_same_screening(dense_on_host(plan), grid::screen_n_minus_1(pc, options).outages, name);
  }
}

TEST(GpuN1Screen, EqualsTheCpuScreening) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  for (const std::int32_t buses : {2000, 10000}) {
    const grid::PowerCase pc = grid::synthetic_grid({.buses = buses, .seed = synth_seed()});
    const auto options = dc_only();
    expect_same_screening(gpu::screen_n_minus_1_dc(pc, options), grid::screen_n_minus_1(pc, options).outages,
                          "synthetic " + std::to_string(buses) + " buses");
  }
  for (const char* name : {"case300.m", "case2869pegase.m"}) {
    if (!std::filesystem::exists(matpower(name))) GTEST_SKIP() << matpower(name) << " not found (shared data)";
    const grid::PowerCase pc = grid::read_matpower(matpower(name));
    const auto options = dc_only();
    expect_same_screening(gpu::screen_n_minus_1_dc(pc, options), grid::screen_n_minus_1(pc, options).outages, name);
  }
}

TEST(GpuN1Screen, ThrowsBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  grid::PowerCase none;
  EXPECT_THROW(gpu::screen_n_minus_1_dc(none, dc_only()), BackendUnavailable);
}
