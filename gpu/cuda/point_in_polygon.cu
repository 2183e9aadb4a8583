// Point-in-polygon join on the GPU: one thread per point, the same per-point
// body (core/model/point_in_polygon.hpp) as the TBB path.
#include "core/model/point_in_polygon.hpp"
#include "gpu/backend.hpp"
#include "gpu/cuda/device_buffer.hpp"

namespace citytwin::gpu {

namespace {
__global__ void locate_kernel(PolygonView view, const double* x, const double* y, std::size_t n, std::int32_t* out) {
  const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) out[i] = locate_point(view, x[i], y[i]);
}
}  // namespace

std::vector<std::int32_t> locate_points(const PolygonColumn& polygons, std::span<const double> x, std::span<const double> y) {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
  Stream s;
  const auto bboxes = polygon_bboxes(polygons);
  DeviceBuffer<std::uint64_t> po(std::span<const std::uint64_t>(polygons.polygon_offsets), s);
  DeviceBuffer<std::uint64_t> ro(std::span<const std::uint64_t>(polygons.ring_offsets), s);
  DeviceBuffer<std::uint64_t> co(std::span<const std::uint64_t>(polygons.coord_offsets), s);
  DeviceBuffer<double> px(std::span<const double>(polygons.x), s), py(std::span<const double>(polygons.y), s);
  DeviceBuffer<double> bb(std::span<const double>(bboxes), s);
  DeviceBuffer<double> qx(x, s), qy(y, s);
  DeviceBuffer<std::int32_t> out(x.size(), s);
  const PolygonView view{po.data(), ro.data(), co.data(), px.data(), py.data(), bb.data(), static_cast<std::uint32_t>(polygons.size())};
  const unsigned threads = 256;
  const auto blocks = static_cast<unsigned>((x.size() + threads - 1) / threads);
  if (blocks) locate_kernel<<<blocks, threads, 0, s.get()>>>(view, qx.data(), qy.data(), x.size(), out.data());
  CITYTWIN_CUDA_CHECK(cudaGetLastError());
  return out.to_host(s);
}

}  // namespace citytwin::gpu
