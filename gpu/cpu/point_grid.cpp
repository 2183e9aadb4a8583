#include "gpu/point_grid.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/errors.hpp"

namespace citytwin::gpu {

PointGrid build_point_grid(std::span<const double> x, std::span<const double> y, double per_cell) {
  if (x.size() != y.size()) throw InvalidInput("nearest join: reference x and y differ in length");
  PointGrid g;
  const std::size_t n = x.size();
  if (n == 0) {
    g.nx = g.ny = 1;
    g.cell_start.assign(2, 0);
    return g;
  }
  double x1 = x[0], y1 = y[0];
  g.x0 = x[0], g.y0 = y[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InvalidInput("nearest join: reference point " + std::to_string(i) + " has a non-finite coordinate");
    g.x0 = std::min(g.x0, x[i]), x1 = std::max(x1, x[i]);
    g.y0 = std::min(g.y0, y[i]), y1 = std::max(y1, y[i]);
  }
  // Square cells sized for `per_cell` points on average, but never so thin
  // that one side has more cells than there are points (long narrow extents,
  // all points on a line): nx * ny stays below about 3 n / per_cell.
  const double w = x1 - g.x0, h = y1 - g.y0;
  const double cells = std::max(1.0, static_cast<double>(n) / per_cell);
  double cell = std::max(std::sqrt(w * h / cells), std::max(w, h) / cells);
  if (!(cell > 0)) cell = 1.0;  // a single distinct point
  g.cell = cell;
  g.nx = static_cast<std::int32_t>(std::floor(w / cell)) + 1;
  g.ny = static_cast<std::int32_t>(std::floor(h / cell)) + 1;
  const std::size_t nc = static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny);
  std::vector<std::int32_t> of(n);
  g.cell_start.assign(nc + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t c = grid_cell(y[i], g.y0, cell, g.ny) * g.nx + grid_cell(x[i], g.x0, cell, g.nx);
    of[i] = c;
    ++g.cell_start[static_cast<std::size_t>(c) + 1];
  }
  for (std::size_t c = 0; c < nc; ++c) g.cell_start[c + 1] += g.cell_start[c];
  std::vector<std::int32_t> fill(g.cell_start.begin(), g.cell_start.end() - 1);
  g.px.resize(n), g.py.resize(n), g.id.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(fill[static_cast<std::size_t>(of[i])]++);
    g.px[k] = x[i], g.py[k] = y[i], g.id[k] = static_cast<std::int32_t>(i);
  }
  return g;
}

}  // namespace citytwin::gpu
