#include "core/observations/fit_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace citytwin::observations {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
void check_sizes(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) throw std::invalid_argument("fit statistics: modelled and observed differ in length");
}
}  // namespace

double geh(double m, double c) {
  const double sum = m + c;
  if (sum <= 0) return m == c ? 0.0 : kNan;  // negative flows have no GEH
  return std::sqrt(2.0 * (m - c) * (m - c) / sum);
}

FlowFit flow_fit(std::span<const double> modelled, std::span<const double> observed) {
  check_sizes(modelled, observed);
  FlowFit f;
  f.n = modelled.size();
  if (f.n == 0) {
    f.share_geh_below_5 = f.mean_geh = f.max_geh = f.rmse_pct = f.r2 = f.pearson_r2 = kNan;
    return f;
  }
  double sse = 0, sum_g = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    const double m = modelled[i], c = observed[i];
    const double g = geh(m, c);
    if (g < 5) ++f.geh_below_5;
    sum_g += g;
    f.max_geh = std::max(f.max_geh, g);
    sse += (m - c) * (m - c);
    f.sum_modelled += m;
    f.sum_observed += c;
  }
  const double n = static_cast<double>(f.n);
  f.share_geh_below_5 = static_cast<double>(f.geh_below_5) / n;
  f.mean_geh = sum_g / n;
  f.rmse_pct = f.n >= 2 && f.sum_observed > 0 ? std::sqrt(sse / (n - 1)) / (f.sum_observed / n) * 100.0 : kNan;
  const double mean_c = f.sum_observed / n, mean_m = f.sum_modelled / n;
  double sst = 0, smm = 0, smc = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    const double dc = observed[i] - mean_c, dm = modelled[i] - mean_m;
    sst += dc * dc;
    smm += dm * dm;
    smc += dm * dc;
  }
  f.r2 = sst > 0 ? 1.0 - sse / sst : kNan;
  f.pearson_r2 = sst > 0 && smm > 0 ? smc * smc / (sst * smm) : kNan;
  return f;
}

LoadFit load_fit(std::span<const double> modelled, std::span<const double> observed) {
  check_sizes(modelled, observed);
  LoadFit f;
  f.hours = modelled.size();
  double sum_ape = 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < f.hours; ++i) {
    if (observed[i] == 0) {
      ++f.zero_observed;
      continue;
    }
    sum_ape += std::abs(modelled[i] - observed[i]) / std::abs(observed[i]);
    ++used;
  }
  f.mape_pct = used ? sum_ape / static_cast<double>(used) * 100.0 : kNan;
  if (f.hours == 0) {
    f.observed_peak = f.modelled_peak = f.peak_ape_pct = kNan;
    return f;
  }
  f.observed_peak = *std::max_element(observed.begin(), observed.end());
  f.modelled_peak = *std::max_element(modelled.begin(), modelled.end());
  f.peak_ape_pct = f.observed_peak != 0 ? std::abs(f.modelled_peak - f.observed_peak) / std::abs(f.observed_peak) * 100.0 : kNan;
  return f;
}

}  // namespace citytwin::observations
