// The host version (TBB) of the batched power flow: chunks of kLanes items run in
// parallel; within a chunk the bodies of gpu/kernels/batch_newton.hpp run
// row by row in plain order (a valid order of the device's levels), lanes
// innermost so that each interleaved cache line serves all of them.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "gpu/kernels/batch_newton.hpp"
#include "gpu/power_flow_batch.hpp"
#include "gpu/power_flow_batch_chunks.hpp"

namespace citytwin::gpu::cpu {

namespace {

constexpr std::int32_t kLanes = 8;  // one 64-byte line of doubles per entry

struct Scratch {
  std::vector<double> vm, va, v_re, v_im, i_re, i_im, s_re, s_im, lu, rhs, scale, norm, final_norm;
  std::vector<std::uint8_t> phase;
  std::vector<std::int32_t> iterations;

  NewtonLanes lanes(const BatchPowerFlowPlan& p) {
    const auto bus = static_cast<std::size_t>(p.n_bus) * kLanes, rows = static_cast<std::size_t>(p.n_rows) * kLanes;
    for (auto* v : {&vm, &va, &v_re, &v_im, &i_re, &i_im, &s_re, &s_im}) v->resize(bus);
    lu.resize(static_cast<std::size_t>(p.factor_nnz()) * kLanes);
    rhs.resize(rows);
    scale.resize(rows);
    return {kLanes, vm.data(), va.data(), v_re.data(), v_im.data(), i_re.data(), i_im.data(), s_re.data(), s_im.data(),
            lu.data(), rhs.data(), scale.data()};
  }
};

// Newton for lanes 0 .. count - 1 of one chunk, as the device's step sequence.
void newton_chunk(const BatchPowerFlowPlan& plan, const NewtonPlanView& p, const NewtonLanes& b, std::int32_t count, Scratch& s) {
  s.phase.assign(kLanes, kStopped);
  std::fill(s.phase.begin(), s.phase.begin() + count, kIterating);
  s.iterations.assign(kLanes, 0);
  s.final_norm.assign(kLanes, 0.0);
  auto live = [&](std::int32_t l) { return s.phase[static_cast<std::size_t>(l)] == kIterating; };
  const int max_it = plan.options.max_iterations;
  for (std::int32_t step = 0; step <= max_it; ++step) {
    s.norm.assign(kLanes, 0.0);
    for (std::int32_t i = 0; i < p.n_bus; ++i)
      for (std::int32_t l = 0; l < count; ++l)
        if (live(l)) s.norm[l] = std::max(s.norm[l], bus_mismatch_lane(p, b, i, l));
    bool any = false;
    for (std::int32_t l = 0; l < count; ++l) {
      newton_status(s.norm[l], step, plan.options.tolerance, max_it, s.phase[l], s.iterations[l], s.final_norm[l]);
      any = any || live(l);
    }
    if (!any) break;
    for (std::int32_t i = 0; i < p.n_bus; ++i)
      for (std::int32_t l = 0; l < count; ++l)
        if (live(l)) bus_jacobian_lane(p, b, i, l);
    for (std::int32_t r = 0; r < p.n_rows; ++r)
      for (std::int32_t l = 0; l < count; ++l) {
        if (!live(l)) continue;
        if (!factor_row_lane(p, b, r, l)) {
          s.phase[l] = kTinyPivot;
          continue;
        }
        forward_row_lane(p, b, r, l);
      }
    for (std::int32_t r = p.n_rows; r-- > 0;)
      for (std::int32_t l = 0; l < count; ++l)
        if (live(l)) backward_row_lane(p, b, r, l);
    for (std::int32_t i = 0; i < p.n_bus; ++i)
      for (std::int32_t l = 0; l < count; ++l)
        if (live(l)) bus_update_lane(p, b, i, l);
  }
}

}  // namespace

BatchPowerFlowResult solve_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections) {
  const auto t0 = std::chrono::steady_clock::now();
  detail::check_injections(plan, injections);
  BatchPowerFlowResult result = detail::empty_result(plan, injections.items);
  const NewtonPlanView p = plan.view();
  const std::int32_t chunks = (injections.items + kLanes - 1) / kLanes;
  tbb::enumerable_thread_specific<Scratch> scratch;
  tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, chunks, 1), [&](const tbb::blocked_range<std::int32_t>& range) {
    Scratch& s = scratch.local();
    const NewtonLanes b = s.lanes(plan);
    for (std::int32_t c = range.begin(); c != range.end(); ++c) {
      const std::int32_t first = c * kLanes, count = std::min(kLanes, injections.items - first);
      detail::pack_injections(plan, injections, first, count, kLanes, s.s_re.data(), s.s_im.data());
      detail::pack_start(plan, kLanes, s.vm.data(), s.va.data(), s.v_re.data(), s.v_im.data());
      newton_chunk(plan, p, b, count, s);
      detail::unpack_results(plan, first, count, kLanes, s.v_re.data(), s.v_im.data(), s.phase.data(), s.iterations.data(),
                             s.final_norm.data(), result);
    }
  });
  detail::resolve_tiny_pivots(plan, injections, result);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace citytwin::gpu::cpu
