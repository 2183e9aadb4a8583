#pragma once
// Bus loads of one hour with the twin's per-substation load calibration
// (core/model/twin_calibration.hpp): on each bus, the districts' residential
// and commercial load times the residential and commercial factors of the
// bus's substation, the EV charging (districts' trip-end share plus public
// stations on the bus) times its EV factor, plus the signals as they are.
// Buses outside every substation keep factor 1. A twin without load factors
// gets exactly zone_loads_on_buses of base + EV (bit for bit the uncalibrated
// result).
#include <vector>

#include "core/coupling/grid_model.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

// Per zone: base (residential + commercial) and its residential part.
struct ZoneBaseLoads {
  std::vector<double> p, q, residential_p, residential_q;
};

BusLoads calibrated_bus_loads(const Twin& twin, const ZoneBaseLoads& base, const std::vector<double>& zone_ev_mw,
                              const std::vector<double>& station_mw, double signal_kw);

// Per district, the share-weighted factors of the substations it feeds (all
// 1 without load calibration): its calibrated load is
// residential * res + commercial * (base - res) + ev * EV.
struct DistrictFactors {
  std::vector<double> residential, commercial, ev;
};
DistrictFactors district_load_factors(const Twin& twin);

}  // namespace citytwin::coupling
