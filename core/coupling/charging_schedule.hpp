#pragma once
// Managed charging's scheduler: flexible home and work sessions placed in the
// valley of their substation's load (COUPLING.md step 4, "shifted into a
// window (managed)"; issue 15 section 2).
//
// Valley filling, not an LP: each session's best placement against the load
// of everything else is water-filling (raise a level over the hours of its
// window until its energy fits, never above its charger power in an hour), an
// exact piecewise-linear solve with no solver dependency. Sessions are first
// placed one by one, earliest deadline (shortest window) first, then re-placed
// one at a time against the others' load until no schedule moves: block
// coordinate descent on sum_h L_h^2, whose minimiser is the valley-filling
// profile (Gan, Topcu & Low, IEEE Trans. Power Syst. 28(2), 2013 [R]). Each
// re-placement keeps the session feasible, so the objective never rises.
//
// The day is cyclic (the typical day repeats): a session arriving at 19:00
// that leaves at 07:00 charges in hours 19..23 and 0..6 of the same modelled
// day. A session's window is its arrival hour up to, not including, its
// departure hour; arrival hour == departure hour means a whole day.
//
// Headroom: a substation's EV load in hour h is kept within room_mw[h] (its
// rating x utilisation limit minus the load that is not flexible) where the
// session can fit there; a session that cannot is placed by valley filling
// on charger power alone and the energy above the room is reported per
// substation (never hidden). A session whose window cannot hold its energy at
// charger power charges at full power from arrival (as an uncontrolled car
// would) and is reported late.
#include <array>
#include <cstdint>
#include <vector>

#include "core/demand/parameters.hpp"

namespace citytwin::coupling {

using HourArray = std::array<double, demand::kHours>;

enum class SessionKind : std::uint8_t { Home, Work };

// A cohort of identical vehicles arriving in one hour at one zone, on one
// substation: `vehicles` sessions of energy_mwh / vehicles each.
struct ChargingSession {
  std::uint32_t substation = 0;  // index into the loads given to schedule_sessions
  std::uint32_t zone = 0;
  SessionKind kind = SessionKind::Home;
  int arrival_hour = 0, departure_hour = 7;
  double energy_mwh = 0;
  double max_mw = 0;    // vehicles x charger kW
  double vehicles = 0;

  // Its hours, from arrival, cyclic: 1..24 of them.
  int window_hours() const;
};

// What a substation carries besides the flexible sessions, per hour.
struct SubstationRoom {
  HourArray fixed_mw{};  // the load sessions are levelled on
  HourArray room_mw{};   // EV load the substation can take within its headroom (may be <= 0)
};

struct ChargingSchedule {
  std::vector<HourArray> session_mw;         // per session, MW (= MWh) in each hour
  std::vector<std::uint8_t> late;            // window too short at charger power: charged from arrival
  std::vector<std::uint8_t> over_headroom;   // could not fit within the room of its substation
  std::vector<double> over_headroom_mwh;     // per substation: EV energy above its room
  std::vector<int> over_headroom_hours;      // per substation: hours with EV load above its room
  int sweeps = 0;                            // re-placement sweeps until no schedule moved
};

// The trip-end (home and work) EV load a managed run puts on the grid
// instead of the uncontrolled session kernel (simulate() takes it in
// SimulationOptions::trip_end_load).
struct TripEndLoad {
  std::vector<std::vector<double>> substation_mw;  // [hour][substation], at the substation's bus
  std::vector<std::vector<double>> zone_mw;        // [hour][zone], for the district results
};

ChargingSchedule schedule_sessions(const std::vector<ChargingSession>& sessions, const std::vector<SubstationRoom>& substations);

// Water-filling of `energy` over `hours` on top of `load`, each hour at most
// cap[h] (>= 0): returns x with x[h] = clamp(level - load[h], 0, cap[h]) and
// sum x = energy. Requires sum of caps over the hours >= energy.
HourArray water_fill(const std::vector<int>& hours, const HourArray& load, const HourArray& cap, double energy);

}  // namespace citytwin::coupling
