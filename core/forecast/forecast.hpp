#pragma once
// Forecast the rest of the day from what has been seen (issue 15 section 1).
//
// The twin under its scenario is the typical day (calibrated or not). From
// today's observations up to `now` (today.hpp) the forecast estimates how
// today differs from it, changes the day's demand and loads accordingly and
// runs the coupled model again for the whole day; the hours before `now`
// keep the observed values where something was measured.
//
// How today differs (day_adjustment.hpp has the estimators):
//  * Traffic level and pattern (counts): per station the ratio r_s = sum of
//    observed / sum of modelled vehicles over the hours seen; per district the
//    pooled ratio of its stations, shrunk toward the citywide ratio R with
//    n/(n + k) (n stations in the district, k = `shrink_stations`): a district
//    with no station gets R. Every hourly OD cell i -> j of the typical day is
//    scaled by (r_i + r_j) / 2 and given to the run as its OD matrices.
//  * Grid level and EV use (meters): each substation's typical load is split
//    into the district load B_k(h) and the EV charging it draws per unit of
//    EV share u_k(h) (from a probe run with the EV share raised by 0.1 over
//    the hours seen: EV charging is linear in the share), and
//        observed_k(h) ~ a_k B_k(h) + phi tau_k u_k(h),
//    tau_k the traffic ratio of the districts k serves (1 without counts):
//    the level a_k per substation (shrunk toward the citywide level with
//    n/(n + k), n hours metered, k = `shrink_hours`) and one citywide EV share
//    phi in [0, 1] by alternating least squares. The meter residual the
//    district load does not explain is thereby attributed to EV charging,
//    whose future hours follow the (updated) traffic. Districts' loads are
//    scaled by sum_k share_{z,k} a_k (their households and jobs, which with
//    the OD given move only the electric load) and the run's EV share is phi.
//
// Who knows what (the value of each shared feed is the difference):
//  * Shared: counts and meters as above.
//  * WithoutTraffic (energy department alone): meters and its load profiles,
//    no counts: traffic stays typical and, as nothing tells EV charging from
//    the rest, each substation's whole profile is scaled by its level,
//    observed_k(h) ~ a_k m_k(h), the EV share by the citywide level.
//  * WithoutGrid (transport department alone): counts only; loads typical
//    except the EV charging the changed traffic brings in the coupled run.
//
// Band: the spread of the observed/fitted ratios over the hours seen. For a
// substation sigma_k, the root mean square of observed/fitted - 1, shrunk
// like the levels toward the citywide spread; its band is value x (1 +- z
// sigma_k), z = `band_z` (1.645: 90 % if the errors were normal and
// persisted). The citywide load uses the spread of the citywide sum, links
// the spread of the station ratios around their district's ratio. A band is
// NaN where the mode has no feed to measure it.
//
// Alerts over the forecast hours (now .. 23): a substation above its rating
// (utilisation > 1), a branch above 100 % loading, and signals at risk:
// dark in the forecast, or fed by a substation whose band reaches u_trip.
#include <cstdint>
#include <string>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/forecast/day_adjustment.hpp"
#include "core/forecast/today.hpp"
#include "core/model/twin.hpp"

namespace citytwin::forecast {

struct ForecastOptions {
  TodayOptions today;
  Feeds feeds = Feeds::Shared;
  AdjustmentOptions adjustment;
  double band_z = 1.645;
};

// The typical day the forecast starts from: its run and the EV probe, made
// once and shared by forecasts of the same twin, scenario and `now`.
struct TypicalDay {
  coupling::Scenario scenario;
  coupling::SimulationResult run;        // hours 0..23
  coupling::SimulationResult ev_probe;   // hours 0..now-1, EV share + probe_step
  double probe_step = 0;                 // +kEvProbeStep, or - when the share is already near 1
  int now = 0;
};
inline constexpr double kEvProbeStep = 0.1;
TypicalDay typical_day(const Twin& twin, const coupling::Scenario& scenario, int now);

struct Peak {
  int hour = -1;  // -1: no forecast hour
  double mw = 0, low = 0, high = 0;
};

enum class AlertKind : std::uint8_t { SubstationOverload, BranchOverload, SignalAtRisk };
const char* alert_kind_name(AlertKind k);  // "substation_overload", "branch_overload", "signal_at_risk"

struct Alert {
  AlertKind kind = AlertKind::SubstationOverload;
  std::uint32_t element = 0;  // substation, branch or signal (CrossLinks order)
  int first_hour = 0, hours = 0;  // first forecast hour at risk and how many
  double worst = 0;           // utilisation (fraction), loading (%), or the feeding substation's upper band utilisation
  std::string reason;
};

struct ForecastResult {
  Feeds feeds = Feeds::Shared;
  Today today;
  DayAdjustment adjustment;
  // The day: hours 0..23; before `now` the counted links' flows and the
  // metered substations' loads are the observed values.
  coupling::SimulationResult run;
  std::vector<std::vector<double>> substation_p_mw, substation_low_mw, substation_high_mw;  // [hour][substation]
  std::vector<double> citywide_p_mw, citywide_low_mw, citywide_high_mw;                    // [hour]
  std::vector<std::vector<std::uint8_t>> substation_observed;                             // [hour][substation]: value is a meter's
  double link_band_relative = 0;  // links: flow x (1 +- this); NaN without counts
  std::vector<Peak> substation_peak;  // over hours now..23
  Peak citywide_peak;
  std::vector<Alert> alerts;
};

ForecastResult run_forecast(const Twin& twin, const TypicalDay& typical, const Observations& obs, const ForecastOptions& options);

}  // namespace citytwin::forecast
