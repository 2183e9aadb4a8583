#pragma once
// Host steps shared by the two batched schedulers (host version and CUDA): check
// the injections, pack a chunk of items into the interleaved layout of
// gpu/kernels/batch_newton.hpp, unpack the solved chunk into the result, and
// re-solve the items whose static-pivot LU met a tiny pivot with KLU.
#include <cstdint>
#include <span>

#include "gpu/power_flow_batch.hpp"

namespace citytwin::gpu::detail {

// Throws InvalidInput when the arrays do not match the plan's case.
void check_injections(const BatchPowerFlowPlan& plan, const BatchInjections& injections);

// A result of `items` items with every array sized and zeroed.
BatchPowerFlowResult empty_result(const BatchPowerFlowPlan& plan, std::int32_t items);

// Scheduled injections (pu, as AcPowerFlow) of items first .. first + count - 1
// into lanes 0 .. count - 1 of s_re / s_im (n_bus x stride); other lanes 0.
void pack_injections(const BatchPowerFlowPlan& plan, const BatchInjections& injections, std::int32_t first,
                     std::int32_t count, std::int64_t stride, double* s_re, double* s_im);

// The plan's start voltages in every lane (vm, va, v_re, v_im: n_bus x stride).
void pack_start(const BatchPowerFlowPlan& plan, std::int64_t stride, double* vm, double* va, double* v_re, double* v_im);

// Lanes 0 .. count - 1 into items first ..: Vm / Va from the complex
// voltages (as AcPowerFlow), convergence, steps, final mismatch. Items in
// phase kTinyPivot are marked for resolve_tiny_pivots.
void unpack_results(const BatchPowerFlowPlan& plan, std::int32_t first, std::int32_t count, std::int64_t stride,
                    const double* v_re, const double* v_im, const std::uint8_t* phase, const std::int32_t* iterations,
                    const double* final_norm, BatchPowerFlowResult& result);

// Solves `items` with grid::AcPowerFlow (one per TBB thread) into result.
void solve_items_with_klu(const BatchPowerFlowPlan& plan, const BatchInjections& injections,
                          std::span<const std::int32_t> items, BatchPowerFlowResult& result);

// Re-solves every item marked by unpack_results with KLU; counts them in tiny_pivots.
void resolve_tiny_pivots(const BatchPowerFlowPlan& plan, const BatchInjections& injections, BatchPowerFlowResult& result);

}  // namespace citytwin::gpu::detail
