#pragma once
// How well modelled values match observed ones.
//
// Flows (traffic counts), per (station, hour) pair:
//   GEH = sqrt(2 (M - C)^2 / (M + C))   (0 when M = C = 0); the usual
//   acceptance target is GEH < 5 for at least 85 % of the counts (UK DMRB
//   TAG M3.1 / Highways England).
//   %RMSE = sqrt(sum (M - C)^2 / (N - 1)) / (sum C / N) * 100, the FHWA
//   "Travel Model Validation and Reasonableness Checking Manual" (2010) form.
//   R^2 = 1 - sum (M - C)^2 / sum (C - mean C)^2: the coefficient of
//   determination about the 1:1 line (a model with the right trend but a bias
//   scores lower); pearson_r2, the squared correlation, is given beside it.
// Loads (meters), per element over its hours:
//   MAPE = mean |M - O| / |O| * 100 over hours with O != 0;
//   daily peak: |max M - max O| / max O * 100 over the hours both have.
#include <cstddef>
#include <span>

namespace citytwin::observations {

double geh(double modelled, double observed);

struct FlowFit {
  std::size_t n = 0;
  std::size_t geh_below_5 = 0;
  double share_geh_below_5 = 0;  // 0..1
  double mean_geh = 0, max_geh = 0;
  double rmse_pct = 0;           // NaN when n < 2 or the counts sum to 0
  double r2 = 0, pearson_r2 = 0; // NaN when the counts do not vary
  double sum_modelled = 0, sum_observed = 0;
};
FlowFit flow_fit(std::span<const double> modelled, std::span<const double> observed);

struct LoadFit {
  std::size_t hours = 0;          // hours compared
  std::size_t zero_observed = 0;  // hours left out of MAPE (O = 0)
  double mape_pct = 0;            // NaN when no hour has O != 0
  double observed_peak = 0, modelled_peak = 0;
  double peak_ape_pct = 0;        // NaN when the observed peak is 0
};
LoadFit load_fit(std::span<const double> modelled, std::span<const double> observed);

}  // namespace citytwin::observations
