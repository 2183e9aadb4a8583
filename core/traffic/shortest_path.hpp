#pragma once
// One-to-all shortest paths (Dijkstra with an indexed binary heap over the CSR
// forward star) and the all-or-nothing loading built on them. Centroids marked
// no_through are never expanded unless they are the origin.
#include <cstdint>
#include <limits>
#include <vector>

#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::traffic {

inline constexpr double kUnreached = std::numeric_limits<double>::infinity();

struct HeapEntry {
  double key;
  std::int32_t node;
};

// A shortest-path tree; scratch that is reused between calls.
struct ShortestPathTree {
  std::vector<double> distance;        // kUnreached where no path
  std::vector<std::int32_t> pred_link; // -1 at the origin and unreached nodes
  std::vector<std::int32_t> settled;   // nodes in the order they were settled
  // Heap scratch.
  std::vector<HeapEntry> heap;
  std::vector<std::int32_t> heap_pos;
};

// Fills `tree` from `origin` with link costs `cost` (indexed by internal link).
void shortest_path_tree(const Network& net, const double* cost, std::int32_t origin, ShortestPathTree& tree);

// All-or-nothing: loads every origin's demand on its shortest paths.
// `flow` receives the link volumes; returns SPTT = sum over OD pairs of demand
// times shortest-path cost. Parallel over origins (TBB), and deterministic: the
// origins are cut into a fixed number of blocks whose partial sums are added
// in block order, whatever the thread count.
double all_or_nothing(const Network& net, const OdDemand& demand, const std::vector<double>& cost,
                      std::vector<double>& flow);

// SPTT alone (no loading).
double shortest_path_total(const Network& net, const OdDemand& demand, const std::vector<double>& cost);

}  // namespace citytwin::traffic
