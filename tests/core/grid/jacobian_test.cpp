// The assembled sparse Jacobian against central finite differences of the
// mismatch, on cases with taps (case14), phase shifters and negative
// reactances (case300).
#include <gtest/gtest.h>

#include <cmath>

#include "core/grid/jacobian.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/network.hpp"
#include "core/grid/power_flow_math.hpp"
#include "core/grid/ybus.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

std::vector<double> mismatch(const Network& net, const Ybus& y, const JacobianPattern& jac, const std::vector<double>& vm,
                             const std::vector<double>& va, std::vector<Cplx>* currents = nullptr) {
  std::vector<Cplx> v(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) v[i] = polar(vm[i], va[i]);
  std::vector<double> f(jac.size, 0.0);
  if (currents) currents->resize(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    const Cplx cur = row_current(y.row_ptr[i], y.row_ptr[i + 1], y.col.data(), y.y.data(), v.data());
    if (currents) (*currents)[i] = cur;
    const Cplx mis = bus_mismatch(v[i], cur, net.s_sched[i]);
    if (jac.va_index[i] >= 0) f[jac.va_index[i]] = mis.re;
    if (jac.vm_index[i] >= 0) f[jac.vm_index[i]] = mis.im;
  }
  return f;
}

void check_jacobian(const std::string& name) {
  const PowerCase pc = read_matpower(test::case_path(name));
  const Network net = build_network(pc);
  const Ybus y = build_ybus(net, net.branch_active);
  JacobianPattern jac = build_jacobian_pattern(net, y);
  std::vector<double> vm(net.n_bus), va(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    vm[i] = pc.buses[i].vm * (1 + 0.01 * std::sin(i));  // a non-solution point
    va[i] = pc.buses[i].va * kDegToRad + 0.02 * std::cos(i);
  }
  std::vector<Cplx> currents, v(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) v[i] = polar(vm[i], va[i]);
  (void)mismatch(net, y, jac, vm, va, &currents);
  assemble_jacobian(jac, y, v, vm, currents);

  // Dense copy of the sparse Jacobian.
  const std::int32_t n = jac.size;
  std::vector<double> dense(static_cast<std::size_t>(n) * n, 0.0);
  for (std::int32_t c = 0; c < n; ++c) {
    for (std::int32_t p = jac.col_ptr[c]; p < jac.col_ptr[c + 1]; ++p) dense[static_cast<std::size_t>(jac.row_idx[p]) * n + c] = jac.values[p];
  }
  const double h = 1e-6;
  double worst = 0;
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    for (int kind = 0; kind < 2; ++kind) {
      const std::int32_t col = kind == 0 ? jac.va_index[i] : jac.vm_index[i];
      if (col < 0) continue;
      auto& x = kind == 0 ? va : vm;
      const double keep = x[i];
      x[i] = keep + h;
      const auto fp = mismatch(net, y, jac, vm, va);
      x[i] = keep - h;
      const auto fm = mismatch(net, y, jac, vm, va);
      x[i] = keep;
      for (std::int32_t r = 0; r < n; ++r) {
        const double fd = (fp[r] - fm[r]) / (2 * h);
        worst = std::max(worst, std::abs(fd - dense[static_cast<std::size_t>(r) * n + col]) / (1 + std::abs(fd)));
      }
    }
  }
  EXPECT_LT(worst, 1e-5) << name;
}

TEST(Jacobian, MatchesFiniteDifferencesCase14) { check_jacobian("case14"); }
TEST(Jacobian, MatchesFiniteDifferencesCase300) { check_jacobian("case300"); }

TEST(Ybus, PatternIsStructurallySymmetricWithDiagonals) {
  const PowerCase pc = read_matpower(test::case_path("case30"));
  const Network net = build_network(pc);
  const Ybus y = build_ybus(net, net.branch_active);
  for (std::int32_t i = 0; i < y.n; ++i) {
    ASSERT_GE(y.diag[i], 0);
    for (std::int32_t p = y.row_ptr[i]; p < y.row_ptr[i + 1]; ++p) {
      const std::int32_t k = y.col[p];
      bool found = false;
      for (std::int32_t q = y.row_ptr[k]; q < y.row_ptr[k + 1]; ++q) found |= y.col[q] == i;
      EXPECT_TRUE(found);
    }
  }
  // Without shunts and charging, each row of a line-only Ybus sums to zero.
  double row_sum_im = 0;
  for (std::int32_t p = y.row_ptr[0]; p < y.row_ptr[1]; ++p) row_sum_im += y.y[p].im;
  double expected = pc.buses[0].bs / pc.base_mva;
  for (std::size_t k = 0; k < pc.branches.size(); ++k) {
    if (pc.branches[k].from == pc.buses[0].id || pc.branches[k].to == pc.buses[0].id) expected += pc.branches[k].b / 2;
  }
  EXPECT_NEAR(row_sum_im, expected, 1e-9);
}

}  // namespace
}  // namespace citytwin::grid
