// The CUDA back end of traffic::run_frank_wolfe (core/traffic/frank_wolfe_backend.hpp):
// every array of the iteration (flows, costs, directions, labels, trees) lives
// on the device; the iteration sees only the sums each step needs. Compiled
// with --fmad=false (gpu/CMakeLists.txt) so the sums round as those of the
// host counterpart (gpu/cpu/assignment_host.cpp) do.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "core/common/errors.hpp"
#include "gpu/assignment_device.hpp"
#include "core/traffic/chunked_sum.hpp"
#include "core/traffic/frank_wolfe_terms.hpp"
#include "gpu/assignment_lanes.hpp"
#include "gpu/cuda/device_buffer.hpp"
#include "gpu/kernels/aon_tree.hpp"
#include "gpu/kernels/lane_sums.hpp"
#include "gpu/kernels/pull_relax.hpp"

namespace citytwin::gpu {

namespace {

constexpr unsigned kThreads = 256;

unsigned blocks_for(std::int64_t threads) { return static_cast<unsigned>((threads + kThreads - 1) / kThreads); }

void require_device() {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
}

template <class T>
std::span<const T> view(const std::vector<T>& v) {
  return std::span<const T>(v);
}

// Page-locked host scalars: the only values read back per step.
class PinnedScalars {
 public:
  PinnedScalars() { CITYTWIN_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&p_), 8 * sizeof(double))); }
  ~PinnedScalars() { cudaFreeHost(p_); }
  PinnedScalars(const PinnedScalars&) = delete;
  PinnedScalars& operator=(const PinnedScalars&) = delete;
  double* data() { return p_; }

 private:
  double* p_ = nullptr;
};

// Thread per (node, lane); lanes is a multiple of 32, so a warp is one node's 32 lanes.
__global__ void start_kernel(std::int64_t total, int lanes, const std::int32_t* lane_origin, double* labels) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i < total) labels[i] = pull_start(static_cast<std::int32_t>(i / lanes), lane_origin[i % lanes]);
}

// One in-place sweep; sets *changed when a label fell (changed may be null).
__global__ void relax_kernel(std::int64_t total, int lanes, const std::int32_t* lane_origin, const std::int32_t* in_offset,
                             const std::int32_t* in_links, const std::int32_t* tail, const std::uint8_t* no_through,
                             const double* cost, double* labels, int* changed) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= total) return;
  const int lane = static_cast<int>(i % lanes);
  const std::int32_t origin = lane_origin[lane];
  if (origin < 0) return;
  if (pull_relax(static_cast<std::int32_t>(i / lanes), origin, in_offset, in_links, tail, no_through, cost, labels, lanes, lane) &&
      changed)
    *changed = 1;
}

__global__ void pred_kernel(std::int64_t total, int lanes, const std::int32_t* lane_origin, const std::int32_t* in_offset,
                            const std::int32_t* in_links, const std::int32_t* tail, const std::uint8_t* no_through,
                            const double* cost, const double* labels, std::int32_t* pred) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= total) return;
  const int lane = static_cast<int>(i % lanes);
  pred[i] = pull_best(static_cast<std::int32_t>(i / lanes), lane_origin[lane], in_offset, in_links, tail, no_through, cost, labels,
                      lanes, lane).link;
}

// Thread per OD pair; integer atomics commute, so the sums do not depend on the order.
__global__ void load_kernel(std::int64_t pairs, const std::int32_t* pair_lane, const std::int32_t* lane_origin,
                            const std::int32_t* destination, const std::uint64_t* amount, const double* labels,
                            const std::int32_t* pred, int lanes, const std::int32_t* tail, std::int32_t n,
                            unsigned long long* flow, int* broken) {
  const std::int64_t k = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (k >= pairs) return;
  const int lane = pair_lane[k];
  const std::int32_t dest = destination[k];
  if (!(labels[static_cast<std::int64_t>(dest) * lanes + lane] < 1.0 / 0.0)) return;
  if (!load_path(dest, lane_origin[lane], pred, lanes, lane, tail, n, amount[k],
                 [&](std::int32_t a, std::uint64_t q) { atomicAdd(flow + a, static_cast<unsigned long long>(q)); }))
    *broken = 1;
}

__global__ void fixed_to_flow_kernel(std::int32_t m, const unsigned long long* fixed, double* out) {
  const std::int32_t a = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (a < m) out[a] = static_cast<double>(fixed[a]) / kFlowScale;
}

__global__ void cost_kernel(std::int32_t m, const traffic::BprCoefficients* k, const double* x, double* cost) {
  const std::int32_t a = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (a < m) cost[a] = traffic::bpr_cost(k[a], x ? x[a] : 0.0);
}

__global__ void conjugate_kernel(std::int32_t m, double* s1, const double* y, double alpha) {
  const std::int32_t a = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (a < m) s1[a] = traffic::conjugate_mix(s1[a], y[a], alpha);
}

__global__ void biconjugate_kernel(std::int32_t m, double* s_new, const double* y, const double* s1, const double* s2, double b0,
                                   double b1, double b2) {
  const std::int32_t a = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (a < m) s_new[a] = traffic::biconjugate_mix(y[a], s1[a], s2[a], b0, b1, b2);
}

__global__ void step_kernel(std::int32_t m, double* x, const double* s1, double tau) {
  const std::int32_t a = static_cast<std::int32_t>(blockIdx.x * blockDim.x + threadIdx.x);
  if (a < m) x[a] = traffic::fw_step(x[a], s1[a], tau);
}

// Deterministic sums (core/traffic/chunked_sum.hpp): one thread per chunk of
// kSumChunk, then one thread over the partials.
template <class Term>
__global__ void chunk_kernel(std::int64_t chunks, std::int64_t count, Term term, double* partial) {
  const std::int64_t c = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (c < chunks) traffic::chunk_sum<Term::N>(c, kSumChunk, count, term, partial);
}

template <int N>
__global__ void partials_kernel(const double* partial, std::int64_t chunks, double* out) {
  if (blockIdx.x == 0 && threadIdx.x == 0) traffic::sum_partials<N>(partial, chunks, out);
}

class CudaBackend final : public traffic::FrankWolfeBackend {
 public:
  CudaBackend(const traffic::Network& net, const traffic::OdDemand& demand, const Stream& s)
      : s_(s), in_(prepare_lanes(net, demand)), n_(net.node_count), m_(net.link_count),
        pairs_(static_cast<std::int64_t>(demand.destination_node.size())),
        labels_total_(static_cast<std::int64_t>(net.node_count) * in_.lanes),
        in_offset_(view(net.in_offset), s), in_links_(view(net.in_links), s), tail_(view(net.tail), s),
        no_through_(view(net.no_through), s), coef_(view(net.coefficients), s), lane_origin_(view(in_.lane_origin), s),
        pair_lane_(view(in_.pair_lane), s), destination_(view(demand.destination_node), s), amount_(view(in_.amount), s),
        demand_flow_(view(demand.destination_flow), s), x_(size(m_), s), y_(size(m_), s), s1_(size(m_), s), s2_(size(m_), s),
        s_new_(size(m_), s), cost_(size(m_), s), labels_(fits(labels_total_), s), pred_(size(labels_total_), s),
        fixed_(size(m_), s), flags_(2, s),
        partial_(size(4 * std::max(traffic::sum_chunks(m_, kSumChunk), traffic::sum_chunks(pairs_, kSumChunk))), s), sums_(4, s) {}

  void start_timer() { start_.record(s_); }
  double elapsed_ms() const { return stop_.since(start_); }

  void start() override {
    cost_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, coef_.data(), nullptr, cost_.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    target(x_.data());
  }
  traffic::GapMeasures costs_and_target() override {
    cost_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, coef_.data(), x_.data(), cost_.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    target(y_.data());
    enqueue_sum(m_, traffic::GapTerm{coef_.data(), x_.data(), cost_.data()}, sums_.data());
    enqueue_sum(pairs_, SpttTerm{demand_flow_.data(), destination_.data(), pair_lane_.data(), labels_.data(), in_.lanes}, sums_.data() + 3);
    const double* h = read_back(4);
    traffic::GapMeasures m;
    m.tstt = h[0];
    m.total_travel_time = h[1];
    m.objective = h[2];
    m.sptt = h[3];
    return m;
  }
  void restart() override {
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(s1_.data(), y_.data(), bytes(m_), cudaMemcpyDeviceToDevice, s_.get()));
  }
  std::array<double, 2> conjugate_sums() override {
    enqueue_sum(m_, traffic::ConjugateTerm{coef_.data(), x_.data(), y_.data(), s1_.data()}, sums_.data());
    const double* h = read_back(2);
    return {h[0], h[1]};
  }
  void conjugate_update(double alpha, bool keep_previous) override {
    if (keep_previous)
      CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(s2_.data(), s1_.data(), bytes(m_), cudaMemcpyDeviceToDevice, s_.get()));
    conjugate_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, s1_.data(), y_.data(), alpha);
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
  }
  std::array<double, 4> biconjugate_sums(double tau) override {
    enqueue_sum(m_, traffic::BiconjugateTerm{coef_.data(), x_.data(), y_.data(), s1(), s2(), tau}, sums_.data());
    const double* h = read_back(4);
    return {h[0], h[1], h[2], h[3]};
  }
  void biconjugate_update(double b0, double b1, double b2) override {
    biconjugate_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, s_new(), y_.data(), s1(), s2(), b0, b1, b2);
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    // s2 <- s1 <- s_new: rotate the three buffers' roles, no copies.
    const int old_s2 = role_[1];
    role_[1] = role_[0];
    role_[0] = role_[2];
    role_[2] = old_s2;
  }
  std::array<double, 2> slope(double tau) override {
    enqueue_sum(m_, traffic::SlopeTerm{coef_.data(), x_.data(), s1(), tau}, sums_.data());
    const double* h = read_back(2);
    return {h[0], h[1]};
  }
  void step(double tau) override {
    step_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, x_.data(), s1(), tau);
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
  }
  std::vector<double> flows() override {
    stop_.record(s_);
    return x_.to_host(s_);
  }
  std::int64_t sweeps() const { return sweeps_; }

 private:
  static std::size_t size(std::int64_t k) { return static_cast<std::size_t>(k); }
  static std::size_t bytes(std::int64_t k) { return static_cast<std::size_t>(k) * sizeof(double); }
  // Labels and trees must fit beside each other; say so before allocating.
  static std::size_t fits(std::int64_t total) {
    std::size_t free_bytes = 0, all = 0;
    CITYTWIN_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &all));
    const std::size_t need = static_cast<std::size_t>(total) * (sizeof(double) + sizeof(std::int32_t));
    if (need > free_bytes / 10 * 9)
      throw BackendUnavailable(std::string("device assignment: labels and trees need ").append(std::to_string(need >> 20))
                                   .append(" MiB, the device has ").append(std::to_string(free_bytes >> 20)).append(" MiB free"));
    return static_cast<std::size_t>(total);
  }
  double* buffer(int role) { return role == 0 ? s1_.data() : role == 1 ? s2_.data() : s_new_.data(); }
  double* s1() { return buffer(role_[0]); }
  double* s2() { return buffer(role_[1]); }
  double* s_new() { return buffer(role_[2]); }

  template <class Term>
  void enqueue_sum(std::int64_t count, const Term& term, double* out) {
    const std::int64_t chunks = traffic::sum_chunks(count, kSumChunk);
    if (chunks > 0) {
      chunk_kernel<<<blocks_for(chunks), kThreads, 0, s_.get()>>>(chunks, count, term, partial_.data());
      CITYTWIN_CUDA_CHECK(cudaGetLastError());
    }
    partials_kernel<Term::N><<<1, 1, 0, s_.get()>>>(partial_.data(), chunks, out);
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
  }
  const double* read_back(int count) {
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(host_.data(), sums_.data(), bytes(count), cudaMemcpyDeviceToHost, s_.get()));
    s_.synchronize();
    return host_.data();
  }
  int read_flag(const int* flag) {
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(host_.data(), flag, sizeof(int), cudaMemcpyDeviceToHost, s_.get()));
    s_.synchronize();
    int v = 0;
    std::memcpy(&v, host_.data(), sizeof(int));
    return v;
  }

  // Labels to the fixed point under cost_, their tree links, all-or-nothing into out.
  void target(double* out) {
    const unsigned grid = blocks_for(labels_total_);
    start_kernel<<<grid, kThreads, 0, s_.get()>>>(labels_total_, in_.lanes, lane_origin_.data(), labels_.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    // Sweep in batches; only the batch's last sweep raises the flag, and a
    // last sweep that changed nothing means the fixed point. The first batch
    // is as long as the previous pass took (costs change little between iterations).
    std::int64_t batch = std::max<std::int64_t>(2, last_sweeps_);
    std::int64_t done = 0;
    for (;;) {
      for (std::int64_t i = 0; i < batch; ++i) {
        const bool last = i + 1 == batch;
        if (last) CITYTWIN_CUDA_CHECK(cudaMemsetAsync(flags_.data(), 0, sizeof(int), s_.get()));
        relax_kernel<<<grid, kThreads, 0, s_.get()>>>(labels_total_, in_.lanes, lane_origin_.data(), in_offset_.data(), in_links_.data(),
                                                      tail_.data(), no_through_.data(), cost_.data(), labels_.data(),
                                                      last ? flags_.data() : nullptr);
        CITYTWIN_CUDA_CHECK(cudaGetLastError());
      }
      done += batch;
      if (!read_flag(flags_.data())) break;
      batch = 2;
    }
    sweeps_ += done;
    last_sweeps_ = done;
    pred_kernel<<<grid, kThreads, 0, s_.get()>>>(labels_total_, in_.lanes, lane_origin_.data(), in_offset_.data(), in_links_.data(),
                                                 tail_.data(), no_through_.data(), cost_.data(), labels_.data(), pred_.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(fixed_.data(), 0, fixed_.size() * sizeof(unsigned long long), s_.get()));
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(flags_.data() + 1, 0, sizeof(int), s_.get()));
    if (pairs_ > 0) {
      load_kernel<<<blocks_for(pairs_), kThreads, 0, s_.get()>>>(pairs_, pair_lane_.data(), lane_origin_.data(), destination_.data(),
                                                                 amount_.data(), labels_.data(), pred_.data(), in_.lanes, tail_.data(),
                                                                 n_, fixed_.data(), flags_.data() + 1);
      CITYTWIN_CUDA_CHECK(cudaGetLastError());
    }
    fixed_to_flow_kernel<<<blocks_for(m_), kThreads, 0, s_.get()>>>(m_, fixed_.data(), out);
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    if (read_flag(flags_.data() + 1))
      throw InvalidInput("device assignment: a destination's tree path does not lead back to its origin");
  }

  const Stream& s_;
  LaneInputs in_;
  std::int32_t n_, m_;
  std::int64_t pairs_, labels_total_;
  DeviceBuffer<std::int32_t> in_offset_, in_links_, tail_;
  DeviceBuffer<std::uint8_t> no_through_;
  DeviceBuffer<traffic::BprCoefficients> coef_;
  DeviceBuffer<std::int32_t> lane_origin_, pair_lane_, destination_;
  DeviceBuffer<std::uint64_t> amount_;
  DeviceBuffer<double> demand_flow_, x_, y_, s1_, s2_, s_new_, cost_, labels_;
  DeviceBuffer<std::int32_t> pred_;
  DeviceBuffer<unsigned long long> fixed_;
  DeviceBuffer<int> flags_;  // [0] a label fell in the last sweep, [1] a broken tree walk
  DeviceBuffer<double> partial_, sums_;
  PinnedScalars host_;
  Event start_, stop_;
  int role_[3] = {0, 1, 2};  // which buffer holds s1, s2, s_new
  std::int64_t sweeps_ = 0, last_sweeps_ = 0;
};

}  // namespace

DeviceAssignmentResult assign_frank_wolfe(const traffic::Network& net, const traffic::OdDemand& demand,
                                          const DeviceAssignmentOptions& options) {
  require_device();
  const auto t0 = std::chrono::steady_clock::now();
  Stream s;
  CudaBackend backend(net, demand, s);
  s.synchronize();  // uploads done: they count as preparation, not as the iteration
  const double host_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  backend.start_timer();
  DeviceAssignmentResult r = run_device_iteration(backend, demand, options);
  r.sweeps = backend.sweeps();
  r.times = {backend.elapsed_ms(), host_ms};
  return r;
}

std::vector<double> pull_distances(const traffic::Network& net, std::span<const std::int32_t> origins, std::span<const double> cost) {
  require_device();
  const auto n = static_cast<std::size_t>(net.node_count);
  if (cost.size() != static_cast<std::size_t>(net.link_count)) throw InvalidInput("pull_distances: one cost per link expected");
  for (std::size_t a = 0; a < cost.size(); ++a)
    if (!(cost[a] >= 0))
      throw InvalidInput(std::string("pull_distances: link ").append(std::to_string(a)).append(" has a negative or NaN cost"));
  const int lanes = static_cast<int>((origins.size() + 31) / 32 * 32);
  std::vector<std::int32_t> lane_origin(static_cast<std::size_t>(lanes), -1);
  for (std::size_t i = 0; i < origins.size(); ++i) {
    if (origins[i] < 0 || origins[i] >= net.node_count)
      throw InvalidInput(std::string("pull_distances: origin ").append(std::to_string(i)).append(" is not a network node"));
    lane_origin[i] = origins[i];
  }
  std::vector<double> out(origins.size() * n);
  if (origins.empty() || n == 0) return out;
  Stream s;
  const std::int64_t total = static_cast<std::int64_t>(n) * lanes;
  DeviceBuffer<std::int32_t> in_offset(view(net.in_offset), s), in_links(view(net.in_links), s), tail(view(net.tail), s);
  DeviceBuffer<std::uint8_t> no_through(view(net.no_through), s);
  DeviceBuffer<double> d_cost(cost, s), labels(static_cast<std::size_t>(total), s);
  DeviceBuffer<std::int32_t> d_origin(view(lane_origin), s);
  DeviceBuffer<int> changed(1, s);
  start_kernel<<<blocks_for(total), kThreads, 0, s.get()>>>(total, lanes, d_origin.data(), labels.data());
  CITYTWIN_CUDA_CHECK(cudaGetLastError());
  for (int flag = 1; flag;) {
    CITYTWIN_CUDA_CHECK(cudaMemsetAsync(changed.data(), 0, sizeof(int), s.get()));
    relax_kernel<<<blocks_for(total), kThreads, 0, s.get()>>>(total, lanes, d_origin.data(), in_offset.data(), in_links.data(),
                                                              tail.data(), no_through.data(), d_cost.data(), labels.data(),
                                                              changed.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    flag = changed.to_host(s)[0];
  }
  const std::vector<double> host = labels.to_host(s);
  for (std::size_t i = 0; i < origins.size(); ++i)
    for (std::size_t v = 0; v < n; ++v) out[i * n + v] = host[v * static_cast<std::size_t>(lanes) + i];
  return out;
}

}  // namespace citytwin::gpu
