#pragma once
// Builds a Twin from a source manifest: every department layer is read through
// GDAL, transformed into one metric CRS, turned into the road graph, the grid
// and the districts, and tied together by the spatial joins.
#include "core/model/twin.hpp"
#include "geo/io/manifest.hpp"

namespace citytwin::geo {

struct ImportSummary {
  std::size_t road_features = 0;
  std::size_t road_components = 0;
  double seconds_read = 0, seconds_graph = 0, seconds_joins = 0;
};

Twin import_twin(const Manifest& manifest, ImportSummary* summary = nullptr);

}  // namespace citytwin::geo
