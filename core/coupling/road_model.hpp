#pragma once
// The twin's roads as the traffic solvers see them: zone centroids numbered
// first and never used as through nodes, capacities times the hour's
// multipliers, closed links left out. Results come back in twin link order.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"
#include "core/traffic/assignment.hpp"

namespace citytwin::coupling {

struct RoadHour {
  std::vector<double> flow;     // veh/h, twin link order
  std::vector<double> time_s;   // congested travel time
  traffic::GapMeasures measures;
  int iterations = 0;
  double assigned_demand = 0, disconnected_demand = 0, intrazonal_demand = 0;
  // With CouplingParameters::carry_over_unserved: Z x Z vehicles held back at
  // their path's bottleneck (they start in the next hour); else empty.
  std::vector<double> carry_over;
  double carry_over_vehicles = 0;
};

// Carried between the assignments of one coupled hour (same demand, a few
// capacities changed by dark signals): the bush solver restarts from the
// previous round's bushes instead of free-flow trees.
struct WarmStart {
  std::shared_ptr<const traffic::BushState> bushes;
};

class RoadModel {
 public:
  explicit RoadModel(const RoadNetwork& roads);

  std::size_t zones() const { return zones_; }
  // Zone-to-zone free-flow travel times (minutes), row-major Z x Z (TBB over origins).
  std::vector<double> free_flow_skim() const { return skim({}, {}); }
  // The same over given link times (twin order, seconds; empty: free flow),
  // with links whose capacity multiplier is 0 closed (empty kappa: none).
  std::vector<double> skim(const std::vector<double>& link_time_s, const std::vector<double>& kappa) const;
  // Zone-to-zone crow-fly distances (km), for trip lengths of trip-end charging.
  std::vector<double> zone_distance_km() const;

  // User equilibrium for one hour. od: Z x Z vehicles per hour; kappa: capacity
  // multiplier per twin link (0 = closed); extra_delay_s: added to free-flow time.
  // `warm` (optional) is read and replaced by this solve's bushes.
  RoadHour assign(const std::vector<double>& od, const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                  const CouplingParameters& p, WarmStart* warm = nullptr) const;
  // The solver's network that assign() builds for these multipliers and
  // delays (for ODME, core/calibration): twin_link_of_file[f] is the twin
  // link at TNTP file position f; closed links are left out.
  traffic::Network solver_network(const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                                  std::vector<std::uint32_t>& twin_link_of_file) const;

 private:
  traffic::TntpNetwork tntp_network(const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                                    std::vector<std::uint32_t>& twin_link_of_file) const;
  void held_back(const traffic::Network& net, const std::vector<double>& od, const traffic::AssignmentResult& r, RoadHour& out) const;
  const RoadNetwork& roads_;
  std::size_t zones_ = 0;
  std::vector<std::int32_t> tntp_id_;  // per twin node: TNTP node id (zones 1..Z first)
  std::int32_t tntp_nodes_ = 0;
};

}  // namespace citytwin::coupling
