#include "core/coupling/parameter_fields.hpp"

#include <cmath>

#include "core/common/errors.hpp"
#include "core/demand/parameter_fields.hpp"

namespace citytwin::coupling {

namespace {
using K = FieldKind;
using C = CouplingParameters;

std::vector<FieldChoice> algorithm_choices() {
  std::vector<FieldChoice> out;
  for (const auto& a : traffic::kAlgorithmNames) out.push_back({a.name, static_cast<int>(a.algorithm)});
  return out;
}
}  // namespace

// Tags in the docs as in COUPLING.md: [V] checked, [R] literature, [D] derived.
const FieldList<CouplingParameters>& coupling_parameter_fields() {
  static const FieldList<C> list = {
      member_field({"ev_share", K::Real, "", 0, 1, "phi_EV: share of vehicle-km driven electrically"}, &C::ev_share),
      member_field({"ev_kwh_per_km", K::Real, "kWh/km", 0.01, 1, "EV consumption per km [V/R]"}, &C::ev_kwh_per_km),
      member_field({"share_home", K::Real, "", 0, 1, "share of EV energy charged at home (the three shares sum to 1) [V]"}, &C::share_home),
      member_field({"share_work", K::Real, "", 0, 1, "share of EV energy charged at work [V]"}, &C::share_work),
      member_field({"share_public", K::Real, "", 0, 1, "share of EV energy charged at public stations [V]"}, &C::share_public),
      member_field({"public_capture", K::Real, "", 0, 1, "psi: share of passing EVs that stop at a station on their link [D]"},
                   &C::public_capture),
      member_field({"fast_session_kwh", K::Real, "kWh", 1, 500, "energy of one public fast-charging session [D]"}, &C::fast_session_kwh),
      member_field({"max_queue_wait_h", K::Real, "h", 0, 24, "drivers queue at a full station at most this long, then leave unserved [D]"},
                   &C::max_queue_wait_h),
      member_field({"kappa_dark_single_lane", K::Real, "", 0.01, 1, "capacity multiplier of a dark signal's single-lane approaches [D]"},
                   &C::kappa_dark_single_lane),
      member_field({"kappa_dark_multi_lane", K::Real, "", 0.01, 1, "capacity multiplier of a dark signal's multi-lane approaches [D]"},
                   &C::kappa_dark_multi_lane),
      member_field({"dark_stop_delay_s", K::Real, "s", 0, 120, "added to a dark signal's approaches' free-flow time [D]"},
                   &C::dark_stop_delay_s),
      member_field({"battery_backup_hours", K::Real, "h", 0, 48, "T_BBS: signals stay lit this long after their bus loses supply"},
                   &C::battery_backup_hours),
      member_field({"u_trip", K::Real, "", 0.5, 10, "substations above this utilisation trip for the hour [D]"}, &C::u_trip),
      member_field({"target_gap", K::Real, "", 1e-12, 0.1, "relative gap of each hour's user equilibrium"}, &C::target_gap),
      member_field({"assignment_algorithm", K::Enum, "", 0, 0,
                    "user-equilibrium solver: bush (Algorithm B), bfw / cfw / fw (Frank-Wolfe family, for comparison)",
                    algorithm_choices()},
                   &C::assignment_algorithm),
      member_field({"max_assignment_iterations", K::Integer, "", 1, 100000, "iteration limit of each assignment"},
                   &C::max_assignment_iterations),
      member_field({"load_tolerance", K::Real, "", 1e-9, 0.5, "fixed point: max change of a bus load / substation rating"},
                   &C::load_tolerance),
      member_field({"max_coupling_rounds", K::Integer, "", 1, 100000, "traffic <-> grid rounds per hour at most"}, &C::max_coupling_rounds),
      member_field({"carry_over_unserved", K::Bool, "", 0, 1,
                    "quasi-dynamic: vehicles above capacity at their path's bottleneck in hour h start in hour h+1 [D]"},
                   &C::carry_over_unserved),
      member_field({"managed_charging", K::Bool, "", 0, 1,
                    "shift home and work charging out of the peak into the valley, each session charged before its departure "
                    "(two passes; public fast charging is not shifted) [D]"},
                   &C::managed_charging),
      member_field({"home_departure_hour", K::Integer, "h", 0, 23, "managed charging: home sessions end before this hour [D]"},
                   &C::home_departure_hour),
      member_field({"work_departure_hour", K::Integer, "h", 0, 23, "managed charging: work sessions end before this hour [D]"},
                   &C::work_departure_hour),
      member_field({"home_charger_kw", K::Real, "kW", 1, 350, "managed charging: home charger power (7.4 kW: 32 A single-phase) [R]"},
                   &C::home_charger_kw),
      member_field({"work_charger_kw", K::Real, "kW", 1, 350, "managed charging: workplace charger power (11 kW: 16 A three-phase) [R]"},
                   &C::work_charger_kw),
      member_field({"charging_session_kwh", K::Real, "kWh", 1, 200,
                    "managed charging: energy of one home or work session (sessions = energy / this) [D]"},
                   &C::charging_session_kwh),
      member_field({"managed_utilisation_limit", K::Real, "", 0.1, 10,
                    "managed charging keeps each substation's load within rating x this where the sessions fit [D]"},
                   &C::managed_utilisation_limit),
      member_field({"skim_value_of_time_per_h", K::Real, "money/h", 0, 1000,
                    "skims' generalised cost: value of one vehicle-hour (--skims only; route choice is by time) [D]"},
                   &C::skim_value_of_time_per_h),
      member_field({"skim_cost_per_km", K::Real, "money/km", 0, 100, "skims' generalised cost: operating cost of one vehicle-km (--skims only) [D]"},
                   &C::skim_cost_per_km),
  };
  return list;
}

const FieldList<Scenario>& scenario_parameter_fields() {
  static const FieldList<Scenario> list = [] {
    FieldList<Scenario> l = lift(coupling_parameter_fields(), &Scenario::coupling);
    for (auto& f : lift(demand::demand_parameter_fields(), &Scenario::demand)) l.push_back(std::move(f));
    for (auto& f : lift(demand::load_parameter_fields(), &Scenario::load)) l.push_back(std::move(f));
    return l;
  }();
  return list;
}

void check_parameters(const CouplingParameters& c) {
  if (std::abs(c.share_home + c.share_work + c.share_public - 1.0) > 1e-9)
    throw InvalidInput("share_home + share_work + share_public must be 1", {.field = "share_home"});
}

std::vector<std::pair<std::string, double>> parameter_values(const Scenario& s) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& f : scenario_parameter_fields())
    if (f.kind != FieldKind::Enum) out.emplace_back(f.name, f.get(s));
  return out;
}

std::vector<std::pair<std::string, std::string>> parameter_choices(const Scenario& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : scenario_parameter_fields())
    if (f.kind == FieldKind::Enum) out.emplace_back(f.name, f.text(f.get(s)));
  return out;
}

}  // namespace citytwin::coupling
