#pragma once
// A what-if scenario: changes relative to the baseline twin, in the twin's
// own ids (the scenario file reader in geo/ resolves polygons, boxes and names
// to ids). An empty Scenario is the baseline.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/coupling/given_od.hpp"
#include "core/demand/electric_load.hpp"
#include "core/demand/parameters.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/skims.hpp"

namespace citytwin::coupling {

inline constexpr double kNeverRepaired = std::numeric_limits<double>::infinity();

// Links whose capacity is multiplied by `capacity_factor` (0 closes them) in
// hours [from_hour, to_hour].
struct LinkChange {
  std::vector<std::uint32_t> links;
  double capacity_factor = 0;
  int from_hour = 0, to_hour = 23;
};

enum class AssetKind : std::uint8_t { Bus, Branch, Substation };
const char* asset_kind_name(AssetKind k);

// An asset out of service from `from_hour` for `repair_hours`.
struct Outage {
  AssetKind kind = AssetKind::Substation;
  std::uint32_t id = 0;
  int from_hour = 0;
  double repair_hours = kNeverRepaired;
  bool active(int hour) const { return hour >= from_hour && hour < from_hour + repair_hours; }
};

// The coupling model's parameters (COUPLING.md defaults; every one overridable).
// Each settable one is described once in coupling_parameter_fields()
// (core/coupling/parameter_fields.cpp): its file key, unit, range and doc.
struct CouplingParameters {
  double ev_share = 0;                  // phi_EV: share of vehicle km driven electrically
  double ev_kwh_per_km = 0.18;          // e [V/R]
  double share_home = 0.80, share_work = 0.10, share_public = 0.10;  // charging shares [V]
  double public_capture = 0.02;         // psi: share of passing EVs that stop at an adjacent station [D]
  double fast_session_kwh = 25;         // energy per public fast-charging session [D]
  double max_queue_wait_h = 1;          // drivers queue at a full station at most this long [D]
  double kappa_dark_single_lane = 0.35; // capacity multiplier of a dark signal's approaches [D]
  double kappa_dark_multi_lane = 0.25;
  double dark_stop_delay_s = 5;         // one departure headway added to approach free-flow time [D]
  double battery_backup_hours = 0;      // T_BBS: default none (COUPLING.md)
  double u_trip = 1.2;                  // substations trip above this utilisation for the hour [D]
  double target_gap = 1e-4;             // UE relative gap per hour (COUPLING.md)
  // Algorithm B (bush-based) reaches the hourly gap far faster than the
  // Frank-Wolfe family on congested peaks; "bfw" / "cfw" / "fw" for comparison.
  traffic::Algorithm assignment_algorithm = traffic::Algorithm::bush;
  int max_assignment_iterations = 200;
  double load_tolerance = 1e-3;         // fixed point: max |dS| / rating
  int max_coupling_rounds = 50;
  // Quasi-dynamic carry-over (COUPLING.md step 3, [D]): the vehicles that
  // exceed capacity at their path's bottleneck in hour h start in hour h + 1.
  bool carry_over_unserved = false;
  // Managed charging (core/coupling/managed_charging.hpp): home and work
  // sessions shifted into the valley before their departure [D].
  bool managed_charging = false;
  int home_departure_hour = 7, work_departure_hour = 17;  // [D]
  double home_charger_kw = 7.4, work_charger_kw = 11;     // 32 A single-phase, 16 A three-phase [R]
  double charging_session_kwh = 15;                       // the uncontrolled kernel's 10-20 kWh sessions [D]
  double managed_utilisation_limit = 1.0;                 // keep substations within rating x this [D]
  // The skims' generalised cost (--skims; core/traffic/skims.hpp), money units [D].
  // Route choice does not use them: the twin assigns by time.
  double skim_value_of_time_per_h = traffic::SkimCostParameters{}.value_of_time_per_h;
  double skim_cost_per_km = traffic::SkimCostParameters{}.cost_per_km;
};

struct Scenario {
  std::string name = "baseline";
  CouplingParameters coupling;
  demand::DemandParameters demand;
  demand::LoadParameters load = demand::default_load_parameters();
  std::vector<double> population_growth;  // per district factor (empty: 1)
  std::vector<double> jobs_growth;        // per district factor (empty: 1)
  std::vector<LinkChange> link_changes;
  std::vector<Outage> outages;
  // Vehicle OD matrices instead of the districts' gravity model (shared: sweeps copy scenarios).
  std::shared_ptr<const GivenOd> given_od;
};

// Capacity multiplier per twin link in hour h from the scenario's link changes.
std::vector<double> capacity_factors(const Scenario& s, int hour, std::size_t links);

}  // namespace citytwin::coupling
