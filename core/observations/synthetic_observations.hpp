#pragma once
// Synthetic observations sampled from a known run (the "truth"): counts on a
// random share of the road links and meter readings at every substation, each
// value the run's with multiplicative Gaussian noise, over several weekdays.
// For recovery tests (fit, and later ODME / load calibration) and for users
// who want observations of a synthetic city (`citytwin observe`).
//
// Noise: value * (1 + noise * z), z ~ N(0, 1) independent per element, day
// and hour (Box-Muller on a seeded mt19937_64, so the same seed gives the same
// values on every platform); counts are rounded to whole vehicles and floored
// at 0. Over `days` days the profile mean's relative noise is noise / sqrt(days).
#include <cstdint>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/observations/observations.hpp"

namespace citytwin::observations {

struct SyntheticObservationOptions {
  double sample_share = 0.2;  // of the road links (connectors excluded) that get a counter
  double noise = 0.05;        // relative standard deviation per value
  std::uint64_t seed = 1;
  int days = 5;               // consecutive weekdays
  LocalHour first_day{2026, 3, 2, 0};  // a Monday; weekend dates are skipped
};

struct SyntheticObservations {
  std::vector<std::uint32_t> counted_links;  // ascending; station "L<link id>" counts link id
  std::vector<TrafficCount> counts;          // station at the link's midpoint, bearing of its direction there
  std::vector<GridMeasurement> loads;        // every substation, p_mw as substation_p_mw()
};

SyntheticObservations synthesize_observations(const Twin& twin, const coupling::SimulationResult& run,
                                              const SyntheticObservationOptions& options);

}  // namespace citytwin::observations
