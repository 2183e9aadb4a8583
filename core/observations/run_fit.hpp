#pragma once
// A run scored against observations: the observations are quality-checked
// (quality.hpp), grouped into the hour-of-day profile of one day type
// (hourly_profile.hpp), and each profile hour is compared with the run's
// value for the same element and hour. The run models one typical day, so
// weekday observations are compared by default; hours the run did not
// simulate are counted, not compared.
//
// Counts need their stations matched to links first (geo/observations'
// map matching gives `station_link`, -1 for an unmatched station).
#include <cstdint>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/observations/fit_statistics.hpp"
#include "core/observations/observations.hpp"
#include "core/observations/quality.hpp"

namespace citytwin::observations {

struct FitOptions {
  DayType day_type = DayType::Weekday;
  // A count above this many times its link's hourly capacity (a meter
  // reading above this many times its substation's rating) is implausible.
  double implausible_factor = 3.0;
};

struct FitRow {
  std::uint32_t element = 0;  // station (counts), substation or branch (loads)
  std::int64_t link = -1;     // counts: the matched link
  int hour = 0;
  double observed = 0;        // profile mean
  std::uint32_t days = 0;     // days behind the mean
  double modelled = 0;
  double geh = 0;             // counts only
};

struct CountFit {
  QualityReport quality;
  std::vector<FitRow> rows;  // by (station, hour)
  FlowFit overall;
  std::size_t stations_scored = 0;
  std::size_t profile_hours_not_in_run = 0;  // matched station-hours the run did not simulate
};

CountFit fit_counts(const Twin& twin, const coupling::SimulationResult& run, const std::vector<TrafficCount>& counts,
                    const StationTable& stations, const std::vector<std::int64_t>& station_link, const FitOptions& options = {});

struct ElementFit {
  std::uint32_t element = 0;
  LoadFit fit;
};

struct LoadsFit {
  QualityReport quality;
  std::vector<FitRow> rows;       // by (element, hour)
  std::vector<ElementFit> elements;
  double mape_pct = 0;            // mean of the elements' MAPE (NaN when none)
  double peak_mape_pct = 0;       // mean of the elements' daily-peak APE
  std::size_t profile_hours_not_in_run = 0;
};

// Substation meters: observed p_mw against substation_p_mw().
LoadsFit fit_substation_loads(const Twin& twin, const coupling::SimulationResult& run, const std::vector<GridMeasurement>& loads,
                              const FitOptions& options = {});
// Branch meters: |p_mw| against branch_flow_mw() (the results keep no flow sign).
LoadsFit fit_branch_flows(const Twin& twin, const coupling::SimulationResult& run, const std::vector<GridMeasurement>& flows,
                          const FitOptions& options = {});

}  // namespace citytwin::observations
