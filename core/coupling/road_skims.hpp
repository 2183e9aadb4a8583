#pragma once
// Skims of the twin's roads after a simulated hour: zone-to-zone congested
// time, distance and generalised cost (core/traffic/skims.hpp) over the
// hour's final link times, the cost the twin's assignment minimises.
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/traffic/skims.hpp"

namespace citytwin::coupling {

// One hour: link_time_s and capacity_factor per twin link (HourResult's);
// links with capacity factor 0 are closed and carry no path.
traffic::SkimMatrices road_skims(const RoadNetwork& roads, const std::vector<float>& link_time_s,
                                 const std::vector<float>& capacity_factor, const traffic::SkimCostParameters& parameters);

// The skims of `hours` (each must be among the result's hours; empty: all of
// them), zones numbered 1..Z in district order.
traffic::SkimSet simulation_skims(const Twin& twin, const SimulationResult& result, const std::vector<int>& hours,
                                  const traffic::SkimCostParameters& parameters);

}  // namespace citytwin::coupling
