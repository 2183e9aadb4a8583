#pragma once
// What `citytwin calibrate` learnt from the city's measurements, kept inside
// the twin (and its snapshot) so that a calibrated twin runs like any other:
//  * OD factors: per hour and origin-destination cell, the calibrated vehicle
//    trips divided by the gravity model's (ODME, adjusted / prior). Sparse:
//    cells not listed keep factor 1. They multiply the districts' demand of
//    whatever scenario runs, so scenario growth still acts on the calibrated
//    structure; a given OD matrix (Scenario::given_od) is used as given.
//  * Load factors per substation: its share of the districts' residential
//    load is multiplied by residential_factor, of their commercial load by
//    commercial_factor (the two have different daily shapes, so a district
//    mix that differs from the model's needs both), the EV charging it carries
//    (trip-end share of the districts plus public stations at its buses) by
//    ev_factor; signals are left alone. Empty vectors: no load calibration.
// Stored as plain columns so the snapshot writes them like the rest.
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin {

// The bounds the load calibration searches in and a snapshot's values are held to.
inline constexpr double kLoadFactorMin = 0.5, kLoadFactorMax = 2.0;
inline constexpr double kEvFactorMin = 0.0, kEvFactorMax = 4.0;
// Any OD factor outside [0, kOdFactorMax] is corrupt (ODME's own bounds are tighter).
inline constexpr double kOdFactorMax = 100.0;

struct TwinCalibration {
  // OD factors, sorted by (hour, origin, destination), each cell at most once.
  std::vector<std::uint8_t> od_hour;          // 0..23
  std::vector<std::uint32_t> od_origin, od_destination;  // district (zone) indices
  std::vector<double> od_factor;
  // Per substation (size substation_count) or empty.
  std::vector<double> substation_residential_factor, substation_commercial_factor, substation_ev_factor;
  std::string source;  // what the twin was calibrated to (observation files, settings)

  bool empty() const {
    return od_factor.empty() && substation_residential_factor.empty() && substation_commercial_factor.empty() && substation_ev_factor.empty() &&
           source.empty();
  }
  bool has_loads() const { return !substation_residential_factor.empty(); }
  bool operator==(const TwinCalibration&) const = default;
};

// Multiplies hour h's Z x Z vehicle matrix by the OD factors of that hour.
void apply_od_factors(const TwinCalibration& c, int hour, std::size_t zones, std::vector<double>& od);

// Throws InvalidInput naming `file`, the field and the entry of the first
// value that is out of range, unsorted, duplicated or sized wrongly.
void validate_calibration(const TwinCalibration& c, std::size_t zones, std::size_t substations, const std::string& file);

}  // namespace citytwin
