// Every bad-input case of the foundation issue: a clear error naming file,
// layer, feature id and field, or (lenient) a counted skip.
#include <gtest/gtest.h>

#include <limits>

#include "tests/support/test_files.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/import/twin_import.hpp"
#include "geo/gdal/vector_writer.hpp"

using namespace citytwin;
using namespace citytwin::geo;
using citytwin::testing::expect_error;
using citytwin::testing::TempDir;

namespace {

struct RoadRow {
  std::vector<Point2> line;  // lon/lat
  std::string id, lanes = "2", cls = "residential";
};

// Writes roads.gpkg (EPSG:4326, layer "streets", fields ID, LANES (text), CLASS).
void write_roads(const TempDir& dir, const std::vector<RoadRow>& rows, bool with_crs = true) {
  const auto wgs84 = parse_crs("EPSG:4326", "t");
  DatasetWriter w(dir / "roads.gpkg");
  auto& l = w.add_layer("streets", wkbLineString, with_crs ? wgs84.get() : nullptr, nullptr,
                        {{"ID", OFTString}, {"LANES", OFTString}, {"CLASS", OFTString}});
  for (const auto& r : rows) {
    l.set(0, r.id);
    l.set(1, r.lanes);
    l.set(2, r.cls);
    if (r.line.empty()) l.no_geometry(); else l.line(r.line);
    l.write();
  }
  w.commit();
}

std::filesystem::path manifest(const TempDir& dir, const std::string& extra = "", const std::string& fields = "") {
  return dir.write("m.toml", "[city]\ncrs = \"EPSG:32633\"\n" + extra + "\n[roads]\nsource = \"roads.gpkg\"\nlayer = \"streets\"\n" +
                                 "[roads.fields]\nid = \"ID\"\nlanes = \"LANES\"\nclass = \"CLASS\"\n" + fields);
}

const std::vector<RoadRow> kGood = {{{{13.40, 52.50}, {13.41, 52.50}}, "a"}, {{{13.41, 52.50}, {13.41, 52.51}}, "b"}};

}  // namespace

TEST(BadInput, MissingFileNamesTheSource) {
  TempDir dir("bad_missing");
  const auto m = manifest(dir);
  expect_error<IoError>([&] { import_twin(load_manifest(m)); }, {(dir / "roads.gpkg").string(), "cannot open"});
}

TEST(BadInput, UnknownLayerListsTheLayersThatExist) {
  TempDir dir("bad_layer");
  write_roads(dir, kGood);
  const auto m = dir.write("m.toml", "[roads]\nsource = \"roads.gpkg\"\nlayer = \"strets\"\n");
  expect_error<InvalidInput>([&] { import_twin(load_manifest(m)); }, {"roads.gpkg", "layer 'strets'", "streets"});
}

TEST(BadInput, MissingMappedFieldNamesFieldAndListsFields) {
  TempDir dir("bad_field");
  write_roads(dir, kGood);
  const auto m = manifest(dir, "", "capacity = \"CAP_VPH\"\n");
  expect_error<InvalidInput>([&] { import_twin(load_manifest(m)); }, {"roads.gpkg", "layer 'streets'", "field 'CAP_VPH'", "LANES"});
}

TEST(BadInput, MistypedValueNamesFeatureAndField) {
  TempDir dir("bad_type");
  auto rows = kGood;
  rows[1].lanes = "two";
  write_roads(dir, rows);
  expect_error<InvalidInput>([&] { import_twin(load_manifest(manifest(dir))); },
                             {"layer 'streets'", "feature 2", "field 'LANES'", "'two'"});
}

TEST(BadInput, EmptyGeometryNamesFeature) {
  TempDir dir("bad_empty");
  auto rows = kGood;
  rows.push_back({{}, "c"});
  write_roads(dir, rows);
  expect_error<InvalidInput>([&] { import_twin(load_manifest(manifest(dir))); }, {"feature 3", "empty"});
}

TEST(BadInput, NanCoordinateNamesFeature) {
  TempDir dir("bad_nan");
  auto rows = kGood;
  rows.push_back({{{13.42, 52.5}, {std::numeric_limits<double>::quiet_NaN(), 52.5}}, "c"});
  write_roads(dir, rows);
  expect_error<InvalidInput>([&] { import_twin(load_manifest(manifest(dir))); }, {"feature 3", "NaN"});
}

TEST(BadInput, DuplicateIdNamesFeatureFieldAndValue) {
  TempDir dir("bad_dup");
  auto rows = kGood;
  rows[1].id = "a";
  write_roads(dir, rows);
  expect_error<InvalidInput>([&] { import_twin(load_manifest(manifest(dir))); }, {"feature 2", "field 'ID'", "duplicate id 'a'"});
}

TEST(BadInput, UnknownRoadClassNamesFeatureAndField) {
  TempDir dir("bad_class");
  auto rows = kGood;
  rows[0].cls = "highway to hell";
  write_roads(dir, rows);
  expect_error<InvalidInput>([&] { import_twin(load_manifest(manifest(dir))); }, {"feature 1", "field 'CLASS'", "highway to hell"});
}

TEST(BadInput, LayerWithoutCrsIsAnErrorUnlessTheManifestStatesOne) {
  TempDir dir("bad_nocrs");
  dir.write("roads.csv", "WKT,ID\n\"LINESTRING (13.40 52.50, 13.41 52.50)\",a\n\"LINESTRING (13.41 52.50, 13.41 52.51)\",b\n");
  const auto m = dir.write("m.toml", "[roads]\nsource = \"roads.csv\"\n");
  expect_error<InvalidInput>([&] { import_twin(load_manifest(m)); }, {"roads.csv", "no CRS", "crs = "});
  const auto ok = dir.write("ok.toml", "[roads]\nsource = \"roads.csv\"\ncrs = \"EPSG:4326\"\n");
  const Twin t = import_twin(load_manifest(ok));
  EXPECT_EQ(t.crs, "EPSG:32633");
  EXPECT_EQ(t.roads.link_count(), 2u);  // the two ways meet end to end: one two-way link pair
}

TEST(BadInput, InvalidDistrictPolygonNamesFeature) {
  TempDir dir("bad_polygon");
  write_roads(dir, kGood);
  const auto wgs84 = parse_crs("EPSG:4326", "t");
  {
    DatasetWriter w(dir / "districts.gpkg");
    auto& l = w.add_layer("districts", wkbPolygon, wgs84.get(), nullptr, {{"NAME", OFTString}});
    l.set(0, std::string("ok"));
    l.polygon({{{13.39, 52.49}, {13.42, 52.49}, {13.42, 52.52}, {13.39, 52.52}}});
    l.write();
    l.set(0, std::string("bow tie"));  // self-intersecting
    l.polygon({{{13.39, 52.49}, {13.42, 52.52}, {13.42, 52.49}, {13.39, 52.52}}});
    l.write();
    w.commit();
  }
  const auto m = manifest(dir, "", "[districts]\nsource = \"districts.gpkg\"\n[districts.fields]\nname = \"NAME\"\n");
  expect_error<InvalidInput>([&] { import_twin(load_manifest(m)); }, {"districts.gpkg", "feature 2", "invalid geometry"});
}

TEST(BadInput, LenientImportSkipsAndCountsEveryBadFeature) {
  TempDir dir("bad_lenient");
  auto rows = kGood;
  rows.push_back({{}, "c"});
  rows.push_back({{{13.42, 52.5}, {13.43, 52.5}}, "d", "many"});
  rows.push_back({{{13.42, 52.5}, {13.43, 52.5}}, "a"});
  write_roads(dir, rows);
  const Twin t = import_twin(load_manifest(manifest(dir, "lenient = true")));
  EXPECT_EQ(t.roads.link_count(), 2u);  // the two good roads, merged at their shared end
  std::int64_t skipped = 0;
  for (const auto& e : t.report.entries)
    if (e.what == "skipped" && e.layer == "roads") skipped += e.count;
  EXPECT_EQ(skipped, 3);
}
