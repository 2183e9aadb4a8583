#pragma once
// The bucket grid over reference points for the nearest-neighbour join,
// built on the host (counting sort by cell) and used by both the host version and
// the CUDA kernel through PointGridView.
#include <cstdint>
#include <span>
#include <vector>

#include "gpu/kernels/nearest_grid.hpp"

namespace citytwin::gpu {

struct PointGrid {
  double x0 = 0, y0 = 0, cell = 1;
  std::int32_t nx = 0, ny = 0;
  std::vector<std::int32_t> cell_start;  // nx * ny + 1
  std::vector<double> px, py;            // sorted by cell
  std::vector<std::int32_t> id;          // original index per sorted point

  PointGridView view() const { return {x0, y0, cell, nx, ny, cell_start.data(), px.data(), py.data(), id.data()}; }
};

// About `per_cell` points per occupied cell on uniform data. Throws
// InvalidInput on non-finite coordinates (they have no cell).
PointGrid build_point_grid(std::span<const double> x, std::span<const double> y, double per_cell = 2.0);

}  // namespace citytwin::gpu
