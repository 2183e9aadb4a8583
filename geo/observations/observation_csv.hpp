#pragma once
// Writes observations as the CSV files the readers take (the documented
// default columns), positions transformed back to WGS 84 lon/lat. Written
// atomically. Used by `citytwin observe` and the recovery tests.
#include <filesystem>
#include <vector>

#include "core/model/twin.hpp"
#include "core/observations/observations.hpp"

namespace citytwin::geo {

// station,lon,lat,bearing,time,vehicles
void write_counts_csv(const Twin& twin, const std::vector<observations::TrafficCount>& counts, const std::filesystem::path& csv);
// substation,time,p_mw[,q_mvar]  (substations by the twin's name)
void write_loads_csv(const Twin& twin, const std::vector<observations::GridMeasurement>& loads, const std::filesystem::path& csv);

}  // namespace citytwin::geo
