// The memory-bandwidth ceiling beside the kernels' figures: a device-to-device
// copy timed with CUDA events after a warm-up copy.
#include "gpu/backend.hpp"
#include "gpu/cuda/device_buffer.hpp"

namespace citytwin::gpu {

double device_copy_gbps(std::size_t bytes) {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
  Stream s;
  DeviceBuffer<char> a(bytes, s), b(bytes, s);
  CITYTWIN_CUDA_CHECK(cudaMemsetAsync(a.data(), 1, bytes, s.get()));
  CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(b.data(), a.data(), bytes, cudaMemcpyDeviceToDevice, s.get()));  // warm-up
  constexpr int kRepeats = 10;
  Event start, stop;
  start.record(s);
  for (int i = 0; i < kRepeats; ++i)
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(b.data(), a.data(), bytes, cudaMemcpyDeviceToDevice, s.get()));
  stop.record(s);
  const double ms = stop.since(start);
  return ms > 0 ? 2.0 * static_cast<double>(bytes) * kRepeats / (ms * 1e6) : 0.0;  // read + write
}

}  // namespace citytwin::gpu
