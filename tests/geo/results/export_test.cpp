// The GeoPackage export read back with plain GDAL calls.
#include <gtest/gtest.h>

#include "datasets/write_synthetic_city.hpp"
#include "tests/support/test_files.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/results/twin_export.hpp"
#include "geo/import/twin_import.hpp"

using namespace citytwin;

TEST(Export, GeoPackageHasEveryLayerWithCountsAttributesAndProvenance) {
  citytwin::testing::TempDir dir("export");
  datasets::SyntheticOptions o;
  o.target_links = 3000;
  const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir.path());
  const Twin t = geo::import_twin(geo::load_manifest(written.manifest));
  const auto gpkg = dir / "out" / "city.gpkg";
  geo::export_twin(t, gpkg);

  GDALAllRegister();
  geo::DatasetPtr ds(static_cast<GDALDataset*>(GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
  ASSERT_TRUE(ds);
  const std::vector<std::pair<std::string, std::size_t>> layers = {
      {"roads", t.roads.link_count()},         {"road_nodes", t.roads.node_count()},
      {"grid_buses", t.grid.bus_count()},      {"grid_branches", t.grid.branch_count()},
      {"substations", t.grid.substation_count()}, {"districts", t.districts.size()},
      {"ev_chargers", t.chargers.size()}};
  for (const auto& [name, count] : layers) {
    OGRLayer* l = ds->GetLayerByName(name.c_str());
    ASSERT_NE(l, nullptr) << name;
    EXPECT_EQ(static_cast<std::size_t>(l->GetFeatureCount()), count) << name;
    EXPECT_GE(l->GetLayerDefn()->GetFieldIndex("src_fid"), 0) << name;
    EXPECT_TRUE(l->GetSpatialRef() && l->GetSpatialRef()->GetEPSGGeogCS() == 4326) << name;
  }
  // Link 0 carries its capacity and comes from the transport department's streets layer.
  OGRLayer* roads = ds->GetLayerByName("roads");
  roads->SetAttributeFilter("link_id = 0");
  geo::FeaturePtr f(roads->GetNextFeature());
  ASSERT_TRUE(f);
  EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("capacity_vph"), t.roads.capacity_vph[0]);
  EXPECT_STREQ(f->GetFieldAsString("src_department"), "transport");
  EXPECT_EQ(f->GetFieldAsInteger64("src_fid"), t.roads.link_source.feature[0]);
  EXPECT_NEAR(f->GetGeometryRef()->toLineString()->get_Length(), t.roads.length_m[0], 1e-6);
  // No temporary file is left beside the export.
  for (const auto& e : std::filesystem::directory_iterator(dir / "out")) EXPECT_EQ(e.path().filename(), "city.gpkg");
}
