#pragma once
// Builds the routable road graph from department polylines:
//  1. vertices closer than `snap_tolerance_m` are merged (greedy, in input order);
//  2. a merged vertex becomes a graph node if it ends a polyline or is shared
//     by two or more polylines (junctions mid-way count, not only way ends);
//  3. polylines are split at nodes; chains through nodes that join exactly two
//     pieces with identical attributes are merged again (degree-2
//     simplification), the drawn geometry kept;
//  4. each piece becomes one (one-way) or two (two-way) directed links;
//  5. strongly connected components are computed; all but the largest are
//     reported and, if asked, dropped.
#include <cstdint>
#include <vector>

#include "core/model/twin.hpp"

namespace citytwin {

enum class OneWay : std::uint8_t { No, Forward, Backward };

struct RoadFeature {
  std::vector<Point2> line;       // metric CRS
  OneWay oneway = OneWay::No;
  RoadClass road_class = RoadClass::Residential;
  float lanes_per_direction = 1;
  float speed_kph = 50;
  double capacity_vph = 800;      // per direction
  double toll = 0;
  float bpr_alpha = 0.15f, bpr_beta = 4.0f;
  std::uint32_t source = ProvenanceColumn::kInferred;
  std::int64_t feature = -1;

  // Attributes that must match for two pieces to be merged into one link.
  bool same_attributes(const RoadFeature& o) const {
    return oneway == o.oneway && road_class == o.road_class && lanes_per_direction == o.lanes_per_direction &&
           speed_kph == o.speed_kph && capacity_vph == o.capacity_vph && toll == o.toll &&
           bpr_alpha == o.bpr_alpha && bpr_beta == o.bpr_beta;
  }
};

struct RoadGraphOptions {
  double snap_tolerance_m = 0.5;
  double signal_snap_m = 15.0;    // a signal point further than this from any node is reported
  bool simplify_degree2 = true;
  bool keep_largest_scc_only = false;
};

struct RoadGraphStats {
  std::size_t input_features = 0;
  std::size_t snapped_vertices = 0;     // vertices merged into an earlier one
  std::size_t merged_pieces = 0;        // degree-2 merges
  std::size_t degenerate_pieces = 0;    // zero-length pieces skipped
  std::size_t components = 0;           // strongly connected components
  std::size_t largest_component_nodes = 0;
  std::size_t island_nodes = 0;         // nodes outside the largest component
  double island_length_m = 0;           // link length outside it
  std::size_t dropped_links = 0;
  std::size_t signals_matched = 0;
  std::size_t signals_unmatched = 0;
};

struct RoadGraphResult {
  RoadNetwork roads;
  RoadGraphStats stats;
  std::vector<std::uint32_t> node_component;  // SCC id per node (0 = largest)
};

RoadGraphResult build_road_graph(const std::vector<RoadFeature>& features, const std::vector<Point2>& signal_points,
                                 const RoadGraphOptions& options);

// Strongly connected components of a directed graph (iterative Tarjan).
// Returns a component id per node, ids numbered by decreasing component size.
std::vector<std::uint32_t> strongly_connected_components(std::size_t nodes, const std::vector<std::uint32_t>& from,
                                                         const std::vector<std::uint32_t>& to);

}  // namespace citytwin
