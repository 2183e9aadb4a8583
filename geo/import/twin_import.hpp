#pragma once
// Builds a Twin from a source manifest: every department layer is read through
// GDAL, transformed into one metric CRS, turned into the road graph, the grid
// and the districts, and tied together by the spatial joins.
#include "core/model/twin.hpp"
#include "geo/import/manifest.hpp"

namespace citytwin::geo {

struct ImportSummary {
  std::size_t road_features = 0;
  std::size_t road_components = 0;
  double seconds_roads = 0;         // read, reproject and build the road graph
  double seconds_other_layers = 0;  // grid, districts, chargers
  double seconds_joins = 0;         // zone connectors and spatial joins
};

Twin import_twin(const Manifest& manifest, ImportSummary* summary = nullptr);

}  // namespace citytwin::geo
