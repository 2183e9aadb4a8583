#pragma once
// Nearest reference point by a uniform bucket grid, the per-query body shared
// by the host version and the CUDA kernel. Rings of cells are scanned outwards from
// the query's cell until no unscanned cell can hold a closer point. The answer
// is the exact minimum of (squared distance, original id), so it does not
// depend on the scan order and equals brute force.
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

// Device- or host-side view of a PointGrid (gpu/point_grid.hpp).
struct PointGridView {
  double x0 = 0, y0 = 0, cell = 1;
  std::int32_t nx = 0, ny = 0;
  const std::int32_t* cell_start = nullptr;  // nx * ny + 1 offsets into the sorted points
  const double* px = nullptr;                // points sorted by cell
  const double* py = nullptr;
  const std::int32_t* id = nullptr;          // original index of each sorted point
};

// Squared distance without fused multiply-add: nvcc would otherwise contract
// it and the device answer could differ from the host's in the last bit.
CITYTWIN_HD inline double squared_distance(double ax, double ay, double bx, double by) {
  const double dx = ax - bx, dy = ay - by;
#if defined(__CUDA_ARCH__)
  return __dadd_rn(__dmul_rn(dx, dx), __dmul_rn(dy, dy));
#else
  return dx * dx + dy * dy;
#endif
}

CITYTWIN_HD inline std::int32_t grid_cell(double v, double origin, double cell, std::int32_t count) {
  const double c = (v - origin) / cell;
  if (!(c >= 0)) return 0;  // also NaN
  if (c >= static_cast<double>(count - 1)) return count - 1;
  return static_cast<std::int32_t>(c);
}

// Index (original numbering) of the reference point nearest to (qx, qy); -1 when the grid is empty.
CITYTWIN_HD inline std::int32_t nearest_in_grid(const PointGridView& g, double qx, double qy) {
  if (g.nx <= 0 || g.ny <= 0 || g.cell_start[g.nx * g.ny] == 0) return -1;
  const std::int32_t cx = grid_cell(qx, g.x0, g.cell, g.nx), cy = grid_cell(qy, g.y0, g.cell, g.ny);
  double best = 1.0 / 0.0;
  std::int32_t best_id = -1;
  auto scan = [&](std::int32_t i, std::int32_t j) {
    const std::int32_t c = j * g.nx + i;
    for (std::int32_t k = g.cell_start[c]; k < g.cell_start[c + 1]; ++k) {
      const double d = squared_distance(g.px[k], g.py[k], qx, qy);
      if (d < best || (d == best && g.id[k] < best_id)) {
        best = d;
        best_id = g.id[k];
      }
    }
  };
  // Cells are assigned with rounding, so the bound keeps a margin of a millionth of a cell.
  const double margin = 1e-6 * g.cell;
  for (std::int32_t r = 0;; ++r) {
    const std::int32_t i0 = cx - r, i1 = cx + r, j0 = cy - r, j1 = cy + r;
    for (std::int32_t j = j0 < 0 ? 0 : j0; j <= j1 && j < g.ny; ++j) {
      if (j == j0 || j == j1) {
        for (std::int32_t i = i0 < 0 ? 0 : i0; i <= i1 && i < g.nx; ++i) scan(i, j);
      } else {
        if (i0 >= 0) scan(i0, j);
        if (i1 < g.nx && i1 != i0) scan(i1, j);
      }
    }
    // Lower bound on the distance to any cell outside this block of rings.
    double bound = 1.0 / 0.0;
    bool more = false;
    auto side = [&](bool exists, double gap) {
      if (!exists) return;
      more = true;
      gap -= margin;
      gap = gap > 0 ? gap : 0;
      bound = gap < bound ? gap : bound;
    };
    side(i0 > 0, qx - (g.x0 + i0 * g.cell));
    side(i1 < g.nx - 1, g.x0 + (i1 + 1) * g.cell - qx);
    side(j0 > 0, qy - (g.y0 + j0 * g.cell));
    side(j1 < g.ny - 1, g.y0 + (j1 + 1) * g.cell - qy);
    if (!more || best < bound * bound) return best_id;
  }
}

}  // namespace citytwin::gpu
