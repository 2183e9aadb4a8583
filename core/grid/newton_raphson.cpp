#include "core/grid/newton_raphson.hpp"

#include "core/grid/plausibility.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/grid/dc_powerflow.hpp"
#include "core/grid/power_flow_math.hpp"

namespace citytwin::grid {

namespace {

// Q-limit violations smaller than this (MVAr) are ignored (MATPOWER's opf.violation).
constexpr double kQViolation = 5e-6;

}  // namespace

AcPowerFlow::AcPowerFlow(PowerCase pc, PowerFlowOptions options)
    : pc_(std::move(pc)), options_(std::move(options)) {
  net_ = build_network(pc_, options_.network);
  ybus_ = build_ybus(net_, net_.branch_active);
  branch_out_.assign(pc_.branches.size(), 0);
  gen_qg_.resize(pc_.generators.size());
  for (std::size_t g = 0; g < gen_qg_.size(); ++g) gen_qg_[g] = pc_.generators[g].qg;
  base_role_ = net_.role;
  rebuild_pattern();
}

void AcPowerFlow::rebuild_pattern() {
  jac_ = build_jacobian_pattern(net_, ybus_);
  if (jac_.size > 0) lu_.analyze_given(jac_.size, jac_.col_ptr, jac_.row_idx, bus_block_order(jac_, ybus_));
}

void AcPowerFlow::recompute_injections() {
  const double base = pc_.base_mva;
  for (std::int32_t i = 0; i < net_.n_bus; ++i) {
    net_.s_sched[i] = net_.role[i] == BusRole::deenergised
                          ? Cplx{}
                          : Cplx{-pc_.buses[i].pd / base, -pc_.buses[i].qd / base};
  }
  for (std::size_t g = 0; g < pc_.generators.size(); ++g) {
    if (!net_.gen_active[g]) continue;
    Cplx& s = net_.s_sched[net_.index.gen_bus[g]];
    s.re += pc_.generators[g].pg / base;
    s.im += gen_qg_[g] / base;
  }
}

void AcPowerFlow::set_branch_outage(std::size_t k, bool out) {
  if (k >= branch_out_.size()) throw std::out_of_range("set_branch_outage: no such branch");
  if (static_cast<bool>(branch_out_[k]) == out) return;
  if (ybus_.branch_pos[k][0] < 0) {
    throw std::invalid_argument("set_branch_outage: branch " + std::to_string(k + 1) +
                                " is not in service in the base case");
  }
  add_branch(ybus_, k, net_.branch_y[k], out ? -1.0 : 1.0);
  net_.branch_active[k] = out ? 0 : 1;
  branch_out_[k] = out ? 1 : 0;
}

void AcPowerFlow::set_injections(const std::vector<Bus>& buses, const std::vector<Generator>& generators) {
  if (buses.size() != pc_.buses.size() || generators.size() != pc_.generators.size()) {
    throw std::invalid_argument("set_injections: bus or generator count differs from the case");
  }
  for (std::size_t i = 0; i < buses.size(); ++i) {
    pc_.buses[i].pd = buses[i].pd;
    pc_.buses[i].qd = buses[i].qd;
  }
  for (std::size_t g = 0; g < generators.size(); ++g) {
    pc_.generators[g].pg = generators[g].pg;
    pc_.generators[g].qg = generators[g].qg;
    pc_.generators[g].vg = generators[g].vg;
    if (net_.gen_active[g]) net_.v_set[net_.index.gen_bus[g]] = generators[g].vg;
  }
}

void AcPowerFlow::start_voltages(StartMode mode, std::vector<double>& vm, std::vector<double>& va_deg) const {
  const std::int32_t n = net_.n_bus;
  vm.assign(n, 1.0);
  va_deg.assign(n, 0.0);
  std::vector<double> theta;
  if (mode == StartMode::dc) {
    const DcModel model = build_dc_model(pc_, net_);
    theta = dc_angles(pc_, net_, model);
  }
  for (std::int32_t i = 0; i < n; ++i) {
    const BusRole role = base_role_[i];
    if (role == BusRole::deenergised) {
      vm[i] = 0;
      continue;
    }
    switch (mode) {
      case StartMode::case_voltages:
        vm[i] = pc_.buses[i].vm;
        va_deg[i] = pc_.buses[i].va;
        break;
      case StartMode::flat:
        va_deg[i] = role == BusRole::slack ? pc_.buses[i].va : 0.0;
        break;
      case StartMode::dc:
        va_deg[i] = theta[i] / kDegToRad;
        break;
    }
    if (role == BusRole::pv || role == BusRole::slack) vm[i] = net_.v_set[i];
  }
}

PowerFlowResult AcPowerFlow::solve() {
  std::vector<double> vm, va;
  const auto t0 = std::chrono::steady_clock::now();
  start_voltages(options_.start, vm, va);
  PowerFlowResult result = solve_from(vm, va);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

int AcPowerFlow::newton(std::vector<Cplx>& v, std::vector<double>& vm, std::vector<double>& va, double& norm_f,
                        std::vector<double>& f) {
  const std::int32_t n = net_.n_bus;
  std::vector<Cplx> current(n);
  f.assign(jac_.size, 0.0);
  const auto& va_index = jac_.va_index;
  const auto& vm_index = jac_.vm_index;

  auto mismatch = [&] {
    double norm = 0;
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t ip = va_index[i], iq = vm_index[i];
      if (ip < 0 && net_.role[i] == BusRole::deenergised) continue;
      const Cplx i_i = row_current(ybus_.row_ptr[i], ybus_.row_ptr[i + 1], ybus_.col.data(), ybus_.y.data(), v.data());
      current[i] = i_i;
      if (ip < 0) continue;  // slack
      const Cplx mis = bus_mismatch(v[i], i_i, net_.s_sched[i]);
      f[ip] = mis.re;
      norm = std::max(norm, std::abs(mis.re));
      if (iq >= 0) {
        f[iq] = mis.im;
        norm = std::max(norm, std::abs(mis.im));
      }
      if (std::isnan(mis.re) || std::isnan(mis.im)) norm = std::numeric_limits<double>::infinity();
    }
    return norm;
  };

  norm_f = mismatch();
  int iterations = 0;
  std::vector<double> dx(jac_.size);
  while (norm_f >= options_.tolerance && iterations < options_.max_iterations) {
    ++iterations;
    assemble_jacobian(jac_, ybus_, v, vm, current);
    const bool ok = lu_.factored() ? lu_.refactor(jac_.values.data()) : lu_.factor(jac_.values.data());
    if (!ok) {
      norm_f = std::numeric_limits<double>::infinity();
      break;
    }
    std::copy(f.begin(), f.end(), dx.begin());
    lu_.solve(dx.data());
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t ip = va_index[i], iq = vm_index[i];
      if (ip < 0) continue;
      va[i] -= dx[ip];
      if (iq >= 0) vm[i] -= dx[iq];
      v[i] = polar(vm[i], va[i]);
    }
    norm_f = mismatch();
    if (!std::isfinite(norm_f) || norm_f > 1e10) break;  // diverged
  }
  return iterations;
}

PowerFlowResult AcPowerFlow::solve_from(const std::vector<double>& vm_start, const std::vector<double>& va_start) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::int32_t n = net_.n_bus;
  if (static_cast<std::int32_t>(vm_start.size()) != n || static_cast<std::int32_t>(va_start.size()) != n) {
    throw std::invalid_argument("solve_from: start vectors must have one entry per bus");
  }
  // Undo the PV -> PQ switching of an earlier solve.
  for (std::size_t g = 0; g < gen_qg_.size(); ++g) gen_qg_[g] = pc_.generators[g].qg;
  if (net_.role != base_role_) {
    net_.role = base_role_;
    rebuild_pattern();
  }
  recompute_injections();

  std::vector<double> vm(n), va(n);
  std::vector<Cplx> v(n);
  for (std::int32_t i = 0; i < n; ++i) {
    const bool live = net_.role[i] != BusRole::deenergised;
    vm[i] = live ? vm_start[i] : 0.0;
    if (live && (net_.role[i] == BusRole::pv || net_.role[i] == BusRole::slack)) vm[i] = net_.v_set[i];
    va[i] = live ? va_start[i] * kDegToRad : 0.0;
    v[i] = polar(vm[i], va[i]);
  }
  double norm_f = 0;
  std::vector<double> f;
  int iterations = newton(v, vm, va, norm_f, f);
  bool converged = norm_f < options_.tolerance;

  std::vector<std::int64_t> switched;
  for (int round = 0; options_.enforce_q_limits && converged && round < options_.max_q_limit_rounds; ++round) {
    std::vector<double> pg, qg;
    generator_output(v, pg, qg);
    bool any = false;
    std::vector<std::uint8_t> violating_bus(n, 0);
    for (std::size_t g = 0; g < qg.size(); ++g) {
      if (!net_.gen_active[g]) continue;
      const std::int32_t bus = net_.index.gen_bus[g];
      if (net_.role[bus] != BusRole::pv) continue;  // the slack is never limited
      const Generator& gen = pc_.generators[g];
      if (qg[g] > gen.qmax + kQViolation || qg[g] < gen.qmin - kQViolation) violating_bus[bus] = 1;
    }
    for (std::size_t g = 0; g < qg.size(); ++g) {
      if (!net_.gen_active[g]) continue;
      const std::int32_t bus = net_.index.gen_bus[g];
      if (!violating_bus[bus]) continue;
      gen_qg_[g] = std::clamp(qg[g], std::min(pc_.generators[g].qmin, pc_.generators[g].qmax), pc_.generators[g].qmax);
    }
    for (std::int32_t i = 0; i < n; ++i) {
      if (!violating_bus[i]) continue;
      any = true;
      net_.role[i] = BusRole::pq;
      switched.push_back(pc_.buses[i].id);
    }
    if (!any) break;
    recompute_injections();
    rebuild_pattern();
    iterations += newton(v, vm, va, norm_f, f);
    converged = norm_f < options_.tolerance;
  }

  PowerFlowResult result = finish(v, iterations, norm_f, f, converged);
  result.pv_to_pq_buses = std::move(switched);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

void AcPowerFlow::generator_output(const std::vector<Cplx>& v, std::vector<double>& pg, std::vector<double>& qg) const {
  const std::int32_t n = net_.n_bus;
  const double base = pc_.base_mva;
  const std::size_t n_gen = pc_.generators.size();
  pg.assign(n_gen, 0.0);
  qg.assign(n_gen, 0.0);
  // Per bus: the generators whose Q (PV and slack) or P (slack) the solution sets.
  std::vector<std::int32_t> count(n, 0), first(n, -1);
  std::vector<double> sum_qmin(n, 0.0), sum_qmax(n, 0.0), other_pg(n, 0.0);
  std::vector<std::uint8_t> finite_limits(n, 1);
  for (std::size_t g = 0; g < n_gen; ++g) {
    if (!net_.gen_active[g]) continue;
    const std::int32_t bus = net_.index.gen_bus[g];
    pg[g] = pc_.generators[g].pg;
    qg[g] = gen_qg_[g];
    const BusRole role = net_.role[bus];
    if (role != BusRole::pv && role != BusRole::slack) continue;
    ++count[bus];
    if (first[bus] < 0) {
      first[bus] = static_cast<std::int32_t>(g);
    } else {
      other_pg[bus] += pc_.generators[g].pg;
    }
    sum_qmin[bus] += pc_.generators[g].qmin;
    sum_qmax[bus] += pc_.generators[g].qmax;
    if (!std::isfinite(pc_.generators[g].qmin) || !std::isfinite(pc_.generators[g].qmax)) finite_limits[bus] = 0;
  }
  std::vector<Cplx> s_bus(n);
  for (std::int32_t i = 0; i < n; ++i) {
    if (count[i] == 0) continue;
    const Cplx cur = row_current(ybus_.row_ptr[i], ybus_.row_ptr[i + 1], ybus_.col.data(), ybus_.y.data(), v.data());
    s_bus[i] = v[i] * conj(cur);
  }
  for (std::size_t g = 0; g < n_gen; ++g) {
    if (!net_.gen_active[g]) continue;
    const std::int32_t bus = net_.index.gen_bus[g];
    if (count[bus] == 0) continue;
    const double q_total = s_bus[bus].im * base + pc_.buses[bus].qd;
    const double range = sum_qmax[bus] - sum_qmin[bus];
    if (count[bus] == 1) {
      qg[g] = q_total;
    } else if (finite_limits[bus] && std::abs(range) > 10 * std::numeric_limits<double>::epsilon()) {
      const Generator& gen = pc_.generators[g];
      qg[g] = gen.qmin + (q_total - sum_qmin[bus]) / (range + std::numeric_limits<double>::epsilon()) *
                             (gen.qmax - gen.qmin);
    } else {
      qg[g] = q_total / count[bus];
    }
    if (net_.role[bus] == BusRole::slack && first[bus] == static_cast<std::int32_t>(g)) {
      pg[g] = s_bus[bus].re * base + pc_.buses[bus].pd - other_pg[bus];
    }
  }
}

PowerFlowResult AcPowerFlow::finish(const std::vector<Cplx>& v, int iterations, double norm_f,
                                    const std::vector<double>& f, bool converged) const {
  PowerFlowResult res;
  const std::int32_t n = net_.n_bus;
  const double base = pc_.base_mva;
  res.iterations = iterations;
  res.max_mismatch = norm_f;
  res.islands = net_.islands.count;
  res.warnings = net_.warnings;
  res.vm.assign(n, 0.0);
  res.va_deg.assign(n, 0.0);
  res.energised.assign(n, 0);
  res.min_vm = std::numeric_limits<double>::infinity();
  res.max_vm = -std::numeric_limits<double>::infinity();
  for (std::int32_t i = 0; i < n; ++i) {
    if (net_.role[i] == BusRole::deenergised) {
      res.deenergised_buses.push_back(pc_.buses[i].id);
      continue;
    }
    res.energised[i] = 1;
    res.vm[i] = std::sqrt(abs2(v[i]));
    res.va_deg[i] = std::atan2(v[i].im, v[i].re) / kDegToRad;
    res.min_vm = std::min(res.min_vm, res.vm[i]);
    res.max_vm = std::max(res.max_vm, res.vm[i]);
  }
  if (res.min_vm > res.max_vm) res.min_vm = res.max_vm = 0;

  const std::size_t m = pc_.branches.size();
  res.pf.assign(m, 0.0);
  res.qf.assign(m, 0.0);
  res.pt.assign(m, 0.0);
  res.qt.assign(m, 0.0);
  double losses = 0;
  for (std::size_t k = 0; k < m; ++k) {
    if (!net_.branch_active[k]) continue;
    const BranchFlow flow = branch_flow(net_.branch_y[k], v[net_.index.branch_from[k]], v[net_.index.branch_to[k]]);
    res.pf[k] = flow.sf.re * base;
    res.qf[k] = flow.sf.im * base;
    res.pt[k] = flow.st.re * base;
    res.qt[k] = flow.st.im * base;
    losses += res.pf[k] + res.pt[k];
  }
  res.losses_mw = losses;
  generator_output(v, res.pg, res.qg);

  if (!converged) {
    res.status = SolveStatus::not_converged;
    struct Worst {
      double size;
      std::int32_t bus;
      double p, q;
    };
    std::vector<Worst> worst;
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t ip = jac_.va_index[i], iq = jac_.vm_index[i];
      if (ip < 0 || f.empty()) continue;
      const double p = f[ip], q = iq >= 0 ? f[iq] : 0.0;
      const double size = std::isnan(p) || std::isnan(q) ? std::numeric_limits<double>::infinity() : std::hypot(p, q);
      worst.push_back({size, i, p, q});
    }
    const std::size_t keep = std::min<std::size_t>(worst.size(), std::max(0, options_.report_worst_buses));
    std::partial_sort(worst.begin(), worst.begin() + static_cast<std::ptrdiff_t>(keep), worst.end(),
                      [](const Worst& a, const Worst& b) { return a.size > b.size; });
    for (std::size_t w = 0; w < keep; ++w) {
      res.worst_buses.push_back({pc_.buses[worst[w].bus].id, worst[w].p * base, worst[w].q * base});
    }
    return res;
  }

  // Converged: is it a plausible operating point?
  for (const std::int32_t i : implausible_buses(pc_, net_.index, res.vm, res.va_deg, res.energised, net_.branch_active, options_))
    res.implausible_buses.push_back(pc_.buses[static_cast<std::size_t>(i)].id);
  res.status = res.implausible_buses.empty() ? SolveStatus::converged : SolveStatus::implausible;
  return res;
}

}  // namespace citytwin::grid
