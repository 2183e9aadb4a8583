#include "core/grid/contingency.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "core/common/errors.hpp"
#include "core/grid/dc_powerflow.hpp"
#include "core/grid/klu_solver.hpp"
#include "core/grid/network.hpp"
#include "core/grid/newton_raphson.hpp"

namespace citytwin::grid {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Per-thread scratch: a private copy of the factorised B (KLU solves are not
// re-entrant) and the right-hand-side block.
struct Scratch {
  KluSolver lu{KluOptions{.btf = false, .scale = -1}};
  std::vector<double> rhs;
};

}  // namespace

ContingencyReport screen_n_minus_1(const PowerCase& pc, const ContingencyOptions& options) {
  const auto t0 = Clock::now();
  ContingencyReport report;
  const Network net = build_network(pc, options.power_flow.network);
  const DcModel model = build_dc_model(pc, net);
  const std::vector<double> theta = dc_angles(pc, net, model);
  const std::size_t m = pc.branches.size();
  const double base = pc.base_mva;
  const auto& from = net.index.branch_from;
  const auto& to = net.index.branch_to;

  // Base flows (pu) and ratings (pu; 0 = unlimited).
  std::vector<double> f0(m, 0.0), rating(m, 0.0), base_loading(m, 0.0);
  for (std::size_t k = 0; k < m; ++k) {
    if (!net.branch_active[k]) continue;
    f0[k] = model.b[k] * (theta[from[k]] - theta[to[k]]) + model.pf_inj[k];
    rating[k] = pc.branches[k].rate_a > 0 ? pc.branches[k].rate_a / base : 0.0;
    if (rating[k] > 0) {
      base_loading[k] = 100.0 * std::abs(f0[k]) / rating[k];
      if (base_loading[k] > options.overload_percent) report.base_overloads.push_back(k);
    }
  }
  std::vector<std::size_t> outaged;
  for (std::size_t k = 0; k < m; ++k) {
    if (net.branch_active[k]) outaged.push_back(k);
  }
  // Active, rated branches: the only ones whose loading matters, packed for the
  // inner loop. Angles live in columns of stride nr + 1 whose last entry stays
  // 0: the slack's angle response, so slack ends need no test.
  const std::int32_t nr = static_cast<std::int32_t>(model.bus_of_row.size());
  const std::size_t stride = static_cast<std::size_t>(nr) + 1;
  auto row_of = [&](std::int32_t bus) { return model.reduced[bus] >= 0 ? model.reduced[bus] : nr; };
  std::vector<std::size_t> monitored;
  std::vector<std::int32_t> mon_from, mon_to;
  std::vector<double> mon_b, mon_f0, mon_inv_rating, mon_base;
  for (std::size_t k = 0; k < m; ++k) {
    if (!net.branch_active[k] || !(rating[k] > 0)) continue;
    monitored.push_back(k);
    mon_from.push_back(row_of(from[k]));
    mon_to.push_back(row_of(to[k]));
    mon_b.push_back(model.b[k]);
    mon_f0.push_back(f0[k]);
    mon_inv_rating.push_back(100.0 / rating[k]);
    mon_base.push_back(base_loading[k] + 1e-9);
  }
  report.outages.resize(outaged.size());
  report.rated_branches = monitored.size();

  const std::size_t block = static_cast<std::size_t>(std::max(1, options.block));
  tbb::enumerable_thread_specific<Scratch> scratch([&] {
    Scratch s;
    if (nr > 0) {
      s.lu.analyze(nr, model.col_ptr, model.row_idx);
      s.lu.factor(model.values.data());
    }
    s.rhs.resize(block * stride);
    return s;
  });
  const std::size_t n_blocks = (outaged.size() + block - 1) / block;
  const std::size_t n_mon = monitored.size();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_blocks, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    Scratch& s = scratch.local();
    for (std::size_t blk = range.begin(); blk != range.end(); ++blk) {
      const std::size_t first = blk * block;
      const std::size_t count = std::min(block, outaged.size() - first);
      // Columns of B^-1 (e_f - e_t): the angle response to 1 pu sent over each outaged branch.
      std::fill(s.rhs.begin(), s.rhs.begin() + static_cast<std::ptrdiff_t>(count * stride), 0.0);
      for (std::size_t c = 0; c < count; ++c) {
        const std::size_t k = outaged[first + c];
        double* col = s.rhs.data() + c * stride;
        col[row_of(from[k])] += 1.0;
        col[row_of(to[k])] -= 1.0;
        col[nr] = 0.0;
      }
      if (nr > 0) s.lu.solve(s.rhs.data(), static_cast<std::int32_t>(count), static_cast<std::int32_t>(stride));
      for (std::size_t c = 0; c < count; ++c) {
        const std::size_t k = outaged[first + c];
        const double* w = s.rhs.data() + c * stride;
        OutageResult& out = report.outages[first + c];
        out.branch = k;
        const double ptdf_kk = model.b[k] * (w[row_of(from[k])] - w[row_of(to[k])]);
        const double denominator = 1.0 - ptdf_kk;
        if (std::abs(denominator) < 1e-8) {
          out.islanding = true;
          continue;
        }
        const double scale = f0[k] / denominator;
        double worst = 0;
        std::size_t worst_at = 0;
        std::int32_t overloaded = 0;
        for (std::size_t j = 0; j < n_mon; ++j) {
          const double post = mon_f0[j] + mon_b[j] * (w[mon_from[j]] - w[mon_to[j]]) * scale;
          const double loading = std::abs(post) * mon_inv_rating[j];
          if (loading > worst && monitored[j] != k) {
            worst = loading;
            worst_at = j;
          }
          overloaded += loading > options.overload_percent && loading > mon_base[j] && monitored[j] != k;
        }
        out.max_loading_percent = worst;
        out.worst_branch = n_mon > 0 ? monitored[worst_at] : 0;
        out.overloaded_branches = overloaded;
        out.overloads = overloaded > 0;
      }
    }
  });
  for (std::size_t i = 0; i < report.outages.size(); ++i) {
    const OutageResult& out = report.outages[i];
    report.islanding_outages += out.islanding;
    report.overloading_outages += out.overloads;
    if (!out.islanding && out.max_loading_percent > 0) report.ranking.push_back(i);
  }
  std::stable_sort(report.ranking.begin(), report.ranking.end(), [&](std::size_t a, std::size_t b) {
    return report.outages[a].max_loading_percent > report.outages[b].max_loading_percent;
  });
  report.screening_seconds = seconds_since(t0);

  // AC confirmation of the worst k, warm-started from the AC base case.
  const auto t1 = Clock::now();
  const std::size_t k_ac = std::min<std::size_t>(report.ranking.size(), std::max(0, options.ac_confirm));
  if (k_ac > 0) {
    AcPowerFlow solver(pc, options.power_flow);
    const PowerFlowResult base_ac = solver.solve();
    std::vector<double> vm = base_ac.vm, va = base_ac.va_deg;
    if (!base_ac.converged()) solver.start_voltages(StartMode::flat, vm, va);
    for (std::size_t r = 0; r < k_ac; ++r) {
      const OutageResult& out = report.outages[report.ranking[r]];
      AcConfirmation confirm;
      confirm.branch = out.branch;
      confirm.dc_loading_percent = out.max_loading_percent;
      solver.set_branch_outage(out.branch, true);
      const PowerFlowResult res = solver.solve_from(vm, va);
      solver.set_branch_outage(out.branch, false);
      confirm.status = res.status;
      confirm.iterations = res.iterations;
      if (res.status != SolveStatus::not_converged) {
        for (std::size_t l : monitored) {
          if (l == out.branch) continue;
          const double loading = res.loading_percent(pc, l);
          if (loading > confirm.max_loading_percent) {
            confirm.max_loading_percent = loading;
            confirm.worst_branch = l;
          }
          confirm.overloaded_branches += loading > options.overload_percent;
        }
      }
      report.ac.push_back(confirm);
    }
  }
  report.ac_seconds = seconds_since(t1);
  report.seconds = seconds_since(t0);
  return report;
}

}  // namespace citytwin::grid
