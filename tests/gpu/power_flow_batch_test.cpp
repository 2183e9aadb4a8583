// Batched AC power flow: the host version (the kernel bodies of
// gpu/kernels/batch_newton.hpp) against grid::AcPowerFlow solved item by item
// on MATPOWER cases with loads scaled per item, the unscaled item against
// MATPOWER's own solution, tiny pivots and divergent items reported (never
// dropped), and the GPU against the host version where a device exists.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/synthetic_grid.hpp"
#include "gpu/backend.hpp"
#include "gpu/kernels/batch_newton.hpp"
#include "gpu/power_flow_batch.hpp"
#include "gpu/power_flow_batch_chunks.hpp"
#include "tests/core/grid/reference_csv.hpp"

using namespace citytwin;

namespace {

std::filesystem::path matpower(const std::string& name) { return std::filesystem::path(CITYTWIN_REFERENCE_DATA) / "matpower" / (name + ".m"); }

// 24 hourly load factors (a daily curve, hour 0 exactly 1) times a few
// scenario levels; scenario 0 is 1, so item 0 is the case itself.
std::vector<double> day_factors(const std::vector<double>& scenarios) {
  std::vector<double> f;
  for (const double level : scenarios)
    for (int h = 0; h < 24; ++h) f.push_back(level * (h == 0 ? 1.0 : 0.85 + 0.25 * std::sin(3.14159265358979 * (h - 6) / 12.0)));
  return f;
}

// Item t of the injections as a case of its own (the oracle's input).
grid::PowerCase item_case(const grid::PowerCase& pc, const gpu::BatchInjections& inj, std::size_t t) {
  grid::PowerCase c = pc;
  const std::size_t n = pc.buses.size(), g = pc.generators.size();
  for (std::size_t i = 0; i < n; ++i) {
    c.buses[i].pd = inj.pd[t * n + i];
    c.buses[i].qd = inj.qd[t * n + i];
  }
  if (!inj.pg.empty())
    for (std::size_t k = 0; k < g; ++k) c.generators[k].pg = inj.pg[t * g + k];
  return c;
}

double angle_diff_deg(double a, double b) { return std::remainder(a - b, 360.0); }

struct Agreement {
  double vm = 0, va_deg = 0;
  int converged = 0;
};

// Every item of `got` against grid::solve_ac on that item alone: same
// convergence and Newton steps, Vm within tol pu and Va within tol rad.
Agreement expect_matches_item_by_item(const grid::PowerCase& pc, const gpu::BatchInjections& inj, const grid::PowerFlowOptions& options,
                                      const gpu::BatchPowerFlowResult& got, double tol, const std::string& label) {
  Agreement a;
  const std::size_t n = pc.buses.size();
  EXPECT_EQ(got.items, inj.items) << label;
  for (std::size_t t = 0; t < static_cast<std::size_t>(inj.items); ++t) {
    SCOPED_TRACE(label + " item " + std::to_string(t));
    const grid::PowerFlowResult ref = grid::solve_ac(item_case(pc, inj, t), options);
    const bool ref_converged = ref.status != grid::SolveStatus::not_converged;
    EXPECT_EQ(static_cast<bool>(got.converged[t]), ref_converged);
    if (!ref_converged) continue;
    ++a.converged;
    EXPECT_EQ(got.iterations[t], ref.iterations);
    EXPECT_LT(got.max_mismatch[t], options.tolerance);
    for (std::size_t i = 0; i < n; ++i) {
      a.vm = std::max(a.vm, std::abs(got.vm[t * n + i] - ref.vm[i]));
      a.va_deg = std::max(a.va_deg, std::abs(angle_diff_deg(got.va_deg[t * n + i], ref.va_deg[i])));
    }
  }
  EXPECT_LT(a.vm, tol) << label;
  EXPECT_LT(a.va_deg, tol / grid::kDegToRad) << label;
  return a;
}

}  // namespace

TEST(BatchPowerFlowPlan, RejectsWhatTheBatchDoesNotImplement) {
  const grid::PowerCase pc = grid::synthetic_grid({.buses = 200, .seed = 3});
  grid::PowerFlowOptions q_limits;
  q_limits.enforce_q_limits = true;
  EXPECT_THROW(gpu::batch_power_flow_plan(pc, q_limits), InvalidInput);
  grid::PowerFlowOptions dc_start;
  dc_start.start = grid::StartMode::dc;
  EXPECT_THROW(gpu::batch_power_flow_plan(pc, dc_start), InvalidInput);
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
  gpu::BatchInjections wrong = gpu::scaled_loads(pc, std::vector<double>{1.0, 0.9});
  wrong.pd.pop_back();
  EXPECT_THROW(gpu::cpu::solve_power_flow_batch(plan, wrong), InvalidInput);
}

// The device's schedule on the host: the start Jacobian of one item factored
// and solved level by level (rows of a level in reverse, as any order must
// do) gives the plain row-order result exactly (same arithmetic per row, its
// inputs final either way), and that solves J dx = f.
TEST(BatchPowerFlowPlan, LevelScheduleSolvesTheJacobian) {
  const grid::PowerCase pc = grid::synthetic_grid({.buses = 1000, .seed = 4});
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
  const gpu::NewtonPlanView p = plan.view();
  const auto n_bus = static_cast<std::size_t>(plan.n_bus), n = static_cast<std::size_t>(plan.n_rows);
  std::vector<double> vm(n_bus), va(n_bus), re(n_bus), im(n_bus), i_re(n_bus), i_im(n_bus), s_re(n_bus), s_im(n_bus);
  std::vector<double> lu(static_cast<std::size_t>(plan.factor_nnz())), rhs(n), scale(n);
  const gpu::BatchInjections inj = gpu::scaled_loads(pc, std::vector<double>{1.0});
  gpu::detail::pack_injections(plan, inj, 0, 1, 1, s_re.data(), s_im.data());
  gpu::detail::pack_start(plan, 1, vm.data(), va.data(), re.data(), im.data());
  const gpu::NewtonLanes b{1, vm.data(), va.data(), re.data(), im.data(), i_re.data(), i_im.data(), s_re.data(), s_im.data(),
                           lu.data(), rhs.data(), scale.data()};
  for (std::int32_t i = 0; i < plan.n_bus; ++i) gpu::bus_mismatch_lane(p, b, i, 0);
  for (std::int32_t i = 0; i < plan.n_bus; ++i) gpu::bus_jacobian_lane(p, b, i, 0);
  const std::vector<double> a = lu, f = rhs;

  for (std::int32_t r = 0; r < plan.n_rows; ++r) {
    ASSERT_TRUE(gpu::factor_row_lane(p, b, r, 0)) << "row " << r;
    gpu::forward_row_lane(p, b, r, 0);
  }
  for (std::int32_t r = plan.n_rows; r-- > 0;) gpu::backward_row_lane(p, b, r, 0);
  const std::vector<double> plain = rhs;

  std::copy(a.begin(), a.end(), lu.begin());
  std::copy(f.begin(), f.end(), rhs.begin());
  std::vector<std::uint8_t> seen(n, 0);
  for (std::size_t l = 0; l + 1 < plan.fwd_level_ptr.size(); ++l)
    for (std::int32_t t = plan.fwd_level_ptr[l + 1]; t-- > plan.fwd_level_ptr[l];) {
      const std::int32_t r = plan.fwd_rows[t];
      ++seen[r];
      ASSERT_TRUE(gpu::factor_row_lane(p, b, r, 0));
      gpu::forward_row_lane(p, b, r, 0);
    }
  for (std::size_t l = 0; l + 1 < plan.bwd_level_ptr.size(); ++l)
    for (std::int32_t t = plan.bwd_level_ptr[l + 1]; t-- > plan.bwd_level_ptr[l];) {
      ++seen[plan.bwd_rows[t]];
      gpu::backward_row_lane(p, b, plan.bwd_rows[t], 0);
    }
  for (std::size_t r = 0; r < n; ++r) ASSERT_EQ(seen[r], 2) << "row " << r << " must be in one forward and one backward level";
  for (std::size_t r = 0; r < n; ++r) ASSERT_EQ(rhs[r], plain[r]) << "row " << r;  // same operations in the same order per row

  double residual = 0, size = 0;
  for (std::size_t r = 0; r < n; ++r) {
    double ax = 0;
    for (std::int32_t e = plan.f_ptr[r]; e < plan.f_ptr[r + 1]; ++e) ax += a[static_cast<std::size_t>(e)] * plain[static_cast<std::size_t>(plan.f_col[e])];
    residual = std::max(residual, std::abs(ax - f[r]));
    size = std::max(size, std::abs(f[r]));
  }
  EXPECT_GT(size, 0.01);  // a real right-hand side
  EXPECT_LT(residual, 1e-10 * size);
  EXPECT_GT(plan.fwd_level_ptr.size(), 2u);
  EXPECT_LT(plan.fwd_level_ptr.size() - 1, n / 4);  // the levels give the device parallel rows
}

// The host version on every MATPOWER case at hand, 72 items each (24 hours x 3
// levels; the third level also moves the generators' P), and the KLU batch.
TEST(BatchPowerFlowHost, MatchesAcPowerFlowItemByItem) {
  int cases = 0;
  for (const char* name : {"case9", "case14", "case30", "case118", "case300", "case2869pegase"}) {
    if (!std::filesystem::exists(matpower(name))) {
      std::printf("%s not found (shared data): skipped\n", matpower(name).c_str());
      continue;
    }
    const grid::PowerCase pc = grid::read_matpower(matpower(name));
    const bool big = pc.buses.size() > 1000;
    const std::vector<double> factors = day_factors(big ? std::vector<double>{1.0} : std::vector<double>{1.0, 0.9, 1.05});
    gpu::BatchInjections inj = gpu::scaled_loads(pc, factors);
    const std::size_t g = pc.generators.size();
    inj.pg.resize(factors.size() * g);
    for (std::size_t t = 0; t < factors.size(); ++t)
      for (std::size_t k = 0; k < g; ++k) inj.pg[t * g + k] = pc.generators[k].pg * (t >= 48 ? factors[t] : 1.0);
    const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
    const gpu::BatchPowerFlowResult host = gpu::cpu::solve_power_flow_batch(plan, inj);
    const Agreement a = expect_matches_item_by_item(pc, inj, plan.options, host, 1e-8, std::string(name) + " host version");
    EXPECT_GT(a.converged, 0) << name;
    EXPECT_EQ(host.tiny_pivots, 0) << name;
    std::printf("%s: %d items, %d converged, LU fill %lld of Jacobian %lld, %zu levels; host version vs AcPowerFlow |dVm| %.1e pu, |dVa| %.1e deg\n",
                name, inj.items, host.converged_count(), static_cast<long long>(plan.factor_nnz()), static_cast<long long>(plan.jacobian_nnz),
                plan.fwd_level_ptr.size() - 1, a.vm, a.va_deg);
    const gpu::BatchPowerFlowResult klu = gpu::cpu::klu_power_flow_batch(plan, inj);
    expect_matches_item_by_item(pc, inj, plan.options, klu, 1e-12, std::string(name) + " KLU batch");
    ++cases;
  }
  if (cases == 0) GTEST_SKIP() << "no MATPOWER cases in " << CITYTWIN_REFERENCE_DATA;
}

// The unscaled item (item 0) against MATPOWER's solution shipped with the data:
// the tolerances and Newton steps of the grid module's MATPOWER tests.
TEST(BatchPowerFlowHost, UnscaledItemMatchesMatpower) {
  for (const auto& [name, steps] : {std::pair<const char*, int>{"case118", 3}, {"case2869pegase", 6}}) {
    if (!std::filesystem::exists(matpower(name))) GTEST_SKIP() << matpower(name) << " not found (shared data)";
    const grid::PowerCase pc = grid::read_matpower(matpower(name));
    const gpu::BatchPowerFlowResult r = gpu::cpu::solve_power_flow_batch(gpu::batch_power_flow_plan(pc), gpu::scaled_loads(pc, day_factors({1.0})));
    ASSERT_TRUE(r.converged[0]) << name;
    EXPECT_EQ(r.iterations[0], steps) << name;
    EXPECT_FALSE(r.by_klu[0]) << name;
    const auto bus = grid::test::read_reference(std::string(name) + "_ac_bus.csv");
    ASSERT_EQ(bus.rows, pc.buses.size());
    double worst_vm = 0, worst_va = 0;
    for (std::size_t i = 0; i < bus.rows; ++i) {
      worst_vm = std::max(worst_vm, std::abs(r.vm[i] - bus["Vm_pu"][i]));
      worst_va = std::max(worst_va, std::abs(angle_diff_deg(r.va_deg[i], bus["Va_deg"][i])));
    }
    EXPECT_LT(worst_vm, 1e-6) << name;
    EXPECT_LT(worst_va, 1e-5) << name;
  }
}

// Loads far beyond the case's ability to carry them: those items stop
// without converging and are reported as such (as AcPowerFlow reports them);
// the others are unaffected.
TEST(BatchPowerFlowHost, ReportsItemsThatDoNotConverge) {
  if (!std::filesystem::exists(matpower("case30"))) GTEST_SKIP() << matpower("case30") << " not found (shared data)";
  const grid::PowerCase pc = grid::read_matpower(matpower("case30"));
  const std::vector<double> factors{1.0, 8.0, 0.7, 12.0, 1.1};
  const gpu::BatchInjections inj = gpu::scaled_loads(pc, factors);
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
  const gpu::BatchPowerFlowResult r = gpu::cpu::solve_power_flow_batch(plan, inj);
  ASSERT_EQ(r.items, 5);
  const Agreement a = expect_matches_item_by_item(pc, inj, plan.options, r, 1e-8, "case30 overloaded");
  EXPECT_EQ(a.converged, r.converged_count());
  EXPECT_LT(r.converged_count(), 5);  // the overloaded items fail...
  EXPECT_TRUE(r.converged[0] && r.converged[2] && r.converged[4]);  // ...the rest do not
  for (std::size_t t : {1u, 3u}) {
    if (r.converged[t]) continue;
    EXPECT_GT(r.iterations[t], 0);
    EXPECT_FALSE(std::abs(r.max_mismatch[t]) < plan.options.tolerance);  // reported, not zeroed
  }
}

// A PQ bus between two branches of opposite reactance (a line and a series
// capacitor that cancel) has an all-zero 2 x 2 Jacobian block at a flat start:
// the static-pivot LU meets a zero pivot there, so every item goes to KLU
// (partial pivoting) and is counted; the results are AcPowerFlow's.
TEST(BatchPowerFlowHost, TinyPivotItemsAreResolvedByKlu) {
  if (!std::filesystem::exists(matpower("case14"))) GTEST_SKIP() << matpower("case14") << " not found (shared data)";
  grid::PowerCase pc = grid::read_matpower(matpower("case14"));
  grid::Bus mid;
  mid.id = 100;
  mid.base_kv = pc.buses[3].base_kv;
  pc.buses.push_back(mid);
  grid::Branch line, capacitor;
  line.from = 4, line.to = 100, line.x = 0.1;
  capacitor.from = 100, capacitor.to = 9, capacitor.x = -0.1;
  pc.branches.push_back(line);
  pc.branches.push_back(capacitor);
  const gpu::BatchInjections inj = gpu::scaled_loads(pc, std::vector<double>{1.0, 0.8, 1.1});
  grid::PowerFlowOptions flat;
  flat.start = grid::StartMode::flat;
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc, flat);
  const gpu::BatchPowerFlowResult r = gpu::cpu::solve_power_flow_batch(plan, inj);
  EXPECT_EQ(r.tiny_pivots, 3);
  for (std::size_t t = 0; t < 3; ++t) EXPECT_TRUE(r.by_klu[t]) << "item " << t;
  const Agreement a = expect_matches_item_by_item(pc, inj, plan.options, r, 1e-12, "case14 + cancelling branches");
  EXPECT_EQ(a.converged, 3);
}

// The LU body lane by lane on a hand-built 2 x 2 pattern [[a, 1], [1, 1]]:
// lane 0 (a = 2) solves, lane 1 (a = 0, a zero static pivot) is flagged.
TEST(BatchNewtonBodies, TinyPivotIsFlaggedPerLane) {
  const std::vector<std::int32_t> f_ptr{0, 2, 4}, f_col{0, 1, 0, 1}, f_diag{0, 3}, upd_begin{-1, -1, 0, -1}, upd_target{3};
  gpu::NewtonPlanView p;
  p.n_rows = 2;
  p.f_ptr = f_ptr.data();
  p.f_col = f_col.data();
  p.f_diag = f_diag.data();
  p.upd_begin = upd_begin.data();
  p.upd_target = upd_target.data();
  std::vector<double> lu{2, 0, 1, 1, 1, 1, 1, 1}, rhs{3, 1, 2, 1}, scale{2, 1, 1, 1};  // interleaved, stride 2
  gpu::NewtonLanes b;
  b.stride = 2;
  b.lu = lu.data();
  b.rhs = rhs.data();
  b.scale = scale.data();
  EXPECT_TRUE(gpu::factor_row_lane(p, b, 0, 0));
  EXPECT_FALSE(gpu::factor_row_lane(p, b, 0, 1));
  gpu::forward_row_lane(p, b, 0, 0);
  ASSERT_TRUE(gpu::factor_row_lane(p, b, 1, 0));
  gpu::forward_row_lane(p, b, 1, 0);
  gpu::backward_row_lane(p, b, 1, 0);
  gpu::backward_row_lane(p, b, 0, 0);
  EXPECT_NEAR(rhs[0], 1.0, 1e-15);  // 2x + y = 3, x + y = 2
  EXPECT_NEAR(rhs[2], 1.0, 1e-15);
}

// A synthetic 1000-bus grid (several regions, phase shifters, tap changers):
// the host version against the KLU batch over 48 items.
TEST(BatchPowerFlowHost, MatchesKluBatchOnASyntheticGrid) {
  const grid::PowerCase pc = grid::synthetic_grid({.buses = 1000, .seed = 11});
  const gpu::BatchInjections inj = gpu::scaled_loads(pc, day_factors({1.0, 0.95}));
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
  const gpu::BatchPowerFlowResult host = gpu::cpu::solve_power_flow_batch(plan, inj);
  const gpu::BatchPowerFlowResult klu = gpu::cpu::klu_power_flow_batch(plan, inj);
  ASSERT_EQ(host.vm.size(), klu.vm.size());
  double vm = 0, va = 0;
  for (std::size_t t = 0; t < static_cast<std::size_t>(inj.items); ++t) {
    EXPECT_EQ(host.converged[t], klu.converged[t]) << "item " << t;
    EXPECT_EQ(host.iterations[t], klu.iterations[t]) << "item " << t;
  }
  for (std::size_t k = 0; k < host.vm.size(); ++k) {
    vm = std::max(vm, std::abs(host.vm[k] - klu.vm[k]));
    va = std::max(va, std::abs(angle_diff_deg(host.va_deg[k], klu.va_deg[k])));
  }
  EXPECT_EQ(host.converged_count(), inj.items);
  EXPECT_LT(vm, 1e-8);
  EXPECT_LT(va, 1e-8 / grid::kDegToRad);
}

TEST(GpuPowerFlowBatch, EqualsTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  std::vector<grid::PowerCase> cases{grid::synthetic_grid({.buses = 2000, .seed = 5})};
  for (const char* name : {"case118", "case2869pegase"})
    if (std::filesystem::exists(matpower(name))) cases.push_back(grid::read_matpower(matpower(name)));
  for (const grid::PowerCase& pc : cases) {
    // 120 items in two chunks of 64 lanes (64 + 56 items, the rest padding).
    const gpu::BatchInjections inj = gpu::scaled_loads(pc, day_factors({1.0, 0.9, 1.05, 1.1, 0.8}));
    const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
    gpu::KernelTimes times;
    const gpu::BatchPowerFlowResult got = gpu::solve_power_flow_batch(plan, inj, &times, 64);
    const gpu::BatchPowerFlowResult one_chunk = gpu::solve_power_flow_batch(plan, inj);
    EXPECT_EQ(one_chunk.vm, got.vm) << pc.name << ": the chunking must not change any item";
    const gpu::BatchPowerFlowResult host = gpu::cpu::solve_power_flow_batch(plan, inj);
    ASSERT_EQ(got.vm.size(), host.vm.size());
    double vm = 0, va = 0;
    for (std::size_t t = 0; t < static_cast<std::size_t>(inj.items); ++t) {
      EXPECT_EQ(got.converged[t], host.converged[t]) << pc.name << " item " << t;
      EXPECT_EQ(got.iterations[t], host.iterations[t]) << pc.name << " item " << t;
      EXPECT_EQ(got.by_klu[t], host.by_klu[t]) << pc.name << " item " << t;
    }
    // FMA contraction and the device's sin / cos differ from the host's in the
    // last bits only; items that did not converge amplify them, so only
    // converged items are compared value by value.
    const std::size_t n = pc.buses.size();
    for (std::size_t t = 0; t < static_cast<std::size_t>(inj.items); ++t) {
      if (!host.converged[t]) continue;
      for (std::size_t k = t * n; k < (t + 1) * n; ++k) {
        vm = std::max(vm, std::abs(got.vm[k] - host.vm[k]));
        va = std::max(va, std::abs(angle_diff_deg(got.va_deg[k], host.va_deg[k])));
      }
    }
    EXPECT_GT(host.converged_count(), 0) << pc.name;
    EXPECT_LT(vm, 1e-9) << pc.name;
    EXPECT_LT(va, 1e-9 / grid::kDegToRad) << pc.name;
    std::printf("%s: %d items on the GPU in %.2f ms device + %.2f ms host, |dVm| %.1e, |dVa| %.1e deg vs the host version\n", pc.name.c_str(),
                inj.items, times.device_ms, times.host_ms, vm, va);
  }
}

TEST(GpuPowerFlowBatch, ThrowsBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  const grid::PowerCase pc = grid::synthetic_grid({.buses = 100, .seed = 3});
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc);
  EXPECT_THROW(gpu::solve_power_flow_batch(plan, gpu::scaled_loads(pc, std::vector<double>{1.0})), BackendUnavailable);
}
