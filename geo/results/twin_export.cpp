#include "geo/results/twin_export.hpp"

#include "core/model/twin_layers.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/schema_io.hpp"

namespace citytwin::geo {

ExportCounts export_twin(const Twin& twin, const std::filesystem::path& gpkg) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "twin CRS");
  DatasetWriter ds(gpkg);
  ExportCounts n;
  // The layers' counts, by name (schema::export_layers lists the layers and their columns).
  const std::pair<const char*, std::size_t ExportCounts::*> counts[] = {
      {"roads", &ExportCounts::roads},        {"road_nodes", &ExportCounts::road_nodes},   {"grid_buses", &ExportCounts::buses},
      {"grid_branches", &ExportCounts::branches}, {"substations", &ExportCounts::substations}, {"districts", &ExportCounts::districts},
      {"ev_chargers", &ExportCounts::chargers}};
  for (const auto& layer : schema::export_layers(twin)) {
    const std::size_t written = write_layer(ds, layer, twin, srs.get());
    for (const auto& [name, count] : counts)
      if (layer.name == name) n.*count = written;
  }
  ds.commit();
  return n;
}

}  // namespace citytwin::geo
