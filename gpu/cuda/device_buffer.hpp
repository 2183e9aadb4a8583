#pragma once
// Device memory only through this owning buffer (stream-ordered allocation).
#include <span>
#include <vector>

#include "gpu/cuda/stream.hpp"

namespace citytwin::gpu {

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer(std::size_t n, const Stream& s) : n_(n), stream_(s.get()) {
    if (n_) CITYTWIN_CUDA_CHECK(cudaMallocAsync(reinterpret_cast<void**>(&p_), n_ * sizeof(T), stream_));
  }
  DeviceBuffer(std::span<const T> host, const Stream& s) : DeviceBuffer(host.size(), s) {
    if (n_) CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(p_, host.data(), n_ * sizeof(T), cudaMemcpyHostToDevice, stream_));
  }
  ~DeviceBuffer() {
    if (p_) cudaFreeAsync(p_, stream_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* data() { return p_; }
  const T* data() const { return p_; }
  std::size_t size() const { return n_; }
  // Copies to the host and waits for this stream.
  std::vector<T> to_host(const Stream& s) const {
    std::vector<T> out(n_);
    if (n_) CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(out.data(), p_, n_ * sizeof(T), cudaMemcpyDeviceToHost, s.get()));
    s.synchronize();
    return out;
  }

 private:
  T* p_ = nullptr;
  std::size_t n_ = 0;
  cudaStream_t stream_{};
};

}  // namespace citytwin::gpu
