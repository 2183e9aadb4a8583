// Batched AC power flow on the device: one thread per (bus or factor row,
// item), items interleaved so that a warp reads 32 consecutive doubles. Each
// Newton step is a fixed launch sequence on one stream: mismatch -> status
// -> Jacobian -> factor + forward solve level by level -> backward solve
// level by level -> update; items that have converged, stopped or met a tiny
// pivot skip every kernel, and the chunk ends once none is left iterating. The bodies are those of
// gpu/kernels/batch_newton.hpp, which the host version runs too.
#include <algorithm>
#include <chrono>

#include "core/common/errors.hpp"
#include "gpu/backend.hpp"
#include "gpu/cuda/device_buffer.hpp"
#include "gpu/kernels/batch_newton.hpp"
#include "gpu/power_flow_batch.hpp"
#include "gpu/power_flow_batch_chunks.hpp"

namespace citytwin::gpu {

namespace {

constexpr unsigned kLaneBlock = 64;   // items per block (x); stride is a multiple
constexpr unsigned kBusGroups = 256;  // bus kernels: blocks along the buses, each loops over n_bus / kBusGroups buses

__device__ std::int32_t lane_index() { return static_cast<std::int32_t>(blockIdx.y * blockDim.x + threadIdx.x); }

__global__ void start_kernel(std::int32_t n_bus, const double* vm0, const double* va0, const double* re0, const double* im0,
                             NewtonLanes b) {
  const std::int32_t lane = lane_index();
  for (std::int32_t i = static_cast<std::int32_t>(blockIdx.x); i < n_bus; i += static_cast<std::int32_t>(gridDim.x)) {
    const std::int64_t k = at(i, b.stride, lane);
    b.vm[k] = vm0[i];
    b.va[k] = va0[i];
    b.v_re[k] = re0[i];
    b.v_im[k] = im0[i];
  }
}

// Per lane, the largest bus mismatch: non-negative doubles order like their
// bit patterns, so an integer atomicMax reduces them (NaN is already infinity).
__global__ void mismatch_kernel(NewtonPlanView p, NewtonLanes b, const std::uint8_t* phase, unsigned long long* norm_bits) {
  const std::int32_t lane = lane_index();
  if (phase[lane] != kIterating) return;
  double worst = 0;
  for (std::int32_t i = static_cast<std::int32_t>(blockIdx.x); i < p.n_bus; i += static_cast<std::int32_t>(gridDim.x))
    worst = fmax(worst, bus_mismatch_lane(p, b, i, lane));
  if (worst > 0) atomicMax(norm_bits + lane, static_cast<unsigned long long>(__double_as_longlong(worst)));
}

__global__ void status_kernel(std::int64_t stride, const unsigned long long* norm_bits, std::int32_t step, double tolerance,
                              std::int32_t max_iterations, std::uint8_t* phase, std::int32_t* iterations, double* final_norm) {
  const std::int64_t lane = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (lane >= stride) return;
  newton_status(__longlong_as_double(static_cast<long long>(norm_bits[lane])), step, tolerance, max_iterations, phase[lane],
                iterations[lane], final_norm[lane]);
}

__global__ void jacobian_kernel(NewtonPlanView p, NewtonLanes b, const std::uint8_t* phase) {
  const std::int32_t lane = lane_index();
  if (phase[lane] != kIterating) return;
  for (std::int32_t i = static_cast<std::int32_t>(blockIdx.x); i < p.n_bus; i += static_cast<std::int32_t>(gridDim.x))
    bus_jacobian_lane(p, b, i, lane);
}

// One level of rows: factor each row, then its forward substitution (same dependencies).
__global__ void factor_forward_kernel(NewtonPlanView p, NewtonLanes b, const std::int32_t* rows, std::uint8_t* phase) {
  const std::int32_t lane = lane_index();
  if (phase[lane] != kIterating) return;
  const std::int32_t r = rows[blockIdx.x];
  if (!factor_row_lane(p, b, r, lane)) {
    phase[lane] = kTinyPivot;  // every writer writes the same value
    return;
  }
  forward_row_lane(p, b, r, lane);
}

__global__ void backward_kernel(NewtonPlanView p, NewtonLanes b, const std::int32_t* rows, const std::uint8_t* phase) {
  const std::int32_t lane = lane_index();
  if (phase[lane] != kIterating) return;
  backward_row_lane(p, b, rows[blockIdx.x], lane);
}

__global__ void update_kernel(NewtonPlanView p, NewtonLanes b, const std::uint8_t* phase) {
  const std::int32_t lane = lane_index();
  if (phase[lane] != kIterating) return;
  for (std::int32_t i = static_cast<std::int32_t>(blockIdx.x); i < p.n_bus; i += static_cast<std::int32_t>(gridDim.x))
    bus_update_lane(p, b, i, lane);
}

template <class T>
std::span<const T> view(const std::vector<T>& v) {
  return std::span<const T>(v);
}

void check_launch() { CITYTWIN_CUDA_CHECK(cudaGetLastError()); }

// The plan's index arrays on the device.
struct DevicePlan {
  DeviceBuffer<std::int32_t> y_ptr, y_col, y_pos, p_row, q_row, f_ptr, f_col, f_diag, upd_begin, upd_target, fwd_rows, bwd_rows;
  DeviceBuffer<grid::Cplx> y_val;
  DeviceBuffer<double> vm0, va0, re0, im0;

  DevicePlan(const BatchPowerFlowPlan& p, const std::vector<double>& re, const std::vector<double>& im, const Stream& s)
      : y_ptr(view(p.y_ptr), s), y_col(view(p.y_col), s), y_pos(view(p.y_pos), s), p_row(view(p.p_row), s), q_row(view(p.q_row), s),
        f_ptr(view(p.f_ptr), s), f_col(view(p.f_col), s), f_diag(view(p.f_diag), s), upd_begin(view(p.upd_begin), s),
        upd_target(view(p.upd_target), s), fwd_rows(view(p.fwd_rows), s), bwd_rows(view(p.bwd_rows), s), y_val(view(p.y_val), s),
        vm0(view(p.vm0), s), va0(view(p.va0), s), re0(view(re), s), im0(view(im), s) {}

  NewtonPlanView view_of(const BatchPowerFlowPlan& p) const { return newton_plan_view(p.n_bus, p.n_rows, *this); }
};

// Items per chunk: a quarter of the device memory for the per-item values,
// at most 4096 items (or `cap`), chunks of equal size in multiples of kLaneBlock.
std::int64_t chunk_stride(const BatchPowerFlowPlan& p, std::int32_t items, std::int32_t cap) {
  const std::int64_t per_item = 8 * (8 * static_cast<std::int64_t>(p.n_bus) + p.factor_nnz() + 2 * static_cast<std::int64_t>(p.n_rows)) + 32;
  const auto budget = static_cast<std::int64_t>(device().memory_bytes / 4);
  const std::int64_t limit = cap > 0 ? std::max<std::int64_t>(cap / kLaneBlock * kLaneBlock, kLaneBlock) : 4096;
  const std::int64_t most = std::clamp<std::int64_t>(budget / per_item / kLaneBlock * kLaneBlock, kLaneBlock, limit);
  const std::int64_t chunks = (items + most - 1) / most;
  const std::int64_t per_chunk = (items + chunks - 1) / chunks;
  return (per_chunk + kLaneBlock - 1) / kLaneBlock * kLaneBlock;
}

}  // namespace

BatchPowerFlowResult solve_power_flow_batch(const BatchPowerFlowPlan& plan, const BatchInjections& injections, KernelTimes* times,
                                            std::int32_t max_chunk_items) {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
  const auto t0 = std::chrono::steady_clock::now();
  detail::check_injections(plan, injections);
  BatchPowerFlowResult result = detail::empty_result(plan, injections.items);
  if (injections.items == 0) return result;
  double host_ms = 0, device_ms = 0;
  auto host_clock = [](std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
  };

  Stream s;
  const std::int32_t n_bus = plan.n_bus;
  std::vector<double> re0(static_cast<std::size_t>(n_bus)), im0(static_cast<std::size_t>(n_bus));
  for (std::int32_t i = 0; i < n_bus; ++i) {
    const grid::Cplx v = grid::polar(plan.vm0[i], plan.va0[i]);
    re0[i] = v.re;
    im0[i] = v.im;
  }
  const DevicePlan dp(plan, re0, im0, s);
  const NewtonPlanView p = dp.view_of(plan);

  const std::int64_t stride = chunk_stride(plan, injections.items, max_chunk_items);
  const auto bus_values = static_cast<std::size_t>(n_bus) * static_cast<std::size_t>(stride);
  const auto row_values = static_cast<std::size_t>(plan.n_rows) * static_cast<std::size_t>(stride);
  const auto lanes = static_cast<std::size_t>(stride);
  DeviceBuffer<double> vm(bus_values, s), va(bus_values, s), v_re(bus_values, s), v_im(bus_values, s), i_re(bus_values, s),
      i_im(bus_values, s), s_re(bus_values, s), s_im(bus_values, s);
  DeviceBuffer<double> lu(static_cast<std::size_t>(plan.factor_nnz()) * lanes, s), rhs(row_values, s), scale(row_values, s);
  DeviceBuffer<unsigned long long> norm_bits(lanes, s);
  DeviceBuffer<double> final_norm(lanes, s);
  DeviceBuffer<std::uint8_t> phase(lanes, s);
  DeviceBuffer<std::int32_t> iterations(lanes, s);
  const NewtonLanes b{stride, vm.data(), va.data(), v_re.data(), v_im.data(), i_re.data(), i_im.data(), s_re.data(), s_im.data(),
                      lu.data(), rhs.data(), scale.data()};
  std::vector<double> host_s_re(bus_values), host_s_im(bus_values);
  std::vector<std::uint8_t> host_phase(lanes);

  const dim3 block(kLaneBlock);
  const auto lane_blocks = static_cast<unsigned>(stride / kLaneBlock);
  const dim3 bus_grid(std::max(1u, std::min<unsigned>(kBusGroups, static_cast<unsigned>(n_bus))), lane_blocks);
  const auto status_blocks = static_cast<unsigned>((stride + 255) / 256);
  const std::int32_t max_it = plan.options.max_iterations;

  for (std::int32_t first = 0; first < injections.items; first += static_cast<std::int32_t>(stride)) {
    const auto count = static_cast<std::int32_t>(std::min<std::int64_t>(stride, injections.items - first));
    auto h = std::chrono::steady_clock::now();
    detail::pack_injections(plan, injections, first, count, stride, host_s_re.data(), host_s_im.data());
    std::fill(host_phase.begin(), host_phase.end(), static_cast<std::uint8_t>(kStopped));
    std::fill(host_phase.begin(), host_phase.begin() + count, static_cast<std::uint8_t>(kIterating));
    host_ms += host_clock(h);

    Event start, stop;
    start.record(s);
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(s_re.data(), host_s_re.data(), bus_values * sizeof(double), cudaMemcpyHostToDevice, s.get()));
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(s_im.data(), host_s_im.data(), bus_values * sizeof(double), cudaMemcpyHostToDevice, s.get()));
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(phase.data(), host_phase.data(), lanes, cudaMemcpyHostToDevice, s.get()));
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(iterations.data(), 0, lanes * sizeof(std::int32_t), s.get()));
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(final_norm.data(), 0, lanes * sizeof(double), s.get()));
    start_kernel<<<bus_grid, block, 0, s.get()>>>(n_bus, dp.vm0.data(), dp.va0.data(), dp.re0.data(), dp.im0.data(), b);
    check_launch();
    for (std::int32_t step = 0; step <= max_it; ++step) {
      CITYTWIN_CUDA_CHECK(cudaMemsetAsync(norm_bits.data(), 0, lanes * sizeof(unsigned long long), s.get()));
      mismatch_kernel<<<bus_grid, block, 0, s.get()>>>(p, b, phase.data(), norm_bits.data());
      check_launch();
      status_kernel<<<status_blocks, 256, 0, s.get()>>>(stride, norm_bits.data(), step, plan.options.tolerance, max_it, phase.data(),
                                                         iterations.data(), final_norm.data());
      check_launch();
      // One small read-back per step: once no item iterates, the remaining
      // steps' launches (about 2 x levels each) would only find finished items.
      CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(host_phase.data(), phase.data(), lanes, cudaMemcpyDeviceToHost, s.get()));
      s.synchronize();
      if (step == max_it || std::none_of(host_phase.begin(), host_phase.end(), [](std::uint8_t f) { return f == kIterating; })) break;
      jacobian_kernel<<<bus_grid, block, 0, s.get()>>>(p, b, phase.data());
      check_launch();
      for (std::size_t l = 0; l + 1 < plan.fwd_level_ptr.size(); ++l) {
        const auto rows = static_cast<unsigned>(plan.fwd_level_ptr[l + 1] - plan.fwd_level_ptr[l]);
        factor_forward_kernel<<<dim3(rows, lane_blocks), block, 0, s.get()>>>(p, b, dp.fwd_rows.data() + plan.fwd_level_ptr[l], phase.data());
        check_launch();
      }
      for (std::size_t l = 0; l + 1 < plan.bwd_level_ptr.size(); ++l) {
        const auto rows = static_cast<unsigned>(plan.bwd_level_ptr[l + 1] - plan.bwd_level_ptr[l]);
        backward_kernel<<<dim3(rows, lane_blocks), block, 0, s.get()>>>(p, b, dp.bwd_rows.data() + plan.bwd_level_ptr[l], phase.data());
        check_launch();
      }
      update_kernel<<<bus_grid, block, 0, s.get()>>>(p, b, phase.data());
      check_launch();
    }
    const std::vector<double> out_re = v_re.to_host(s), out_im = v_im.to_host(s), out_norm = final_norm.to_host(s);
    const std::vector<std::uint8_t> out_phase = phase.to_host(s);
    const std::vector<std::int32_t> out_it = iterations.to_host(s);
    stop.record(s);
    device_ms += stop.since(start);

    h = std::chrono::steady_clock::now();
    detail::unpack_results(plan, first, count, stride, out_re.data(), out_im.data(), out_phase.data(), out_it.data(), out_norm.data(), result);
    host_ms += host_clock(h);
  }
  const auto h = std::chrono::steady_clock::now();
  detail::resolve_tiny_pivots(plan, injections, result);
  host_ms += host_clock(h);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (times) *times = {device_ms, host_ms};
  return result;
}

}  // namespace citytwin::gpu
