#pragma once
// The fit of a run to observations as a GeoPackage (QGIS, the viewer, a
// report), in the twin's CRS, written atomically:
//   fit_stations     point per count station: status (matched / ambiguous /
//                    rejected), link_id, distance_m, reason, hours scored,
//                    mean and max GEH
//   fit_counts       point per (station, hour): observed (profile mean),
//                    days, modelled, GEH
//   fit_substations  point per (substation, hour): observed and modelled MW
//   fit_quality      table: every quality finding (dataset, kind, element,
//                    time, row, value, detail)
#include <filesystem>

#include "core/model/twin.hpp"
#include "core/observations/run_fit.hpp"
#include "geo/observations/map_matching.hpp"

namespace citytwin::geo {

struct FitLayers {
  const observations::StationTable* stations = nullptr;  // with matches and counts
  const MatchReport* matches = nullptr;
  const observations::CountFit* counts = nullptr;
  const observations::LoadsFit* loads = nullptr;
  observations::DayType day_type = observations::DayType::Weekday;
};

void write_fit_layers(const Twin& twin, const FitLayers& fit, const std::filesystem::path& gpkg);

}  // namespace citytwin::geo
