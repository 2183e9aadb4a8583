#pragma once
// Contraction hierarchy over fixed link costs, and PHAST one-to-all trees on it.
// Nodes are contracted in lazily updated edge-difference order with bounded
// witness searches; the hierarchy is stored in "sweep order" (by level: every
// node after the higher-ranked tails of its downward edges) so that a PHAST
// tree is one upward search plus one linear sweep.
// Centroid (no-through) restrictions are not modelled: this is the kernel for
// plain road graphs; the assignment solvers use Dijkstra.
#include <cstdint>
#include <vector>

#include "core/traffic/network.hpp"

namespace citytwin::traffic {

struct ContractionHierarchy {
  std::int32_t node_count = 0;
  std::vector<std::int32_t> sweep_id;  // network node -> position in the sweep
  std::vector<std::int32_t> node_at;   // sweep position -> network node
  // Upward edges (to higher-ranked nodes), CSR by sweep id.
  std::vector<std::int32_t> up_offset, up_head;
  std::vector<double> up_weight;
  // Downward edges by head: down_tail[down_offset[s] ..) are higher-ranked tails of edges into s.
  std::vector<std::int32_t> down_offset, down_tail;
  std::vector<double> down_weight;
  std::int64_t shortcuts = 0;
};

ContractionHierarchy build_contraction_hierarchy(const Network& net, const std::vector<double>& cost);

struct PhastScratch {
  std::vector<double> dist;  // by sweep id
  std::vector<std::pair<double, std::int32_t>> heap;
};

// One-to-all distances from network node `source`; scratch.dist is indexed by sweep id.
void phast_tree(const ContractionHierarchy& ch, std::int32_t source, PhastScratch& scratch);

// kPhastBatch trees in one sweep (labels interleaved: dist[sweep_id * kPhastBatch + i]),
// so each downward edge is read once for all of them.
inline constexpr int kPhastBatch = 8;
void phast_trees(const ContractionHierarchy& ch, const std::int32_t* sources, PhastScratch& scratch);

}  // namespace citytwin::traffic
