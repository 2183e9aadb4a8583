#pragma once
// Host-side preparation shared by the batched PHAST kernels and their host
// versions: the level boundaries of the sweep order (each level is one parallel
// step of the downward sweep) and the upward searches, whose few labels are
// scattered into the device label arrays before the sweep (GPHAST: the
// upward search is a small, branchy Dijkstra that belongs on the CPU).
#include <cstdint>
#include <span>
#include <vector>

#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::gpu {

// Sweep positions [levels[l], levels[l + 1]) form level l: their downward
// edges come only from earlier levels. Throws InvalidInput when the hierarchy
// is not stored in level order.
std::vector<std::int32_t> sweep_levels(const traffic::ContractionHierarchy& ch);

// Throws InvalidInput naming the first source that is not a node of `ch`.
void check_sources(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources);

// Labels of the upward search from each source: (sweep id, distance) pairs
// [offset[i], offset[i + 1]) for source i. Parallel over sources (TBB).
struct UpwardLabels {
  std::vector<std::int64_t> offset{0};
  std::vector<std::int32_t> sweep;
  std::vector<double> dist;
};
UpwardLabels upward_labels(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources);

// OD demand in the fixed point of gpu/kernels/aon_tree.hpp. Throws
// InvalidInput on a negative or non-finite demand, naming the OD pair.
std::vector<std::uint64_t> fixed_demand(const traffic::OdDemand& demand);

// Checks that network, hierarchy, costs and demand belong together.
void check_aon_inputs(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                      std::span<const double> cost, const traffic::OdDemand& demand);

}  // namespace citytwin::gpu
