// Nearest-neighbour join on the GPU: the bucket grid is built on the host,
// one thread per query runs the same ring search as the host version.
#include <chrono>

#include "core/common/errors.hpp"
#include "gpu/backend.hpp"
#include "gpu/cuda/device_buffer.hpp"
#include "gpu/point_grid.hpp"

namespace citytwin::gpu {

namespace {
__global__ void nearest_kernel(PointGridView grid, const double* x, const double* y, std::size_t n, std::int32_t* out) {
  const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) out[i] = nearest_in_grid(grid, x[i], y[i]);
}
}  // namespace

std::vector<std::int32_t> nearest_points(std::span<const double> ref_x, std::span<const double> ref_y,
                                         std::span<const double> query_x, std::span<const double> query_y,
                                         KernelTimes* times) {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
  if (query_x.size() != query_y.size()) throw InvalidInput("nearest join: query x and y differ in length");
  const auto host_start = std::chrono::steady_clock::now();
  const PointGrid grid = build_point_grid(ref_x, ref_y);
  const double host_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host_start).count();
  Stream s;
  DeviceBuffer<std::int32_t> cell_start(std::span<const std::int32_t>(grid.cell_start), s), id(std::span<const std::int32_t>(grid.id), s);
  DeviceBuffer<double> px(std::span<const double>(grid.px), s), py(std::span<const double>(grid.py), s);
  DeviceBuffer<double> qx(query_x, s), qy(query_y, s);
  DeviceBuffer<std::int32_t> out(query_x.size(), s);
  const PointGridView view{grid.x0, grid.y0, grid.cell, grid.nx, grid.ny, cell_start.data(), px.data(), py.data(), id.data()};
  const unsigned threads = 256;
  const auto blocks = static_cast<unsigned>((query_x.size() + threads - 1) / threads);
  Event start, stop;
  start.record(s);
  if (blocks) nearest_kernel<<<blocks, threads, 0, s.get()>>>(view, qx.data(), qy.data(), query_x.size(), out.data());
  CITYTWIN_CUDA_CHECK(cudaGetLastError());
  stop.record(s);
  if (times) *times = {stop.since(start), host_ms};
  return out.to_host(s);
}

}  // namespace citytwin::gpu
