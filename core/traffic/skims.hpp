#pragma once
// Skim matrices (issue 17 item 4): zone-to-zone congested travel time,
// distance and generalised cost over the routes that are shortest under the
// equilibrium link costs. One shortest-path tree per origin zone gives all
// three: the tree minimises the route cost, and time, distance and money cost
// are added up along the same tree's paths.
//
// One vehicle class today. A SkimTable names its class (empty = all
// vehicles); multi-class assignment (issue 17 item 2) adds one table per
// class and hour without changing these types or the file layouts.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/traffic/assignment.hpp"
#include "core/traffic/network.hpp"

namespace citytwin::traffic {

// The skims' generalised cost of one vehicle trip, in money units [D]:
//   cost = value_of_time_per_h * time_h + cost_per_km * distance_km + toll
// Defaults are engineering assumptions to calibrate: 12 per vehicle-hour is
// in the range of European car values of time for mixed trip purposes; 0.20
// per km is the distance-dependent operating cost (energy, tyres, wear), not
// ownership. Tolls count in full and are in the same money unit.
struct SkimCostParameters {
  double value_of_time_per_h = 12.0;  // [D]
  double cost_per_km = 0.20;          // [D]
};

// What one skim is built from, indexed by internal link of the network.
struct SkimLinkCosts {
  std::vector<double> route_cost;  // what the trees minimise: the equilibrium generalised link cost
  std::vector<double> time_min;    // congested travel time, minutes
  std::vector<double> length_km;
  std::vector<double> toll;        // money units; empty: no tolls
};

// Z x Z matrices, row-major: row o-1 is origin zone o, column d-1 destination
// zone d. kUnreached (+inf) where no path; 0 on the diagonal (intrazonal trips
// are not assigned, so no intrazonal estimate is made).
struct SkimMatrices {
  std::int32_t zones = 0;
  std::vector<double> time_min, distance_km, cost;
};

// Throws InvalidInput when the link vectors do not match the network, or a
// value is negative or not a number (a route cost, time or length).
SkimMatrices compute_skims(const Network& net, const SkimLinkCosts& links, const SkimCostParameters& parameters);

// An assignment's link costs on `net`: route cost = result.cost (the
// generalised cost the equilibrium was solved for; with zero toll and distance
// factors, the congested time), time = the BPR time at the equilibrium flows,
// length = net.length * km_per_length_unit (TNTP files do not state a unit).
SkimLinkCosts assignment_link_costs(const Network& net, const AssignmentResult& result, double km_per_length_unit = 1.0);

// One class and hour of a skim set.
struct SkimTable {
  std::string vehicle_class;  // empty: all vehicles (the single class today)
  std::optional<int> hour;    // none: a static assignment with no hour (TNTP)
  SkimMatrices matrices;
};

struct SkimSet {
  std::vector<std::int32_t> zone_ids;  // zone number of row / column i (the OMX lookup)
  SkimCostParameters parameters;
  std::vector<SkimTable> tables;
};

// The quantities of a skim, in file order: name (with unit), unit, and the matrix.
struct SkimQuantity {
  const char* name;
  const char* unit;
  std::vector<double> SkimMatrices::*values;
};
inline constexpr SkimQuantity kSkimQuantities[] = {{"time_min", "min", &SkimMatrices::time_min},
                                                   {"distance_km", "km", &SkimMatrices::distance_km},
                                                   {"cost", "money", &SkimMatrices::cost}};

// A matrix's name in a skim file, ActivitySim's KEY__PERIOD convention:
// "time_min__h08" (hour 8), "time_min" (no hour); a named class goes first,
// "truck_time_min__h08".
std::string skim_matrix_name(const SkimQuantity& quantity, const SkimTable& table);

}  // namespace citytwin::traffic
