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

}  // namespace citytwin::gpu
