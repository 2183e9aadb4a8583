#pragma once
// Turns districts into traffic zones and ties the layers together: each
// district gets a centroid node joined by two-way connector links to its k
// nearest suitable road nodes, then the spatial joins fill twin.links.
#include <cstddef>

#include "core/model/twin.hpp"

namespace citytwin::geo {

// A suitable connector end: in the largest strongly connected component and
// reached by at least one road below trunk class (no connectors onto motorways).
void add_zone_connectors(Twin& twin, std::size_t connectors_per_zone);

void add_zones_and_joins(Twin& twin, std::size_t connectors_per_zone, ServiceRule rule);

}  // namespace citytwin::geo
