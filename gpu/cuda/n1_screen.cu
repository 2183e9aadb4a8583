// DC N-1 screening as dense products: B = LU once (cuSOLVER), W = B^-1 R for
// every outage's injection column at once, the factors of every active branch
// for every outage as one GEMM (cuBLAS), then one thread per outage screens
// its column with the body of gpu/kernels/n1_screen.hpp.
#include <algorithm>
#include <chrono>

#include "core/common/errors.hpp"
#include "gpu/backend.hpp"
#include "gpu/cuda/blas.hpp"
#include "gpu/cuda/device_buffer.hpp"
#include "gpu/dc_screen_plan.hpp"

namespace citytwin::gpu {

namespace {

constexpr unsigned kThreads = 256;

unsigned blocks_for(std::size_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

// Column c of the injections: +1 at the outaged branch's from row, -1 at its to row (slack ends have no row).
__global__ void injection_kernel(std::int32_t m, std::int64_t ld, const std::int32_t* from_row, const std::int32_t* to_row,
                                 double* r) {
  const std::int32_t c = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (c >= m) return;
  if (from_row[c] >= 0) r[from_row[c] + c * ld] += 1.0;
  if (to_row[c] >= 0) r[to_row[c] + c * ld] -= 1.0;
}

// Row r of the branch-susceptance matrix: b at its from column, -b at its to column.
__global__ void susceptance_kernel(std::int32_t m, const std::int32_t* from_row, const std::int32_t* to_row, const double* b,
                                   double* mat) {
  const std::int32_t r = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (r >= m) return;
  if (from_row[r] >= 0) mat[r + static_cast<std::int64_t>(from_row[r]) * m] += b[r];
  if (to_row[r] >= 0) mat[r + static_cast<std::int64_t>(to_row[r]) * m] -= b[r];
}

// Reads pt[c + r * m]: consecutive outages read consecutive addresses.
__global__ void screen_kernel(std::int32_t m, const double* pt, const double* f0, std::int32_t n_mon, const std::int32_t* mon_row,
                              const double* mon_f0, const double* mon_inv_rating, const double* mon_base, double threshold,
                              OutageScreen* out) {
  const std::int32_t c = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (c >= m) return;
  out[c] = screen_outage(pt + c, m, c, f0[c], n_mon, mon_row, mon_f0, mon_inv_rating, mon_base, threshold);
}

template <class T>
std::span<const T> view(const std::vector<T>& v) {
  return std::span<const T>(v);
}

}  // namespace

std::vector<grid::OutageResult> screen_n_minus_1_dc(const grid::PowerCase& pc, const grid::ContingencyOptions& options,
                                                     KernelTimes* times) {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
  const auto host_start = std::chrono::steady_clock::now();
  const DcScreenPlan plan = dc_screen_plan(pc, options);
  const double host_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host_start).count();
  const auto m = static_cast<std::int32_t>(plan.active.size());
  const std::int32_t nr = plan.nr;
  if (m == 0) return {};
  Stream s;
  BlasHandle blas(s);
  SolverHandle solver(s);
  DeviceBuffer<std::int32_t> from_row(view(plan.from_row), s), to_row(view(plan.to_row), s);
  DeviceBuffer<double> b(view(plan.b), s), f0(view(plan.f0), s);
  DeviceBuffer<double> pt(static_cast<std::size_t>(m) * static_cast<std::size_t>(m), s);
  // Timed from the LU to the screen (the B and branch uploads are before).
  Event start, stop;
  start.record(s);
  if (nr > 0) {
    // W = B^-1 R, in place of R.
    DeviceBuffer<double> lu(view(plan.b_dense), s);
    DeviceBuffer<double> w(static_cast<std::size_t>(nr) * static_cast<std::size_t>(m), s);
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(w.data(), 0, w.size() * sizeof(double), s.get()));
    injection_kernel<<<blocks_for(static_cast<std::size_t>(m)), kThreads, 0, s.get()>>>(m, nr, from_row.data(), to_row.data(), w.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    int work_size = 0;
    CITYTWIN_CUSOLVER_CHECK(cusolverDnDgetrf_bufferSize(solver.get(), nr, nr, lu.data(), nr, &work_size));
    DeviceBuffer<double> work(static_cast<std::size_t>(std::max(work_size, 1)), s);
    DeviceBuffer<int> pivots(static_cast<std::size_t>(nr), s), info(2, s);
    CITYTWIN_CUSOLVER_CHECK(cusolverDnDgetrf(solver.get(), nr, nr, lu.data(), nr, work.data(), pivots.data(), info.data()));
    CITYTWIN_CUSOLVER_CHECK(cusolverDnDgetrs(solver.get(), CUBLAS_OP_N, nr, m, lu.data(), nr, pivots.data(), w.data(), nr, info.data() + 1));
    // Factor matrix, transposed so the screen reads it coalesced: PT = W^T M^T.
    DeviceBuffer<double> mat(static_cast<std::size_t>(m) * static_cast<std::size_t>(nr), s);
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(mat.data(), 0, mat.size() * sizeof(double), s.get()));
    susceptance_kernel<<<blocks_for(static_cast<std::size_t>(m)), kThreads, 0, s.get()>>>(m, from_row.data(), to_row.data(), b.data(), mat.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    const double one = 1.0, zero = 0.0;
    CITYTWIN_CUBLAS_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_T, CUBLAS_OP_T, m, m, nr, &one, w.data(), nr, mat.data(), m, &zero, pt.data(), m));
    const std::vector<int> status = info.to_host(s);
    if (status[0] != 0) throw NotConverged("DC N-1 on the GPU: the reduced B matrix is singular (LU pivot " + std::to_string(status[0]) + ")");
  } else {
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(pt.data(), 0, pt.size() * sizeof(double), s.get()));
  }
  const auto n_mon = static_cast<std::int32_t>(plan.mon_row.size());
  DeviceBuffer<std::int32_t> mon_row(view(plan.mon_row), s);
  DeviceBuffer<double> mon_f0(view(plan.mon_f0), s), mon_inv(view(plan.mon_inv_rating), s), mon_base(view(plan.mon_base), s);
  DeviceBuffer<OutageScreen> screens(static_cast<std::size_t>(m), s);
  screen_kernel<<<blocks_for(static_cast<std::size_t>(m)), kThreads, 0, s.get()>>>(m, pt.data(), f0.data(), n_mon, mon_row.data(), mon_f0.data(),
                                                                                mon_inv.data(), mon_base.data(), plan.threshold, screens.data());
  CITYTWIN_CUDA_CHECK(cudaGetLastError());
  stop.record(s);
  if (times) *times = {stop.since(start), host_ms};
  return outage_results(plan, screens.to_host(s));
}

}  // namespace citytwin::gpu
