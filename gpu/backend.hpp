#pragma once
// The plain C++ bridge to the CUDA kernels: no CUDA types here, so core/,
// geo/ and the app include it whether or not the build has CUDA. Built without
// CUDA, every entry point throws BackendUnavailable; built with CUDA on a
// machine without a GPU, device() reports why and callers use the TBB path.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"

namespace citytwin::grid {
struct PowerCase;
struct ContingencyOptions;
struct OutageResult;
}  // namespace citytwin::grid

namespace citytwin::traffic {
struct ContractionHierarchy;
struct Network;
struct OdDemand;
}  // namespace citytwin::traffic

namespace citytwin::gpu {

struct DeviceInfo {
  bool available = false;
  bool compiled = false;      // this binary has CUDA kernels
  std::string name;           // e.g. "NVIDIA H100 80GB HBM3"
  int compute_major = 0, compute_minor = 0;
  std::size_t memory_bytes = 0;
  std::string reason;         // why not available
};

// Probes once (thread-safe) and caches the answer.
const DeviceInfo& device();

// The one-line notice printed when a GPU was asked for but is not there,
// e.g. "CUDA: no device (CUDA driver version is insufficient ...), using CPU".
std::string cpu_fallback_notice();

// Point-in-polygon on the GPU: polygon id per point, -1 outside (same result
// as citytwin::locate_points). Throws BackendUnavailable without a device.
std::vector<std::int32_t> locate_points(const PolygonColumn& polygons, std::span<const double> x, std::span<const double> y);

// Where a kernel's time went, for benchmarks/gpu: device_ms from CUDA events
// around the device work (uploads of inputs before, result copies after are
// outside), host_ms for the host-side preparation (upward searches, plans).
struct KernelTimes {
  double device_ms = 0;
  double host_ms = 0;
};

// Batched PHAST one-to-all trees on the GPU: upward searches on the host,
// the downward sweep level by level on the device, 32 trees per warp with
// their labels interleaved. out[i * n + v] is the distance from sources[i] to
// network node v (infinity where unreachable); equals gpu::cpu::phast_distances.
// Throws BackendUnavailable without a device.
std::vector<double> phast_distances(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources);

// All-or-nothing link flows (internal link order) of `demand` on the PHAST
// trees of `ch` (built with `cost`), flows summed in integer fixed point so
// that they equal gpu::cpu::all_or_nothing exactly. Costs must be positive.
// Throws BackendUnavailable without a device.
std::vector<double> all_or_nothing(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                                   std::span<const double> cost, const traffic::OdDemand& demand, KernelTimes* times = nullptr);

// Nearest reference point of each query point (ties: the lower index; -1
// without reference points), by the bucket grid of gpu/point_grid.hpp; equals
// gpu::cpu::nearest_points. Throws BackendUnavailable without a device.
std::vector<std::int32_t> nearest_points(std::span<const double> ref_x, std::span<const double> ref_y,
                                         std::span<const double> query_x, std::span<const double> query_y,
                                         KernelTimes* times = nullptr);

// DC N-1 screening of every active branch as dense products on the GPU
// (cuSOLVER LU of the reduced B, cuBLAS GEMM for the transfer factors): the
// outages of grid::screen_n_minus_1 (same order and rules, no AC confirmation),
// loadings equal to it within rounding. Throws BackendUnavailable without a device.
std::vector<grid::OutageResult> screen_n_minus_1_dc(const grid::PowerCase& pc, const grid::ContingencyOptions& options,
                                                     KernelTimes* times = nullptr);

// Benchmark probes. The downward sweeps alone for `sources` (labels stay on
// the device); device-to-device copy bandwidth in GB/s (read + write) of a
// `bytes` buffer. Both warm up first. Throw BackendUnavailable without a device.
KernelTimes phast_sweep_times(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources);
double device_copy_gbps(std::size_t bytes);

}  // namespace citytwin::gpu
