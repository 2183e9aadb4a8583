#pragma once
// Electric base load per zone and hour from households and jobs, with BDEW
// standard load profile shapes (COUPLING.md, "Electric load profiles"):
//   L_res(h) = H * W_res / 365 * F(day) * SLP_H0(h) / 24
//   L_com(h) = E * W_com / 365 * SLP_G0(h) / 24
// SLP factors are hourly energy / daily mean (normalised to sum 24); F is the BDEW
// household dynamisation polynomial of the day of year.
#include <array>

#include "core/demand/parameters.hpp"

namespace citytwin::demand {

struct LoadParameters {
  double residential_kwh_per_household = 10715;  // EIA 2020 US average [V]; ~3,000 for German households
  double commercial_kwh_per_job = 5000;          // [D] calibrate to utility totals
  int day_of_year = 15;                          // a January workday (the H0/G0 winter workday shapes)
  double residential_power_factor = 0.95, commercial_power_factor = 0.90;
  double signal_kw = 0.5;                        // LED signalised intersection, 400-600 W (TxDOT) [V]
  std::array<double, kHours> residential_shape;  // SLP H0 winter workday, / daily mean
  std::array<double, kHours> commercial_shape;   // SLP G0 winter workday
};
LoadParameters default_load_parameters();

// BDEW household dynamisation F(t), t = 1 .. 365.
double bdew_dynamisation(int day_of_year);

struct ZoneLoad {
  double p_mw = 0, q_mvar = 0;
};

// Base load of one zone in hour h (0..23).
ZoneLoad zone_base_load(double households, double jobs, int hour, const LoadParameters& p);

}  // namespace citytwin::demand
