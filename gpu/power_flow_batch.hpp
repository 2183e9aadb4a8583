#pragma once
// Batched AC power flow: many hours or scenarios of one grid (same topology,
// one sparsity pattern), each item with its own bus loads and generator P.
// Three paths with one result type:
//   gpu::solve_power_flow_batch       CUDA, custom batched static-pivot LU
//   gpu::cpu::solve_power_flow_batch  the host version (TBB): the same kernel bodies
//   gpu::cpu::klu_power_flow_batch    grid::AcPowerFlow (KLU) per item under TBB
// The batched paths hand every item whose LU meets a tiny pivot to the KLU
// path and count it (BatchPowerFlowResult::tiny_pivots); nothing is dropped.
// Not implemented: PV -> PQ switching at Q limits (the plan rejects
// enforce_q_limits), per-item start voltages, branch flows and generator
// outputs (compute them from Vm / Va).
#include <cstdint>
#include <span>
#include <vector>

#include "gpu/backend.hpp"
#include "gpu/power_flow_batch_plan.hpp"

namespace citytwin::gpu {

// Per-item injections, item-major and in case order.
struct BatchInjections {
  std::int32_t items = 0;
  std::vector<double> pd, qd;  // items x buses, MW / MVAr
  std::vector<double> pg;      // items x generators, MW; empty: the case's Pg for every item
};

// Items whose loads (P and Q) are the case's times factors[item].
BatchInjections scaled_loads(const grid::PowerCase& pc, std::span<const double> factors);

struct BatchPowerFlowResult {
  std::int32_t items = 0, buses = 0;
  std::vector<double> vm, va_deg;       // items x buses, item-major; 0 at de-energised buses
  std::vector<std::uint8_t> converged;  // per item: P/Q mismatch below the tolerance
  std::vector<std::int32_t> iterations; // per item: Newton steps
  std::vector<double> max_mismatch;     // per item: inf-norm of the mismatch at the end, pu
  std::vector<std::uint8_t> by_klu;     // per item: solved by the KLU path
  std::int32_t tiny_pivots = 0;         // items the batched LU handed to KLU
  double seconds = 0;                   // wall clock of the whole call

  std::int32_t converged_count() const;
};

// CUDA. Items run in equal chunks sized to a quarter of the device memory
// (at most max_chunk_items each when that is > 0); times->device_ms spans the
// chunks' uploads, Newton steps and downloads (CUDA events), times->host_ms
// the host-side packing, unpacking and KLU re-solves.
// Throws BackendUnavailable without a device.
BatchPowerFlowResult solve_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections,
                                            KernelTimes* times = nullptr, std::int32_t max_chunk_items = 0);

namespace cpu {

// The host version (TBB) of gpu::solve_power_flow_batch: the kernel bodies of
// gpu/kernels/batch_newton.hpp over chunks of interleaved items.
BatchPowerFlowResult solve_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections);

// grid::AcPowerFlow (KLU, partial pivoting) item by item under TBB.
BatchPowerFlowResult klu_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections);

}  // namespace cpu

}  // namespace citytwin::gpu
