// Every column of every layer schema: written with the value its getter
// gives, of the kind the schema says, and read back equal (twin -> results
// GeoPackage -> read_results_twin / read_results); the export likewise.
// And the per-hour total peak_substation_loading, added as one field-list line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/coupling/hour_totals_fields.hpp"
#include "core/coupling/result_layers.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/twin_layers.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/results/results_reader.hpp"
#include "geo/results/results_writer.hpp"
#include "geo/gdal/schema_io.hpp"
#include "geo/results/twin_export.hpp"
#include "geo/import/twin_import.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using schema::Cell;
using schema::ColumnKind;

namespace {

// Equal cells; NaN equals NaN (a NaN real is stored as NULL, read back as NaN).
bool same(const Cell& a, const Cell& b) {
  const auto* x = std::get_if<double>(&a);
  const auto* y = std::get_if<double>(&b);
  if (x && y) return *x == *y || (std::isnan(*x) && std::isnan(*y));
  if (x && std::isnan(*x)) return std::holds_alternative<std::monostate>(b);
  if (y && std::isnan(*y)) return std::holds_alternative<std::monostate>(a);
  return a == b;
}

std::string show(const Cell& c) {
  if (const auto* d = std::get_if<double>(&c)) return std::to_string(*d);
  if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&c)) return "'" + *s + "'";
  return "NULL";
}

Cell file_cell(OGRFeature& f, int k, ColumnKind kind) {
  if (!f.IsFieldSetAndNotNull(k)) return {};
  switch (kind) {
    case ColumnKind::Real: return f.GetFieldAsDouble(k);
    case ColumnKind::Int:
    case ColumnKind::Int64: return static_cast<std::int64_t>(f.GetFieldAsInteger64(k));
    case ColumnKind::Text: return std::string(f.GetFieldAsString(k));
  }
  return {};
}

geo::DatasetPtr open(const std::filesystem::path& p) {
  geo::ensure_gdal_initialised();
  return geo::DatasetPtr(static_cast<GDALDataset*>(GDALOpenEx(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
}

// The file's layer has the schema's fields (id first), of the schema's kinds,
// and every row holds what the getter gives for its element.
void expect_layer_as_written(GDALDataset& ds, const schema::Layer& layer, const Twin& twin) {
  SCOPED_TRACE(layer.name);
  OGRLayer* l = ds.GetLayerByName(layer.name.c_str());
  ASSERT_NE(l, nullptr);
  OGRFeatureDefn* defn = l->GetLayerDefn();
  ASSERT_EQ(defn->GetFieldCount(), static_cast<int>(layer.columns.size() + 1));
  EXPECT_EQ(defn->GetFieldDefn(0)->GetNameRef(), layer.id);
  for (std::size_t k = 0; k < layer.columns.size(); ++k) {
    EXPECT_EQ(defn->GetFieldDefn(static_cast<int>(k + 1))->GetNameRef(), layer.columns[k].name);
    EXPECT_EQ(defn->GetFieldDefn(static_cast<int>(k + 1))->GetType(), geo::ogr_field_type(layer.columns[k].kind)) << layer.columns[k].name;
  }
  EXPECT_EQ(l->GetGeomType(), geo::ogr_geometry_type(layer.geometry));
  const std::size_t n = layer.count(twin);
  ASSERT_EQ(l->GetFeatureCount(), static_cast<GIntBig>(n));
  std::size_t rows = 0;
  for (geo::FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature()), ++rows) {
    const auto i = static_cast<std::size_t>(f->GetFieldAsInteger64(0));
    ASSERT_LT(i, n);
    for (std::size_t k = 0; k < layer.columns.size(); ++k) {
      const auto& c = layer.columns[k];
      const Cell want = c.get(twin, i), got = file_cell(*f, static_cast<int>(k + 1), c.kind);
      ASSERT_TRUE(same(want, got)) << c.name << " of element " << i << ": " << show(want) << " written as " << show(got);
    }
  }
  EXPECT_EQ(rows, n);
}

// A small synthetic city (with inferred and sourced elements, NULL and set
// references) and a run of it with an outage, written as a results file once.
struct Fixture {
  citytwin::testing::TempDir dir{"layer_schema"};
  Twin twin;
  coupling::SimulationResult run;
  std::filesystem::path gpkg;
  Fixture() {
    datasets::SyntheticOptions o;
    o.target_links = 1500;
    const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir.path());
    twin = geo::import_twin(geo::load_manifest(written.manifest));
    coupling::Scenario s;
    s.name = "outage";
    s.coupling.ev_share = 0.3;
    s.coupling.battery_backup_hours = 0;
    s.outages.push_back({coupling::AssetKind::Substation, 1, 17, 2});
    coupling::SimulationOptions so;
    so.hours = {8, 17};
    run = coupling::simulate(twin, s, so);
    gpkg = dir / "run.gpkg";
    geo::write_results(twin, run, gpkg);
  }
};
const Fixture& fixture() {
  static const Fixture f;
  return f;
}

}  // namespace

TEST(LayerSchema, EveryResultsColumnIsWrittenAsItsGetterGivesAndReadBackEqual) {
  const Fixture& fx = fixture();
  const Twin& t = fx.twin;
  const auto ds = open(fx.gpkg);
  ASSERT_TRUE(ds);
  const geo::ResultsTwin rt = geo::read_results_twin(fx.gpkg);
  const Twin& b = rt.twin;
  for (const auto& layer : schema::results_twin_layers()) {
    expect_layer_as_written(*ds, layer, t);
    SCOPED_TRACE(layer.name);
    const std::size_t n = layer.count(t);
    ASSERT_GT(n, 0u);
    ASSERT_EQ(layer.count(b), n);
    for (const auto& c : layer.columns)
      for (std::size_t i = 0; i < n; ++i) {
        const Cell want = c.get(t, i), got = c.get(b, i);
        ASSERT_TRUE(same(want, got)) << c.name << " of element " << i << ": " << show(want) << " read back as " << show(got);
      }
    if (layer.geometry == schema::GeometryKind::None) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const schema::ShapeRef x = layer.shape(t, i), y = layer.shape(b, i);
      ASSERT_EQ(x.point.x, y.point.x) << i;
      ASSERT_EQ(x.point.y, y.point.y) << i;
      if (x.lines) {
        ASSERT_EQ(x.lines->points(x.index), y.lines->points(y.index)) << i;
        for (std::size_t k = 0; k < x.lines->points(x.index); ++k) {
          ASSERT_EQ(x.lines->point(x.index, k).x, y.lines->point(y.index, k).x) << i;
          ASSERT_EQ(x.lines->point(x.index, k).y, y.lines->point(y.index, k).y) << i;
        }
      }
      if (x.polygons) {
        ASSERT_EQ(x.polygons->area(x.index), y.polygons->area(y.index)) << i;
        ASSERT_EQ(x.polygons->centroid(x.index).x, y.polygons->centroid(y.index).x) << i;
      }
    }
  }
  // The provenance columns hold both kinds of element, and references both NULL and set.
  const auto& roads = t.roads.link_source;
  EXPECT_TRUE(std::any_of(roads.source.begin(), roads.source.end(), [](auto s) { return s == ProvenanceColumn::kInferred; }));
  EXPECT_TRUE(std::any_of(roads.source.begin(), roads.source.end(), [](auto s) { return s != ProvenanceColumn::kInferred; }));
  EXPECT_TRUE(std::count(t.grid.bus_substation.begin(), t.grid.bus_substation.end(), -1) < static_cast<long>(t.grid.bus_count()));
}

TEST(LayerSchema, EveryHourlyColumnIsWrittenAndReadBackEqual) {
  const Fixture& fx = fixture();
  const geo::ResultsTwin rt = geo::read_results_twin(fx.gpkg);
  const auto back = geo::read_results(fx.gpkg, rt.twin);
  const auto ds = open(fx.gpkg);
  ASSERT_EQ(back.hours.size(), fx.run.hours.size());
  for (const auto& table : coupling::hourly_tables()) {
    SCOPED_TRACE(table.table());
    const std::size_t n = table.count(fx.twin);
    ASSERT_GT(n, 0u);
    // written: id, hour, then the columns; one row per element and hour
    OGRLayer* l = ds->GetLayerByName(table.table().c_str());
    ASSERT_NE(l, nullptr);
    ASSERT_EQ(l->GetLayerDefn()->GetFieldCount(), static_cast<int>(table.columns.size() + 2));
    ASSERT_EQ(l->GetFeatureCount(), static_cast<GIntBig>(n * fx.run.hours.size()));
    for (geo::FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
      const auto i = static_cast<std::size_t>(f->GetFieldAsInteger64(0));
      const int hour = f->GetFieldAsInteger(1);
      const auto h = std::find_if(fx.run.hours.begin(), fx.run.hours.end(), [&](const auto& r) { return r.totals.hour == hour; });
      ASSERT_NE(h, fx.run.hours.end());
      for (std::size_t k = 0; k < table.columns.size(); ++k) {
        const auto& c = table.columns[k];
        EXPECT_EQ(l->GetLayerDefn()->GetFieldDefn(static_cast<int>(k + 2))->GetType(), geo::ogr_field_type(c.kind));
        ASSERT_EQ(f->GetFieldAsDouble(static_cast<int>(k + 2)), c.value(fx.twin, *h, i)) << c.name << " of " << i << " at " << hour;
      }
    }
    // read back: every column, derived ones recomputed from what was read
    for (std::size_t hi = 0; hi < back.hours.size(); ++hi)
      for (const auto& c : table.columns)
        for (std::size_t i = 0; i < n; ++i)
          ASSERT_EQ(c.value(rt.twin, back.hours[hi], i), c.value(fx.twin, fx.run.hours[hi], i)) << c.name << " of " << i;
  }
  // the flags are not all one value (the outage shows in them)
  EXPECT_EQ(back.hours[1].substation_failed[1], 1);
  EXPECT_EQ(back.hours[0].substation_failed[1], 0);
}

TEST(LayerSchema, EveryExportColumnIsWrittenAsItsGetterGives) {
  const Fixture& fx = fixture();
  const auto gpkg = fx.dir / "export.gpkg";
  const auto counts = geo::export_twin(fx.twin, gpkg);
  EXPECT_EQ(counts.roads, fx.twin.roads.link_count());
  EXPECT_EQ(counts.chargers, fx.twin.chargers.size());
  const auto ds = open(gpkg);
  ASSERT_TRUE(ds);
  const auto layers = schema::export_layers(fx.twin);
  EXPECT_EQ(ds->GetLayerCount(), static_cast<int>(layers.size()));
  for (const auto& layer : layers) expect_layer_as_written(*ds, layer, fx.twin);
}

TEST(HourTotals, PeakSubstationLoadingIsTheHoursLargestUtilisationAndIsReadBack) {
  const Fixture& fx = fixture();
  const auto back = geo::read_results(fx.gpkg, fx.twin);
  ASSERT_EQ(back.hours.size(), 2u);
  for (std::size_t h = 0; h < 2; ++h) {
    const auto& u = fx.run.hours[h].substation_utilisation;
    const double peak = *std::max_element(u.begin(), u.end());
    EXPECT_GT(peak, 0);
    EXPECT_EQ(fx.run.hours[h].totals.peak_substation_loading, peak);
    EXPECT_EQ(back.hours[h].totals.peak_substation_loading, peak);  // the GeoPackage's hours table
  }
  // and every total the file holds comes back equal
  for (const auto& f : coupling::hour_total_fields()) {
    if (!f.in(coupling::kGpkg)) continue;
    for (std::size_t h = 0; h < 2; ++h) EXPECT_EQ(f.value(back.hours[h].totals), f.value(fx.run.hours[h].totals)) << f.name;
  }
}
