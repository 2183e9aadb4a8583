#include "core/coupling/hour_totals_fields.hpp"

#include <array>
#include <cmath>

namespace citytwin::coupling {

namespace {

using T = HourTotals;
constexpr std::uint8_t kFiles = kJson | kCsv | kGpkg | kPython;  // the totals every output had

const std::array kFields = {
    TotalField{"hour", &T::hour, "h", "hour of the day, 0..23", kFiles},
    TotalField{"vehicle_km", &T::vehicle_km, "veh-km", "vehicle kilometres travelled", kFiles, DayTotal::Sum},
    TotalField{"vehicle_hours", &T::vehicle_hours, "veh-h", "vehicle hours travelled", kFiles, DayTotal::Sum},
    TotalField{"delay_hours", &T::delay_hours, "veh-h", "vehicle hours above free-flow time", kFiles, DayTotal::Sum},
    TotalField{"load_mw", &T::load_mw, "MW", "total electric load asked of the grid (incl. EV)", kFiles, DayTotal::Max,
               "peak_load_mw"},
    TotalField{"unserved_energy_mwh", &T::unserved_energy_mwh, "MWh",
               "load at de-energised buses + public charging not served", kFiles, DayTotal::Sum},
    TotalField{"ev_energy_mwh", &T::ev_energy_mwh, "MWh", "EV energy demand phi * VKT * e", kFiles, DayTotal::Sum},
    TotalField{"overloaded_branches", &T::overloaded_branches, "", "branches loaded above their rating", kFiles},
    TotalField{"dark_signals", &T::dark_signals, "", "signals dark after their battery backup", kFiles},
    TotalField{"failed_substations", &T::failed_substations, "", "substations out of service (outage or trip)", kFiles},
    TotalField{"relative_gap", &T::relative_gap, "", "relative gap of the hour's last assignment", kFiles},
    TotalField{"coupling_rounds", &T::coupling_rounds, "", "rounds of the hour's fixed point", kFiles},
    TotalField{"converged", &T::converged, "", "the hour's fixed point was reached", kFiles, DayTotal::All},
    TotalField{"demand_vehicles", &T::demand_vehicles, "veh", "vehicles of the hour's demand (incl. carried in)", kFiles},
    TotalField{"carried_in_vehicles", &T::carried_in_vehicles, "veh", "held over from the previous hour (in this hour's demand)",
               kFiles},
    TotalField{"carried_over_vehicles", &T::carried_over_vehicles, "veh", "held back at bottlenecks into the next hour", kFiles},
    TotalField{"queued_sessions", &T::queued_sessions, "", "EV sessions queued at full public stations at the end of the hour",
               kFiles},
    TotalField{"mean_queue_wait_h", &T::mean_queue_wait_h, "h", "mean wait of the queued EV sessions", kFiles},
    TotalField{"disconnected_vehicles", &T::disconnected_vehicles, "veh", "demand between zones no path joins",
               kJson | kPython},
    TotalField{"assignment_iterations", &T::assignment_iterations, "", "assignment iterations of the hour, all rounds", kPython},
    TotalField{"peak_substation_loading", &T::peak_substation_loading, "fraction of rating",
               "largest substation utilisation of the hour", kAll, DayTotal::Max},
    // Managed charging against the same scenario without it (without it: this run's own values, nothing shifted).
    TotalField{"unmanaged_load_mw", &T::unmanaged_load_mw, "MW", "load_mw of the same hour without managed charging", kAll,
               DayTotal::Max, "unmanaged_peak_load_mw"},
    TotalField{"ev_shifted_mwh", &T::ev_shifted_mwh, "MWh", "home/work EV energy managed charging moved out of this hour", kAll,
               DayTotal::Sum},
    TotalField{"sessions_delayed", &T::sessions_delayed, "", "home/work sessions arriving this hour whose charging was delayed", kAll,
               DayTotal::Sum},
    TotalField{"unmanaged_overloaded_branches", &T::unmanaged_overloaded_branches, "",
               "overloaded_branches without managed charging (day: branch-hours)", kAll, DayTotal::Sum},
    TotalField{"unmanaged_unserved_energy_mwh", &T::unmanaged_unserved_energy_mwh, "MWh",
               "unserved_energy_mwh without managed charging", kAll, DayTotal::Sum},
    TotalField{"unmanaged_dark_signals", &T::unmanaged_dark_signals, "", "dark_signals without managed charging (day: signal-hours)",
               kAll, DayTotal::Sum},
};

// hours.csv as it was: keep existing readers by position working.
constexpr std::array<std::string_view, 18> kLegacyCsv = {
    "hour", "vehicle_km", "vehicle_hours", "delay_hours", "load_mw", "overloaded_branches", "dark_signals", "failed_substations",
    "unserved_energy_mwh", "ev_energy_mwh", "relative_gap", "coupling_rounds", "demand_vehicles", "carried_in_vehicles",
    "carried_over_vehicles", "queued_sessions", "mean_queue_wait_h", "converged"};

}  // namespace

double TotalField::value(const HourTotals& t) const {
  return std::visit([&](auto m) { return static_cast<double>(t.*m); }, member);
}

void TotalField::set(HourTotals& t, double v) const {
  std::visit(
      [&](auto m) {
        using V = std::remove_reference_t<decltype(t.*m)>;
        if constexpr (std::is_same_v<V, bool>) t.*m = v != 0;
        else if constexpr (std::is_same_v<V, int>) t.*m = static_cast<int>(std::lround(v));
        else t.*m = v;
      },
      member);
}

std::span<const TotalField> hour_total_fields() { return kFields; }

std::span<const std::string_view> legacy_csv_total_order() { return kLegacyCsv; }

}  // namespace citytwin::coupling
