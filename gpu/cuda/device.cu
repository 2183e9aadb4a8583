// Run-time device detection: a CUDA build still runs where there is no GPU
// (or no driver), reporting why so callers take the TBB path.
#include <mutex>

#include "gpu/backend.hpp"
#include "gpu/cuda/check.hpp"

namespace citytwin::gpu {

const DeviceInfo& device() {
  static DeviceInfo info;
  static std::once_flag once;
  std::call_once(once, [] {
    info.compiled = true;
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count == 0) {
      // cudaErrorInsufficientDriver / cudaErrorNoDevice: a machine without a GPU.
      info.reason = err != cudaSuccess ? std::string("no device (") + cudaGetErrorString(err) + ")" : "no device";
      cudaGetLastError();  // clear the sticky error
      return;
    }
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
      info.reason = "cannot query device 0";
      return;
    }
    info.available = true;
    info.name = prop.name;
    info.compute_major = prop.major;
    info.compute_minor = prop.minor;
    info.memory_bytes = prop.totalGlobalMem;
  });
  return info;
}

std::string cpu_fallback_notice() { return "CUDA: " + device().reason + ", using CPU"; }

}  // namespace citytwin::gpu
