#pragma once
// RAII stream and event. Library code orders work on a stream and
// synchronises that stream only, never the whole device.
#include "gpu/cuda/check.hpp"

namespace citytwin::gpu {

class Stream {
 public:
  Stream() { CITYTWIN_CUDA_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(s_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }
  void synchronize() const { CITYTWIN_CUDA_CHECK(cudaStreamSynchronize(s_)); }

 private:
  cudaStream_t s_{};
};

class Event {
 public:
  Event() { CITYTWIN_CUDA_CHECK(cudaEventCreate(&e_)); }
  ~Event() { cudaEventDestroy(e_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  void record(const Stream& s) { CITYTWIN_CUDA_CHECK(cudaEventRecord(e_, s.get())); }
  // Milliseconds from `start` to this event (both recorded and complete).
  float since(const Event& start) const {
    CITYTWIN_CUDA_CHECK(cudaEventSynchronize(e_));
    float ms = 0;
    CITYTWIN_CUDA_CHECK(cudaEventElapsedTime(&ms, start.e_, e_));
    return ms;
  }

 private:
  cudaEvent_t e_{};
};

}  // namespace citytwin::gpu
