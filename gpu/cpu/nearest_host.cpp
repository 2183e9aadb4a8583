// Host version (TBB) of the nearest-neighbour join: one grid query per point.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/common/errors.hpp"
#include "gpu/kernels_host.hpp"
#include "gpu/point_grid.hpp"

namespace citytwin::gpu::cpu {

std::vector<std::int32_t> nearest_points(std::span<const double> ref_x, std::span<const double> ref_y,
                                         std::span<const double> query_x, std::span<const double> query_y) {
  if (query_x.size() != query_y.size()) throw InvalidInput("nearest join: query x and y differ in length");
  const PointGrid grid = build_point_grid(ref_x, ref_y);
  const PointGridView view = grid.view();
  std::vector<std::int32_t> out(query_x.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.size(), 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) out[i] = nearest_in_grid(view, query_x[i], query_y[i]);
  });
  return out;
}

}  // namespace citytwin::gpu::cpu
