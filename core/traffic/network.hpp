#pragma once
// The road network the solvers run on: a compressed-sparse-row forward star
// (and its reverse) over nodes renumbered in breadth-first order for locality,
// with per-link BPR coefficients for the chosen generalised-cost weights.
#include <cstdint>
#include <vector>

#include "core/traffic/bpr.hpp"
#include "core/traffic/tntp_reader.hpp"

namespace citytwin::traffic {

// Generalised cost = travel time + toll_factor * toll + distance_factor * length.
struct CostWeights {
  double toll_factor = 0;
  double distance_factor = 0;
};

struct Network {
  std::int32_t node_count = 0;
  std::int32_t link_count = 0;
  std::int32_t zone_count = 0;

  // Links are numbered in CSR order: the links leaving internal node u are
  // out_offset[u] .. out_offset[u + 1] - 1.
  std::vector<std::int32_t> out_offset;
  std::vector<std::int32_t> tail;
  std::vector<std::int32_t> head;
  std::vector<BprCoefficients> coefficients;
  // Reverse star: in_links[in_offset[v] .. in_offset[v + 1]) enter v.
  std::vector<std::int32_t> in_offset;
  std::vector<std::int32_t> in_links;
  // 1 for zone centroids below <FIRST THRU NODE>: paths may start or end
  // there but never pass through.
  std::vector<std::uint8_t> no_through;

  // Numbering maps. TNTP ids are 1-based; index 0 of internal_node is unused.
  std::vector<std::int32_t> internal_node;  // TNTP node id -> internal id
  std::vector<std::int32_t> tntp_node;      // internal id -> TNTP node id
  std::vector<std::int32_t> file_link;      // internal link -> position in the TNTP file
  std::vector<std::int32_t> internal_link;  // position in the TNTP file -> internal link

  // Attributes kept for reports (internal link order).
  std::vector<double> capacity;
  std::vector<double> length;
  std::vector<double> toll;

  std::int32_t zone_node(std::int32_t zone) const { return internal_node[static_cast<std::size_t>(zone)]; }
};

Network build_network(const TntpNetwork& tntp, const CostWeights& weights);

}  // namespace citytwin::traffic
