#pragma once
// Origin-destination demand in the solver's numbering: per origin, the
// destination nodes and their flows. Intrazonal trips and OD pairs with no
// path are counted, reported and left out of the assignment.
#include <cstdint>
#include <vector>

#include "core/traffic/network.hpp"
#include "core/traffic/tntp_reader.hpp"

namespace citytwin::traffic {

struct OdDemand {
  // Origin o starts at internal node origin_node[o]; its destinations are
  // destination_node / destination_flow [destination_offset[o], destination_offset[o + 1]).
  std::vector<std::int32_t> origin_node;
  std::vector<std::int32_t> destination_offset{0};
  std::vector<std::int32_t> destination_node;
  std::vector<double> destination_flow;

  double total = 0;  // demand that is assigned
  std::int64_t pairs = 0;
  std::int64_t intrazonal_pairs = 0;   // skipped
  double intrazonal_demand = 0;
  std::int64_t disconnected_pairs = 0; // skipped: no path respecting <FIRST THRU NODE>
  double disconnected_demand = 0;

  std::size_t origin_count() const { return origin_node.size(); }
};

// Builds the demand and drops (and counts) intrazonal and disconnected pairs.
// Throws InvalidInput when the trips file's zones do not match the network.
OdDemand build_demand(const Network& net, const TntpTrips& trips);

// Reachability from `origin` over the network, never passing through a
// centroid other than the origin. reached[v] = 1 for reachable nodes.
void reachable_from(const Network& net, std::int32_t origin, std::vector<std::uint8_t>& reached,
                    std::vector<std::int32_t>& stack);

}  // namespace citytwin::traffic
