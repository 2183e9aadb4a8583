#include "core/model/twin_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "core/common/errors.hpp"

namespace citytwin {

void apply_od_factors(const TwinCalibration& c, int hour, std::size_t zones, std::vector<double>& od) {
  if (c.od_factor.empty()) return;
  // Entries are sorted by hour: find this hour's run.
  const auto h = static_cast<std::uint8_t>(hour);
  const auto first = std::lower_bound(c.od_hour.begin(), c.od_hour.end(), h);
  for (auto i = static_cast<std::size_t>(first - c.od_hour.begin()); i < c.od_hour.size() && c.od_hour[i] == h; ++i) {
    const std::size_t cell = static_cast<std::size_t>(c.od_origin[i]) * zones + c.od_destination[i];
    if (cell < od.size()) od[cell] *= c.od_factor[i];
  }
}

namespace {
std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

void validate_calibration(const TwinCalibration& c, std::size_t zones, std::size_t substations, const std::string& file) {
  auto bad = [&](const std::string& field, std::size_t entry, const std::string& why) {
    throw InvalidInput("calibration " + field + " entry " + std::to_string(entry) + ": " + why,
                       {.file = file, .feature = static_cast<std::int64_t>(entry), .field = field});
  };
  const std::size_t n = c.od_factor.size();
  if (c.od_hour.size() != n || c.od_origin.size() != n || c.od_destination.size() != n)
    throw InvalidInput("calibration OD columns differ in length (hour " + std::to_string(c.od_hour.size()) + ", origin " +
                           std::to_string(c.od_origin.size()) + ", destination " + std::to_string(c.od_destination.size()) +
                           ", factor " + std::to_string(n) + ")",
                       {.file = file, .field = "od_factor"});
  for (std::size_t i = 0; i < n; ++i) {
    if (c.od_hour[i] > 23) bad("od_hour", i, "hour " + std::to_string(c.od_hour[i]) + " is not in 0..23");
    if (c.od_origin[i] >= zones) bad("od_origin", i, "district " + std::to_string(c.od_origin[i]) + " but the twin has " + std::to_string(zones));
    if (c.od_destination[i] >= zones)
      bad("od_destination", i, "district " + std::to_string(c.od_destination[i]) + " but the twin has " + std::to_string(zones));
    if (!(std::isfinite(c.od_factor[i]) && c.od_factor[i] >= 0 && c.od_factor[i] <= kOdFactorMax))
      bad("od_factor", i, "factor " + num(c.od_factor[i]) + " is not in 0.." + num(kOdFactorMax));
    if (i > 0 && std::tie(c.od_hour[i - 1], c.od_origin[i - 1], c.od_destination[i - 1]) >= std::tie(c.od_hour[i], c.od_origin[i], c.od_destination[i]))
      bad("od_hour", i, "cells are not sorted by (hour, origin, destination) or repeat one");
  }
  auto check_factors = [&](const std::vector<double>& f, const std::string& field, double lo, double hi) {
    if (f.empty()) return;
    if (f.size() != substations)
      throw InvalidInput("calibration " + field + " has " + std::to_string(f.size()) + " values but the twin has " + std::to_string(substations) +
                             " substations",
                         {.file = file, .field = field});
    for (std::size_t k = 0; k < f.size(); ++k)
      if (!(std::isfinite(f[k]) && f[k] >= lo && f[k] <= hi)) bad(field, k, "factor " + num(f[k]) + " is not in " + num(lo) + ".." + num(hi));
  };
  check_factors(c.substation_residential_factor, "substation_residential_factor", kLoadFactorMin, kLoadFactorMax);
  check_factors(c.substation_commercial_factor, "substation_commercial_factor", kLoadFactorMin, kLoadFactorMax);
  check_factors(c.substation_ev_factor, "substation_ev_factor", kEvFactorMin, kEvFactorMax);
  for (const auto* other : {&c.substation_commercial_factor, &c.substation_ev_factor})
    if (other->size() != c.substation_residential_factor.size())
      throw InvalidInput("calibration has residential factors for " + std::to_string(c.substation_residential_factor.size()) +
                             " substations but " + std::to_string(other->size()) + (other == &c.substation_ev_factor ? " EV" : " commercial") + " factors",
                         {.file = file, .field = other == &c.substation_ev_factor ? "substation_ev_factor" : "substation_commercial_factor"});
}

}  // namespace citytwin
