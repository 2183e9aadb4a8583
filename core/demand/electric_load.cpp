#include "core/demand/electric_load.hpp"

#include <cmath>

namespace citytwin::demand {

LoadParameters default_load_parameters() {
  LoadParameters p;
  // COUPLING.md: H0 and G0 winter workday, 24 hourly factors (/ mean).
  p.residential_shape = {0.55, 0.41, 0.37, 0.36, 0.37, 0.44, 0.85, 1.22, 1.25, 1.16, 1.09, 1.11,
                         1.23, 1.22, 1.08, 0.98, 0.99, 1.21, 1.56, 1.76, 1.58, 1.32, 1.10, 0.81};
  p.commercial_shape = {0.46, 0.39, 0.36, 0.37, 0.45, 0.50, 0.60, 0.86, 1.41, 1.71, 1.74, 1.79,
                        1.65, 1.38, 1.29, 1.43, 1.50, 1.53, 1.26, 0.87, 0.72, 0.63, 0.57, 0.53};
  return p;
}

double bdew_dynamisation(int t) {
  const double x = t;
  return -3.92e-10 * x * x * x * x + 3.2e-7 * x * x * x - 7.02e-5 * x * x + 2.1e-3 * x + 1.24;
}

namespace {
double tan_phi(double pf) { return std::tan(std::acos(pf)); }

// Share of the day's energy in hour h; shapes are normalised here because the
// published two-decimal factors do not sum to exactly 24 (H0: 24.02).
double hour_share(const std::array<double, kHours>& shape, int hour) {
  double s = 0;
  for (double f : shape) s += f;
  return s > 0 ? shape[hour] / s : 0.0;
}
}  // namespace

ZoneLoad zone_base_load(double households, double jobs, int hour, const LoadParameters& p) {
  const double res_mw = households * p.residential_kwh_per_household / 365.0 * bdew_dynamisation(p.day_of_year) *
                        hour_share(p.residential_shape, hour) / 1000.0;
  const double com_mw = jobs * p.commercial_kwh_per_job / 365.0 * hour_share(p.commercial_shape, hour) / 1000.0;
  return {res_mw + com_mw, res_mw * tan_phi(p.residential_power_factor) + com_mw * tan_phi(p.commercial_power_factor)};
}

}  // namespace citytwin::demand
