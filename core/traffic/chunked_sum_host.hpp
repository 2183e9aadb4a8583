#pragma once
// chunked_sum.hpp on the host: the chunks in parallel (TBB), their partials
// added in chunk order, so the totals do not depend on the thread count.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/traffic/chunked_sum.hpp"

namespace citytwin::traffic {

// Sums term over [0, count) in chunks of `chunk` elements; chunk 0 means one
// chunk, a plain serial sum in index order.
template <class Term>
std::array<double, Term::N> chunked_sum_host(std::int64_t count, std::int64_t chunk, const Term& term) {
  constexpr int N = Term::N;
  if (chunk <= 0) chunk = count > 0 ? count : 1;
  const std::int64_t chunks = sum_chunks(count, chunk);
  std::vector<double> partial(static_cast<std::size_t>(chunks * N));
  if (chunks == 1) {
    chunk_sum<N>(0, chunk, count, term, partial.data());
  } else {
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, chunks, 4), [&](const tbb::blocked_range<std::int64_t>& r) {
      for (std::int64_t c = r.begin(); c != r.end(); ++c) chunk_sum<N>(c, chunk, count, term, partial.data());
    });
  }
  std::array<double, N> out{};
  sum_partials<N>(partial.data(), chunks, out.data());
  return out;
}

}  // namespace citytwin::traffic
