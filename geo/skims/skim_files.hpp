#pragma once
// Skim sets (core/traffic/skims.hpp) as files, chosen by the extension:
//   .omx  one matrix per quantity, class and hour, named as skim_matrix_name()
//         says ("time_min__h08", "distance_km__h08", "cost__h08"; ActivitySim's
//         KEY__PERIOD convention), with "units" and "description" attributes;
//         lookup "zone_number"; root attributes value_of_time_per_h and cost_per_km.
//   .csv  one row per class, hour and OD pair:
//         origin,destination,hour,time_min,distance_km,cost  (no path: inf; no hour: empty)
// Both written atomically.
#include <filesystem>

#include "core/traffic/skims.hpp"

namespace citytwin::geo {

// Throws InvalidInput for another extension or a set whose tables do not match its zones.
void write_skims(const std::filesystem::path& path, const traffic::SkimSet& set);
void write_skims_omx(const std::filesystem::path& path, const traffic::SkimSet& set);
void write_skims_csv(const std::filesystem::path& path, const traffic::SkimSet& set);

}  // namespace citytwin::geo
