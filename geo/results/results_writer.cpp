#include "geo/results/results_writer.hpp"

#include "core/coupling/hour_totals_fields.hpp"
#include "core/coupling/result_layers.hpp"
#include "core/model/twin_layers.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/schema_io.hpp"

namespace citytwin::geo {

namespace {

bool wanted(schema::Half half, ResultLayers layers) {
  return half == schema::Half::Both || (half == schema::Half::Traffic ? layers.traffic : layers.grid);
}

// Registers `<layer>_hourly` as a feature layer: a view joining the hourly
// table to the geometry layer on the element id. The geometry is stored once
// per element instead of once per element and hour.
void hourly_view(DatasetWriter& ds, const coupling::HourlyTable& t, const std::vector<FieldDef>& fields) {
  const std::string name = t.view(), geometry = t.layer, type = gpkg_geometry_name(t.geometry);
  std::string cols;
  for (const auto& f : fields) cols += ", d.\"" + f.name + "\"";
  ds.execute("CREATE INDEX \"idx_" + geometry + "_" + t.id + "\" ON \"" + geometry + "\" (\"" + t.id + "\")");
  ds.execute("CREATE VIEW \"" + name + "\" AS SELECT d.fid AS fid, g.geom AS geom" + cols + " FROM \"" + t.table() + "\" d JOIN \"" +
             geometry + "\" g ON g.\"" + t.id + "\" = d.\"" + t.id + "\"");
  ds.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) SELECT '" + name + "', 'features', '" + name +
             "', srs_id FROM gpkg_contents WHERE table_name = '" + geometry + "'");
  ds.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) SELECT '" + name +
             "', 'geom', '" + type + "', srs_id, 0, 0 FROM gpkg_contents WHERE table_name = '" + geometry + "'");
}

std::vector<FieldDef> hourly_fields(const coupling::HourlyTable& t) {
  std::vector<FieldDef> fields = {{t.id, OFTInteger64}, {"hour", OFTInteger}};
  for (const auto& c : t.columns) fields.push_back({c.name, ogr_field_type(c.kind)});
  return fields;
}

// One row per element and hour.
void write_hourly(DatasetWriter& ds, const coupling::HourlyTable& t, const Twin& twin, const coupling::SimulationResult& res) {
  auto& w = ds.add_layer(t.table(), wkbNone, nullptr, nullptr, hourly_fields(t));
  const std::size_t n = t.count(twin);
  for (const auto& h : res.hours)
    for (std::size_t i = 0; i < n; ++i) {
      w.set(0, static_cast<std::int64_t>(i));
      w.set(1, h.totals.hour);
      for (std::size_t k = 0; k < t.columns.size(); ++k) {
        const auto& c = t.columns[k];
        const double v = c.value(twin, h, i);
        if (c.kind == schema::ColumnKind::Int) w.set(static_cast<int>(k + 2), static_cast<int>(v));
        else w.set(static_cast<int>(k + 2), v);
      }
      w.no_geometry();
      w.write();
    }
}

}  // namespace

void write_results(const Twin& twin, const coupling::SimulationResult& res, const std::filesystem::path& gpkg, ResultLayers layers) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "twin CRS");
  DatasetWriter ds(gpkg);
  ds.set_metadata(kTwinNameMetadata, twin.name);

  // Citywide totals per hour: the scenario, then the totals the file holds.
  {
    std::vector<FieldDef> fields = {{"scenario", OFTString}};
    std::vector<const coupling::TotalField*> totals;
    for (const auto& f : coupling::hour_total_fields())
      if (f.in(coupling::kGpkg)) {
        fields.push_back({std::string(f.name), std::holds_alternative<double coupling::HourTotals::*>(f.member) ? OFTReal : OFTInteger});
        totals.push_back(&f);
      }
    auto& w = ds.add_layer("hours", wkbNone, nullptr, nullptr, fields);
    for (const auto& h : res.hours) {
      w.set(0, res.scenario);
      for (std::size_t k = 0; k < totals.size(); ++k)
        std::visit([&](auto m) { w.set(static_cast<int>(k + 1), h.totals.*m); }, totals[k]->member);
      w.no_geometry();
      w.write();
    }
  }

  // The sources, then each element's geometry once with the attributes a viewer of the file alone shows.
  for (const auto& layer : schema::results_twin_layers())
    if (wanted(layer.half, layers)) write_layer(ds, layer, twin, srs.get());
  // Hourly values; `<layer>_hourly` views add the geometry.
  for (const auto& t : coupling::hourly_tables())
    if (wanted(t.half, layers)) write_hourly(ds, t, twin, res);
  for (const auto& t : coupling::hourly_tables())
    if (wanted(t.half, layers)) hourly_view(ds, t, hourly_fields(t));
  ds.commit();
}

}  // namespace citytwin::geo
