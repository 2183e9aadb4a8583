#pragma once
// Every CUDA runtime call goes through CITYTWIN_CUDA_CHECK, which throws with
// the call, file and line (the cuSpatial rule). Only .cu files include this.
#include <cuda_runtime.h>

#include <string>

#include "core/common/errors.hpp"

namespace citytwin::gpu {

[[noreturn]] inline void cuda_fail(cudaError_t err, const char* call, const char* file, int line) {
  throw BackendUnavailable(std::string(call) + " failed: " + cudaGetErrorString(err) + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace citytwin::gpu

#define CITYTWIN_CUDA_CHECK(call)                                                     \
  do {                                                                                \
    const cudaError_t citytwin_err_ = (call);                                         \
    if (citytwin_err_ != cudaSuccess) ::citytwin::gpu::cuda_fail(citytwin_err_, #call, __FILE__, __LINE__); \
  } while (0)
