#include "core/model/road_graph_builder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace citytwin {

namespace {

// Uniform grid over points, for "is there a point within r of p?" queries.
// Cells hold singly linked lists threaded through `next_` (no per-cell
// allocation: a million-vertex city would otherwise make a million vectors).
class PointGrid {
 public:
  explicit PointGrid(double cell) : cell_(cell > 0 ? cell : 1e-9) {}

  // Returns the id of an existing point within `radius`, or -1.
  std::int64_t find_within(Point2 p, double radius, const std::vector<Point2>& pts) const {
    const auto [cx, cy] = cell_of(p);
    std::int64_t best = -1;
    double best_d2 = radius * radius;
    for (std::int64_t dx = -1; dx <= 1; ++dx) {
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        auto it = head_.find(key(cx + dx, cy + dy));
        if (it == head_.end()) continue;
        for (std::uint32_t id = it->second; id != kEnd; id = next_[id]) {
          const double ddx = pts[id].x - p.x, ddy = pts[id].y - p.y;
          const double d2 = ddx * ddx + ddy * ddy;
          // ties broken by the lower id, so the result does not depend on hashing
          if (d2 < best_d2 || (d2 == best_d2 && best >= 0 && id < best)) {
            best_d2 = d2;
            best = id;
          }
        }
      }
    }
    return best;
  }
  void insert(Point2 p, std::uint32_t id) {
    const auto [cx, cy] = cell_of(p);
    if (next_.size() <= id) next_.resize(static_cast<std::size_t>(id) + 1, kEnd);
    auto [it, fresh] = head_.try_emplace(key(cx, cy), id);
    if (!fresh) {
      next_[id] = it->second;
      it->second = id;
    }
  }
  void reserve(std::size_t n) {
    head_.reserve(n);
    next_.reserve(n);
  }

 private:
  static constexpr std::uint32_t kEnd = 0xFFFFFFFFu;
  std::pair<std::int64_t, std::int64_t> cell_of(Point2 p) const {
    return {static_cast<std::int64_t>(std::floor(p.x / cell_)), static_cast<std::int64_t>(std::floor(p.y / cell_))};
  }
  static std::uint64_t key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(cy);
  }
  double cell_;
  std::unordered_map<std::uint64_t, std::uint32_t> head_;
  std::vector<std::uint32_t> next_;
};

// An undirected piece of road between two graph nodes.
struct Piece {
  std::uint32_t feature;            // attributes come from this feature
  std::uint32_t a, b;               // end vertices (merged-vertex ids)
  std::vector<std::uint32_t> verts; // merged-vertex ids, a ... b
  bool alive = true;
};

double polyline_length(const std::vector<std::uint32_t>& verts, const std::vector<Point2>& pts) {
  double len = 0;
  for (std::size_t k = 1; k < verts.size(); ++k)
    len += std::hypot(pts[verts[k]].x - pts[verts[k - 1]].x, pts[verts[k]].y - pts[verts[k - 1]].y);
  return len;
}

}  // namespace

std::vector<std::uint32_t> strongly_connected_components(std::size_t nodes, const std::vector<std::uint32_t>& from,
                                                         const std::vector<std::uint32_t>& to) {
  // Forward CSR.
  std::vector<std::uint32_t> off(nodes + 1, 0), adj(from.size());
  for (auto f : from) ++off[f + 1];
  for (std::size_t n = 0; n < nodes; ++n) off[n + 1] += off[n];
  {
    std::vector<std::uint32_t> cur(off.begin(), off.end() - 1);
    for (std::size_t e = 0; e < from.size(); ++e) adj[cur[from[e]]++] = to[e];
  }
  constexpr std::uint32_t kUnvisited = 0xFFFFFFFFu;
  std::vector<std::uint32_t> index(nodes, kUnvisited), low(nodes, 0), comp(nodes, kUnvisited);
  std::vector<std::uint8_t> on_stack(nodes, 0);
  std::vector<std::uint32_t> stack, call_node, call_edge;
  std::uint32_t counter = 0, comp_count = 0;
  for (std::uint32_t root = 0; root < nodes; ++root) {
    if (index[root] != kUnvisited) continue;
    call_node.push_back(root);
    call_edge.push_back(off[root]);
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!call_node.empty()) {
      const std::uint32_t v = call_node.back();
      std::uint32_t& e = call_edge.back();
      if (e < off[v + 1]) {
        const std::uint32_t w = adj[e++];
        if (index[w] == kUnvisited) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          call_node.push_back(w);
          call_edge.push_back(off[w]);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          comp[w] = comp_count;
        } while (w != v);
        ++comp_count;
      }
      call_node.pop_back();
      call_edge.pop_back();
      if (!call_node.empty()) low[call_node.back()] = std::min(low[call_node.back()], low[v]);
    }
  }
  // Renumber: largest first, ties by first node, so ids are deterministic.
  std::vector<std::uint32_t> size(comp_count, 0), first(comp_count, kUnvisited);
  for (std::uint32_t n = 0; n < nodes; ++n) {
    ++size[comp[n]];
    first[comp[n]] = std::min(first[comp[n]], n);
  }
  std::vector<std::uint32_t> order(comp_count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    return size[a] != size[b] ? size[a] > size[b] : first[a] < first[b];
  });
  std::vector<std::uint32_t> rank(comp_count);
  for (std::uint32_t r = 0; r < comp_count; ++r) rank[order[r]] = r;
  for (auto& c : comp) c = rank[c];
  return comp;
}

RoadGraphResult build_road_graph(const std::vector<RoadFeature>& features, const std::vector<Point2>& signal_points,
                                 const RoadGraphOptions& options) {
  RoadGraphResult result;
  RoadGraphStats& stats = result.stats;
  stats.input_features = features.size();

  // 1. Merge vertices within the snapping tolerance.
  std::vector<Point2> verts;
  std::vector<std::vector<std::uint32_t>> feature_verts(features.size());
  PointGrid grid(std::max(options.snap_tolerance_m, 1e-6));
  std::size_t total = 0;
  for (const auto& f : features) total += f.line.size();
  grid.reserve(total);
  verts.reserve(total);
  for (std::size_t i = 0; i < features.size(); ++i) {
    auto& ids = feature_verts[i];
    for (const Point2& p : features[i].line) {
      std::int64_t id = grid.find_within(p, options.snap_tolerance_m, verts);
      if (id < 0) {
        id = static_cast<std::int64_t>(verts.size());
        verts.push_back(p);
        grid.insert(p, static_cast<std::uint32_t>(id));
      } else if (verts[id].x != p.x || verts[id].y != p.y) {
        ++stats.snapped_vertices;  // exact repeats (shared vertices) are not snaps
      }
      if (ids.empty() || ids.back() != static_cast<std::uint32_t>(id)) ids.push_back(static_cast<std::uint32_t>(id));
    }
  }

  // 2. Nodes: polyline ends and vertices used more than once.
  std::vector<std::uint32_t> uses(verts.size(), 0);
  std::vector<std::uint8_t> is_node(verts.size(), 0);
  for (const auto& ids : feature_verts) {
    for (auto v : ids) ++uses[v];
    if (!ids.empty()) {
      is_node[ids.front()] = 1;
      is_node[ids.back()] = 1;
    }
  }
  for (std::size_t v = 0; v < verts.size(); ++v)
    if (uses[v] > 1) is_node[v] = 1;

  // Signals: the nearest vertex within signal_snap_m becomes a node (a signal
  // in the middle of a way is a junction of the graph too) and is pinned, so
  // degree-2 simplification keeps it. Done before splitting for that reason.
  std::vector<std::int64_t> signal_vertex(signal_points.size(), -1);
  {
    PointGrid vgrid(std::max(options.signal_snap_m, 1e-6));
    vgrid.reserve(verts.size());
    for (std::uint32_t v = 0; v < verts.size(); ++v)
      if (uses[v] > 0) vgrid.insert(verts[v], v);
    for (std::size_t s = 0; s < signal_points.size(); ++s)
      signal_vertex[s] = vgrid.find_within(signal_points[s], options.signal_snap_m, verts);
  }
  std::vector<std::uint8_t> pinned(verts.size(), 0);
  for (auto v : signal_vertex)
    if (v >= 0) {
      pinned[v] = 1;
      is_node[v] = 1;
    }

  // 3. Split into pieces at nodes.
  std::vector<Piece> pieces;
  for (std::uint32_t i = 0; i < features.size(); ++i) {
    const auto& ids = feature_verts[i];
    if (ids.size() < 2) {
      ++stats.degenerate_pieces;
      continue;
    }
    Piece cur{i, ids.front(), 0, {ids.front()}};
    for (std::size_t k = 1; k < ids.size(); ++k) {
      cur.verts.push_back(ids[k]);
      if (is_node[ids[k]]) {
        cur.b = ids[k];
        pieces.push_back(cur);
        cur = Piece{i, ids[k], 0, {ids[k]}};
      }
    }
  }

  // 4. Degree-2 simplification: join two pieces meeting at a node that has
  //    exactly those two and the same attributes (direction-consistent).
  if (options.simplify_degree2) {
    // Only vertices touched by exactly two pieces can merge: two slots each.
    constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    std::vector<std::array<std::uint32_t, 2>> at(verts.size(), {kNone, kNone});
    std::vector<std::uint8_t> touching(verts.size(), 0);
    auto attach = [&](std::uint32_t v, std::uint32_t p) {
      if (touching[v] < 2) at[v][touching[v]] = p;
      if (touching[v] < 255) ++touching[v];
    };
    for (std::uint32_t p = 0; p < pieces.size(); ++p) {
      attach(pieces[p].a, p);
      if (pieces[p].b != pieces[p].a) attach(pieces[p].b, p);
    }
    for (std::uint32_t v = 0; v < verts.size(); ++v) {
      if (!is_node[v] || pinned[v] || touching[v] != 2) continue;
      const std::uint32_t p = at[v][0], q = at[v][1];
      Piece& P = pieces[p];
      Piece& Q = pieces[q];
      if (!P.alive || !Q.alive || p == q || P.a == P.b || Q.a == Q.b) continue;
      if (!features[P.feature].same_attributes(features[Q.feature])) continue;
      const bool oneway = features[P.feature].oneway != OneWay::No;
      // Orient so that P ends at v and Q starts at v.
      auto reverse = [](Piece& x) {
        std::reverse(x.verts.begin(), x.verts.end());
        std::swap(x.a, x.b);
      };
      if (P.b != v) {
        if (oneway) continue;  // would flip a one-way's direction
        reverse(P);
      }
      if (Q.a != v) {
        if (oneway) continue;
        reverse(Q);
      }
      if (P.b != v || Q.a != v) continue;
      if (P.a == Q.b) continue;  // would close a loop onto one node
      P.verts.insert(P.verts.end(), Q.verts.begin() + 1, Q.verts.end());
      P.b = Q.b;
      Q.alive = false;
      is_node[v] = 0;
      for (auto& slot : at[Q.b])
        if (slot == q) slot = p;
      touching[v] = 0;
      ++stats.merged_pieces;
    }
  }

  // 5. Number graph nodes in first-use order and emit directed links.
  std::vector<std::int64_t> node_of(verts.size(), -1);
  RoadNetwork tmp;
  auto node_id = [&](std::uint32_t v, const RoadFeature& f) {
    if (node_of[v] < 0) {
      node_of[v] = static_cast<std::int64_t>(tmp.node_x.size());
      tmp.node_x.push_back(verts[v].x);
      tmp.node_y.push_back(verts[v].y);
      tmp.node_signal.push_back(0);
      tmp.node_source.add(f.source, f.feature);  // the first road that reaches it
    }
    return static_cast<std::uint32_t>(node_of[v]);
  };
  std::vector<Point2> line;
  auto emit = [&](const Piece& piece, bool backwards) {
    const RoadFeature& f = features[piece.feature];
    line.clear();
    for (auto v : piece.verts) line.push_back(verts[v]);
    if (backwards) std::reverse(line.begin(), line.end());
    const double len = polyline_length(piece.verts, verts);
    tmp.link_from.push_back(node_id(backwards ? piece.b : piece.a, f));
    tmp.link_to.push_back(node_id(backwards ? piece.a : piece.b, f));
    tmp.length_m.push_back(len);
    tmp.speed_kph.push_back(f.speed_kph);
    tmp.free_flow_s.push_back(len / (f.speed_kph / 3.6));
    tmp.capacity_vph.push_back(f.capacity_vph);
    tmp.lanes.push_back(f.lanes_per_direction);
    tmp.road_class.push_back(f.road_class);
    tmp.toll.push_back(f.toll);
    tmp.bpr_alpha.push_back(f.bpr_alpha);
    tmp.bpr_beta.push_back(f.bpr_beta);
    tmp.geometry.add(line);
    tmp.link_source.add(f.source, f.feature);
  };
  for (const Piece& piece : pieces) {
    if (!piece.alive) continue;
    if (piece.a == piece.b && piece.verts.size() <= 2) {
      ++stats.degenerate_pieces;
      continue;
    }
    if (polyline_length(piece.verts, verts) <= 0) {
      ++stats.degenerate_pieces;
      continue;
    }
    const OneWay ow = features[piece.feature].oneway;
    if (ow != OneWay::Backward) emit(piece, false);
    if (ow != OneWay::Forward) emit(piece, true);
  }
  for (std::size_t s = 0; s < signal_vertex.size(); ++s) {
    if (signal_vertex[s] >= 0 && node_of[signal_vertex[s]] >= 0) {
      tmp.node_signal[node_of[signal_vertex[s]]] = 1;
      ++stats.signals_matched;
    } else {
      ++stats.signals_unmatched;
    }
  }

  // 6. Strongly connected components.
  auto comp = strongly_connected_components(tmp.node_count(), tmp.link_from, tmp.link_to);
  stats.components = comp.empty() ? 0 : *std::max_element(comp.begin(), comp.end()) + 1;
  for (std::size_t n = 0; n < comp.size(); ++n) {
    if (comp[n] == 0) ++stats.largest_component_nodes;
    else ++stats.island_nodes;
  }
  for (std::size_t l = 0; l < tmp.link_count(); ++l)
    if (comp[tmp.link_from[l]] != 0 || comp[tmp.link_to[l]] != 0) stats.island_length_m += tmp.length_m[l];

  if (!options.keep_largest_scc_only || stats.components <= 1) {
    tmp.build_adjacency();
    result.roads = std::move(tmp);
    result.node_component = std::move(comp);
    return result;
  }

  // Keep only the largest component, renumbering nodes densely.
  RoadNetwork& out = result.roads;
  std::vector<std::int64_t> keep(tmp.node_count(), -1);
  for (std::uint32_t n = 0; n < tmp.node_count(); ++n) {
    if (comp[n] != 0) continue;
    keep[n] = static_cast<std::int64_t>(out.node_x.size());
    out.node_x.push_back(tmp.node_x[n]);
    out.node_y.push_back(tmp.node_y[n]);
    out.node_signal.push_back(tmp.node_signal[n]);
    out.node_source.add(tmp.node_source.source[n], tmp.node_source.feature[n]);
  }
  for (std::size_t l = 0; l < tmp.link_count(); ++l) {
    const auto f = keep[tmp.link_from[l]], t = keep[tmp.link_to[l]];
    if (f < 0 || t < 0) {
      ++stats.dropped_links;
      continue;
    }
    out.link_from.push_back(static_cast<std::uint32_t>(f));
    out.link_to.push_back(static_cast<std::uint32_t>(t));
    out.length_m.push_back(tmp.length_m[l]);
    out.free_flow_s.push_back(tmp.free_flow_s[l]);
    out.capacity_vph.push_back(tmp.capacity_vph[l]);
    out.lanes.push_back(tmp.lanes[l]);
    out.road_class.push_back(tmp.road_class[l]);
    out.speed_kph.push_back(tmp.speed_kph[l]);
    out.toll.push_back(tmp.toll[l]);
    out.bpr_alpha.push_back(tmp.bpr_alpha[l]);
    out.bpr_beta.push_back(tmp.bpr_beta[l]);
    std::vector<Point2> pts;
    for (std::size_t k = 0; k < tmp.geometry.points(l); ++k) pts.push_back(tmp.geometry.point(l, k));
    out.geometry.add(pts);
    out.link_source.add(tmp.link_source.source[l], tmp.link_source.feature[l]);
  }
  out.build_adjacency();
  result.node_component.assign(out.node_count(), 0);
  return result;
}

}  // namespace citytwin
