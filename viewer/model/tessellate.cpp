#include "viewer/model/tessellate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citytwin::viewer {

namespace {

double cross(Point2 a, Point2 b, Point2 c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

double signed_area(const std::vector<Point2>& r) {
  double a = 0;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) a += (r[j].x - r[i].x) * (r[j].y + r[i].y);
  return a / 2;
}

std::vector<Point2> open_ring(const std::vector<Point2>& ring) {
  std::vector<Point2> r;
  r.reserve(ring.size());
  for (const Point2& p : ring)
    if (r.empty() || p.x != r.back().x || p.y != r.back().y) r.push_back(p);
  while (r.size() > 1 && r.front().x == r.back().x && r.front().y == r.back().y) r.pop_back();
  return r;
}

bool same(Point2 a, Point2 b) { return a.x == b.x && a.y == b.y; }

// Proper intersection of segments ab and cd (shared endpoints do not count).
bool segments_cross(Point2 a, Point2 b, Point2 c, Point2 d) {
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
  const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

bool inside_triangle(Point2 a, Point2 b, Point2 c, Point2 p) {
  return cross(a, b, p) > 0 && cross(b, c, p) > 0 && cross(c, a, p) > 0;
}

}  // namespace

Triangulation triangulate(const std::vector<std::vector<Point2>>& rings) {
  Triangulation out;
  if (rings.empty()) return out;
  std::vector<Point2> poly = open_ring(rings[0]);
  if (poly.size() < 3) return out;
  if (signed_area(poly) < 0) std::reverse(poly.begin(), poly.end());

  // Bridge holes (rightmost first) into the outer ring.
  std::vector<std::vector<Point2>> holes;
  for (std::size_t h = 1; h < rings.size(); ++h) {
    auto r = open_ring(rings[h]);
    if (r.size() < 3) continue;
    if (signed_area(r) > 0) std::reverse(r.begin(), r.end());
    holes.push_back(std::move(r));
  }
  auto max_x = [](const std::vector<Point2>& r) {
    return std::max_element(r.begin(), r.end(), [](Point2 a, Point2 b) { return a.x < b.x; }) - r.begin();
  };
  std::sort(holes.begin(), holes.end(),
            [&](const auto& a, const auto& b) { return a[std::size_t(max_x(a))].x > b[std::size_t(max_x(b))].x; });
  for (std::size_t h = 0; h < holes.size(); ++h) {
    const auto& hole = holes[h];
    const std::size_t m = std::size_t(max_x(hole));
    const Point2 M = hole[m];
    std::size_t best = poly.size();
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t v = 0; v < poly.size(); ++v) {
      const double d = std::hypot(poly[v].x - M.x, poly[v].y - M.y);
      if (d >= best_d) continue;
      bool ok = true;
      for (std::size_t e = 0; e < poly.size() && ok; ++e)
        ok = !segments_cross(M, poly[v], poly[e], poly[(e + 1) % poly.size()]);
      for (std::size_t k = h; k < holes.size() && ok; ++k)
        for (std::size_t e = 0; e < holes[k].size() && ok; ++e)
          ok = !segments_cross(M, poly[v], holes[k][e], holes[k][(e + 1) % holes[k].size()]);
      if (ok) {
        best = v;
        best_d = d;
      }
    }
    if (best == poly.size()) continue;  // cannot bridge: the hole is filled (counted as fallback)
    std::vector<Point2> merged(poly.begin(), poly.begin() + std::ptrdiff_t(best) + 1);
    for (std::size_t k = 0; k <= hole.size(); ++k) merged.push_back(hole[(m + k) % hole.size()]);
    merged.push_back(poly[best]);
    merged.insert(merged.end(), poly.begin() + std::ptrdiff_t(best) + 1, poly.end());
    poly = std::move(merged);
  }

  // Ear clipping over a circular linked list.
  const std::size_t n = poly.size();
  out.vertices = poly;
  std::vector<std::size_t> prev(n), next(n);
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = (i + n - 1) % n;
    next[i] = (i + 1) % n;
  }
  std::vector<std::uint8_t> removed(n, 0);
  std::size_t remaining = n, i = 0, since_last_ear = 0;
  auto is_ear = [&](std::size_t v) {
    const Point2 a = poly[prev[v]], b = poly[v], c = poly[next[v]];
    if (cross(a, b, c) <= 0) return false;  // reflex or flat
    for (std::size_t k = next[next[v]]; k != prev[v]; k = next[k]) {
      const Point2 p = poly[k];
      if (same(p, a) || same(p, b) || same(p, c)) continue;
      if (cross(poly[prev[k]], p, poly[next[k]]) > 0) continue;  // only reflex vertices can be inside
      if (inside_triangle(a, b, c, p)) return false;
    }
    return true;
  };
  while (remaining > 3) {
    const Point2 a = poly[prev[i]], b = poly[i], c = poly[next[i]];
    const bool flat = cross(a, b, c) == 0;  // collinear or a zero-width spike: drop the vertex
    if (flat || is_ear(i)) {
      if (!flat) {
        out.indices.push_back(std::uint32_t(prev[i]));
        out.indices.push_back(std::uint32_t(i));
        out.indices.push_back(std::uint32_t(next[i]));
      }
      removed[i] = 1;
      next[prev[i]] = next[i];
      prev[next[i]] = prev[i];
      i = prev[i];
      --remaining;
      since_last_ear = 0;
      continue;
    }
    i = next[i];
    if (++since_last_ear > remaining) {
      // No ear left (self-intersecting ring): finish with a fan.
      out.fallback = true;
      const std::size_t first = i;
      for (std::size_t k = next[first]; next[k] != first; k = next[k]) {
        out.indices.push_back(std::uint32_t(first));
        out.indices.push_back(std::uint32_t(k));
        out.indices.push_back(std::uint32_t(next[k]));
      }
      remaining = 0;
      break;
    }
  }
  if (remaining == 3) {
    const Point2 a = poly[prev[i]], b = poly[i], c = poly[next[i]];
    if (cross(a, b, c) != 0) {
      out.indices.push_back(std::uint32_t(prev[i]));
      out.indices.push_back(std::uint32_t(i));
      out.indices.push_back(std::uint32_t(next[i]));
    }
  }
  return out;
}

double triangulated_area(const Triangulation& t) {
  double a = 0;
  for (std::size_t k = 0; k + 2 < t.indices.size(); k += 3)
    a += std::abs(cross(t.vertices[t.indices[k]], t.vertices[t.indices[k + 1]], t.vertices[t.indices[k + 2]])) / 2;
  return a;
}

}  // namespace citytwin::viewer
