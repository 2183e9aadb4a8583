#include "gpu/power_flow_batch_chunks.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "core/common/errors.hpp"
#include "core/grid/newton_raphson.hpp"

namespace citytwin::gpu {

BatchInjections scaled_loads(const grid::PowerCase& pc, std::span<const double> factors) {
  BatchInjections inj;
  inj.items = static_cast<std::int32_t>(factors.size());
  const std::size_t n = pc.buses.size();
  inj.pd.resize(factors.size() * n);
  inj.qd.resize(factors.size() * n);
  for (std::size_t t = 0; t < factors.size(); ++t)
    for (std::size_t i = 0; i < n; ++i) {
      inj.pd[t * n + i] = factors[t] * pc.buses[i].pd;
      inj.qd[t * n + i] = factors[t] * pc.buses[i].qd;
    }
  return inj;
}

std::int32_t BatchPowerFlowResult::converged_count() const {
  std::int32_t count = 0;
  for (const std::uint8_t c : converged) count += c;
  return count;
}

namespace detail {

void check_injections(const BatchPowerFlowPlan& plan, const BatchInjections& inj) {
  const auto items = static_cast<std::size_t>(inj.items);
  const std::size_t n = plan.pc.buses.size(), g = plan.pc.generators.size();
  const std::string where = "batched power flow of " + plan.pc.name + ": ";
  if (inj.items < 0) throw InvalidInput(where + "negative item count");
  if (inj.pd.size() != items * n || inj.qd.size() != items * n)
    throw InvalidInput(std::string(where).append("pd / qd need items x buses = ").append(std::to_string(items * n)).append(" values"));
  if (!inj.pg.empty() && inj.pg.size() != items * g)
    throw InvalidInput(std::string(where).append("pg needs items x generators = ").append(std::to_string(items * g)).append(" values (or none)"));
}

BatchPowerFlowResult empty_result(const BatchPowerFlowPlan& plan, std::int32_t items) {
  BatchPowerFlowResult r;
  r.items = items;
  r.buses = plan.n_bus;
  const auto m = static_cast<std::size_t>(items);
  r.vm.assign(m * static_cast<std::size_t>(plan.n_bus), 0.0);
  r.va_deg.assign(m * static_cast<std::size_t>(plan.n_bus), 0.0);
  r.converged.assign(m, 0);
  r.iterations.assign(m, 0);
  r.max_mismatch.assign(m, 0.0);
  r.by_klu.assign(m, 0);
  return r;
}

void pack_injections(const BatchPowerFlowPlan& plan, const BatchInjections& inj, std::int32_t first, std::int32_t count,
                     std::int64_t stride, double* s_re, double* s_im) {
  const std::int32_t n = plan.n_bus;
  const double base = plan.pc.base_mva;
  const auto n_gen = static_cast<std::int64_t>(plan.pc.generators.size());
  std::fill(s_re, s_re + n * stride, 0.0);
  std::fill(s_im, s_im + n * stride, 0.0);
  for (std::int32_t l = 0; l < count; ++l) {
    const std::int64_t item = first + l;
    for (std::int32_t i = 0; i < n; ++i) {
      if (plan.net.role[i] == grid::BusRole::deenergised) continue;
      s_re[i * stride + l] = -inj.pd[static_cast<std::size_t>(item * n + i)] / base;
      s_im[i * stride + l] = -inj.qd[static_cast<std::size_t>(item * n + i)] / base;
    }
    for (std::int64_t g = 0; g < n_gen; ++g) {
      if (!plan.net.gen_active[static_cast<std::size_t>(g)]) continue;
      const std::int64_t at = plan.net.index.gen_bus[static_cast<std::size_t>(g)] * stride + l;
      const grid::Generator& gen = plan.pc.generators[static_cast<std::size_t>(g)];
      s_re[at] += (inj.pg.empty() ? gen.pg : inj.pg[static_cast<std::size_t>(item * n_gen + g)]) / base;
      s_im[at] += gen.qg / base;
    }
  }
}

void pack_start(const BatchPowerFlowPlan& plan, std::int64_t stride, double* vm, double* va, double* v_re, double* v_im) {
  for (std::int32_t i = 0; i < plan.n_bus; ++i) {
    const grid::Cplx v = grid::polar(plan.vm0[i], plan.va0[i]);
    for (std::int64_t l = 0; l < stride; ++l) {
      vm[i * stride + l] = plan.vm0[i];
      va[i * stride + l] = plan.va0[i];
      v_re[i * stride + l] = v.re;
      v_im[i * stride + l] = v.im;
    }
  }
}

void unpack_results(const BatchPowerFlowPlan& plan, std::int32_t first, std::int32_t count, std::int64_t stride,
                    const double* v_re, const double* v_im, const std::uint8_t* phase, const std::int32_t* iterations,
                    const double* final_norm, BatchPowerFlowResult& r) {
  const std::int32_t n = plan.n_bus;
  for (std::int32_t l = 0; l < count; ++l) {
    const auto item = static_cast<std::size_t>(first + l);
    r.converged[item] = phase[l] == kConverged;
    r.iterations[item] = iterations[l];
    r.max_mismatch[item] = final_norm[l];
    r.by_klu[item] = phase[l] == kTinyPivot;
    for (std::int32_t i = 0; i < n; ++i) {
      if (plan.net.role[i] == grid::BusRole::deenergised) continue;
      const double re = v_re[i * stride + l], im = v_im[i * stride + l];
      r.vm[item * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = std::sqrt(re * re + im * im);
      r.va_deg[item * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = std::atan2(im, re) / grid::kDegToRad;
    }
  }
}

void solve_items_with_klu(const BatchPowerFlowPlan& plan, const BatchInjections& inj, std::span<const std::int32_t> items,
                          BatchPowerFlowResult& r) {
  struct Solver {
    std::unique_ptr<grid::AcPowerFlow> pf;
    std::vector<grid::Bus> buses;
    std::vector<grid::Generator> gens;
  };
  tbb::enumerable_thread_specific<Solver> solvers;
  const std::size_t n = plan.pc.buses.size(), n_gen = plan.pc.generators.size();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, items.size(), 1), [&](const tbb::blocked_range<std::size_t>& range) {
    Solver& s = solvers.local();
    if (!s.pf) {
      s.pf = std::make_unique<grid::AcPowerFlow>(plan.pc, plan.options);
      s.buses = plan.pc.buses;
      s.gens = plan.pc.generators;
    }
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      const auto item = static_cast<std::size_t>(items[t]);
      for (std::size_t i = 0; i < n; ++i) {
        s.buses[i].pd = inj.pd[item * n + i];
        s.buses[i].qd = inj.qd[item * n + i];
      }
      if (!inj.pg.empty())
        for (std::size_t g = 0; g < n_gen; ++g) s.gens[g].pg = inj.pg[item * n_gen + g];
      s.pf->set_injections(s.buses, s.gens);
      const grid::PowerFlowResult res = s.pf->solve();
      r.converged[item] = res.status != grid::SolveStatus::not_converged;
      r.iterations[item] = res.iterations;
      r.max_mismatch[item] = res.max_mismatch;
      r.by_klu[item] = 1;
      std::copy(res.vm.begin(), res.vm.end(), r.vm.begin() + static_cast<std::ptrdiff_t>(item * n));
      std::copy(res.va_deg.begin(), res.va_deg.end(), r.va_deg.begin() + static_cast<std::ptrdiff_t>(item * n));
    }
  });
}

void resolve_tiny_pivots(const BatchPowerFlowPlan& plan, const BatchInjections& inj, BatchPowerFlowResult& r) {
  std::vector<std::int32_t> items;
  for (std::int32_t t = 0; t < r.items; ++t)
    if (r.by_klu[static_cast<std::size_t>(t)]) items.push_back(t);
  r.tiny_pivots = static_cast<std::int32_t>(items.size());
  if (!items.empty()) solve_items_with_klu(plan, inj, items, r);
}

}  // namespace detail

namespace cpu {

BatchPowerFlowResult klu_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections) {
  const auto t0 = std::chrono::steady_clock::now();
  detail::check_injections(plan, injections);
  BatchPowerFlowResult r = detail::empty_result(plan, injections.items);
  std::vector<std::int32_t> items(static_cast<std::size_t>(injections.items));
  for (std::int32_t t = 0; t < injections.items; ++t) items[static_cast<std::size_t>(t)] = t;
  detail::solve_items_with_klu(plan, injections, items, r);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace cpu

}  // namespace citytwin::gpu
