#pragma once
// Where a set of observations comes from: a data source GDAL opens (CSV,
// GeoPackage, any OGR layer or database table), or an observation manifest
// (.toml) whose table for that kind names the source and maps other column
// names, like the source manifest (geo/import/manifest.hpp):
//
//   [counts]
//   source = "counts_2026.csv"        # relative to the manifest
//   layer  = "..."                    # optional; or sql = "SELECT ..."
//   where  = "..."                    # optional OGR attribute filter
//   crs    = "EPSG:4326"              # of the lon/lat columns (default) or of a layer without CRS
//   fields = { station = "SITE_ID", vehicles = "VOL", time = "HOUR_START" }
//
// Tables: [counts], [loads] (substations), [branch_loads], [charging].
// Format and columns: datasets/observations/README.md.
#include <filesystem>
#include <string>

#include "geo/gdal/layer_spec.hpp"

namespace citytwin::geo {

enum class ObservationKind { Counts, Loads, BranchLoads, Charging };
const char* observation_kind_key(ObservationKind k);  // "counts", "loads", "branch_loads", "charging"

// `path`: a data source, or a .toml observation manifest (then its table
// for `kind` is required). Throws InvalidInput naming the file and line.
LayerSpec observation_source(const std::string& path, ObservationKind kind);

}  // namespace citytwin::geo
