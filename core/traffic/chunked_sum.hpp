#pragma once
// Deterministic sums of per-element terms, written once for the host's TBB
// loops (chunked_sum_host.hpp) and the CUDA kernels in gpu/: [0, count) is
// cut into chunks of `chunk` consecutive elements, each chunk summed in index
// order (one task on the host, one thread on the device), then the chunk
// partials summed in chunk order. The same additions in the same order
// wherever they run give the same totals, bit for bit (nvcc without FMA
// contraction, as g++ is here).
//
// A term is a functor with `static constexpr int N` whose operator()(i, acc)
// adds element i's N values to acc[0..N) (core/traffic/frank_wolfe_terms.hpp).
#include <cstdint>

#include "core/traffic/host_device.hpp"

namespace citytwin::traffic {

inline constexpr std::int64_t sum_chunks(std::int64_t count, std::int64_t chunk) { return (count + chunk - 1) / chunk; }

// partial[c * N + j] = sum over chunk c's elements of term j.
template <int N, class Term>
CITYTWIN_HD inline void chunk_sum(std::int64_t c, std::int64_t chunk, std::int64_t count, const Term& term, double* partial) {
  double acc[N];
  for (int j = 0; j < N; ++j) acc[j] = 0.0;
  const std::int64_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
  for (std::int64_t i = c * chunk; i < end; ++i) term(i, acc);
  for (int j = 0; j < N; ++j) partial[c * N + j] = acc[j];
}

// out[j] = the chunk partials of term j added in chunk order.
template <int N>
CITYTWIN_HD inline void sum_partials(const double* partial, std::int64_t chunks, double* out) {
  for (int j = 0; j < N; ++j) out[j] = 0.0;
  for (std::int64_t c = 0; c < chunks; ++c)
    for (int j = 0; j < N; ++j) out[j] += partial[c * N + j];
}

}  // namespace citytwin::traffic
