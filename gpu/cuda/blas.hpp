#pragma once
// RAII cuBLAS and cuSOLVER handles bound to a stream, and their checking
// macros (they return their own status types, not cudaError_t).
#include <cublas_v2.h>
#include <cusolverDn.h>

#include <string>

#include "gpu/cuda/stream.hpp"

#define CITYTWIN_CUBLAS_CHECK(call)                                                                             \
  do {                                                                                                          \
    const cublasStatus_t citytwin_st_ = (call);                                                                 \
    if (citytwin_st_ != CUBLAS_STATUS_SUCCESS)                                                                  \
      throw ::citytwin::BackendUnavailable(std::string(#call) + " failed: cuBLAS status " +                     \
                                           std::to_string(static_cast<int>(citytwin_st_)) + " (" + __FILE__ + ":" + \
                                           std::to_string(__LINE__) + ")");                                     \
  } while (0)

#define CITYTWIN_CUSOLVER_CHECK(call)                                                                           \
  do {                                                                                                          \
    const cusolverStatus_t citytwin_st_ = (call);                                                               \
    if (citytwin_st_ != CUSOLVER_STATUS_SUCCESS)                                                                \
      throw ::citytwin::BackendUnavailable(std::string(#call) + " failed: cuSOLVER status " +                   \
                                           std::to_string(static_cast<int>(citytwin_st_)) + " (" + __FILE__ + ":" + \
                                           std::to_string(__LINE__) + ")");                                     \
  } while (0)

namespace citytwin::gpu {

class BlasHandle {
 public:
  explicit BlasHandle(const Stream& s) {
    CITYTWIN_CUBLAS_CHECK(cublasCreate(&h_));
    CITYTWIN_CUBLAS_CHECK(cublasSetStream(h_, s.get()));
  }
  ~BlasHandle() { cublasDestroy(h_); }
  BlasHandle(const BlasHandle&) = delete;
  BlasHandle& operator=(const BlasHandle&) = delete;
  cublasHandle_t get() const { return h_; }

 private:
  cublasHandle_t h_{};
};

class SolverHandle {
 public:
  explicit SolverHandle(const Stream& s) {
    CITYTWIN_CUSOLVER_CHECK(cusolverDnCreate(&h_));
    CITYTWIN_CUSOLVER_CHECK(cusolverDnSetStream(h_, s.get()));
  }
  ~SolverHandle() { cusolverDnDestroy(h_); }
  SolverHandle(const SolverHandle&) = delete;
  SolverHandle& operator=(const SolverHandle&) = delete;
  cusolverDnHandle_t get() const { return h_; }

 private:
  cusolverDnHandle_t h_{};
};

}  // namespace citytwin::gpu
