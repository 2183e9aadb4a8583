#pragma once
// EV charging energy from the assigned traffic of one hour (COUPLING.md step 4):
//  * demand E(h) = phi_EV * VKT(h) * e  (so total EV energy = share x VKT x kWh/km);
//  * (share_home + share_work) of it is charged where trips end: split over
//    destination zones in proportion to sum_i V_ij d_ij (crow-fly trip length);
//  * share_public goes to public stations in proportion to their captured
//    demand D_s = psi * phi * (flow on links entering or leaving the station's
//    node); served up to plugs x kW for the hour, and nothing where the
//    station's bus is de-energised: its sessions go to the nearest live station
//    (capacity permitting; what no station can take is unserved);
//  * sessions beyond a live station's plugs x kW queue (COUPLING.md step 4:
//    "overflow = queue (wait time)") and are served in the next hour, ahead of
//    that hour's arrivals; drivers wait at most max_queue_wait_h: the part of
//    a queue that would wait longer leaves unserved;
//  * with no stations, the public share is charged at trip ends too.
#include <cstdint>
#include <vector>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

struct EvHour {
  double demand_mwh = 0;                  // phi * VKT * e
  std::vector<double> zone_arrival_mwh;   // trip-end energy by destination zone, at arrival
  std::vector<double> station_mw;         // served at each public station this hour
  double public_unserved_mwh = 0;
  double diverted_mwh = 0;                // sessions moved from dead stations to live ones
  std::vector<double> station_queue_mwh;  // waiting at the end of the hour, served first next hour
  double queued_sessions = 0;             // sum of the queues / fast_session_kwh
  double mean_wait_h = 0;                 // queue-weighted queue / station capacity
};

// Uncontrolled home/work charging: a session starting in hour h draws this
// share of its energy in hours h, h+1, h+2 (7-11 kW sessions of 10-20 kWh) [D].
inline constexpr double kSessionKernel[3] = {0.5, 0.3, 0.2};

EvHour ev_charging(const Twin& twin, const std::vector<double>& link_flow, const std::vector<double>& od_vehicles,
                   const std::vector<double>& zone_distance_km, const std::vector<std::uint8_t>& bus_energised,
                   const CouplingParameters& p, const std::vector<double>& queue_in_mwh = {});

}  // namespace citytwin::coupling
