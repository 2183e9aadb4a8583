#include "geo/import/manifest.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_files.hpp"

using namespace citytwin;
using namespace citytwin::geo;
using citytwin::testing::expect_error;
using citytwin::testing::TempDir;

TEST(Manifest, ParsesLayersFieldsUnitsAndDefaults) {
  TempDir dir("manifest_ok");
  const auto path = dir.write("m.toml", R"(
[city]
name = "Test"
crs = "EPSG:32633"
service_rule = "nearest"
assume_island_infeeds = false
[roads]
source = "roads.gpkg"
layer = "streets"
where = "STATUS = 'open'"
[roads.fields]
capacity = "CAP_VPH"
speed = "SPD"
[roads.units]
speed = "mph"
[roads.defaults.residential]
lanes = 1
speed = 25
capacity_per_lane = 450
[districts]
source = "PG:dbname=city"
source_kind = "database"
layer = "zones"
)");
  const Manifest m = load_manifest(path);
  EXPECT_EQ(m.name, "Test");
  EXPECT_EQ(m.service_rule, ServiceRule::Nearest);
  EXPECT_FALSE(m.assume_island_infeeds);
  EXPECT_TRUE(Manifest{}.assume_island_infeeds);  // the default
  ASSERT_TRUE(m.roads);
  EXPECT_EQ(m.roads->source, (dir / "roads.gpkg").string());  // relative to the manifest
  EXPECT_EQ(m.roads->where, "STATUS = 'open'");
  EXPECT_EQ(*m.roads->field("capacity"), "CAP_VPH");
  EXPECT_EQ(m.roads->unit("speed", "km/h"), "mph");
  EXPECT_EQ(m.road_defaults[static_cast<int>(RoadClass::Residential)].capacity_per_lane, 450);
  EXPECT_EQ(m.road_defaults[static_cast<int>(RoadClass::Primary)].capacity_per_lane,
            builtin_road_defaults()[static_cast<int>(RoadClass::Primary)].capacity_per_lane);
  ASSERT_TRUE(m.districts);
  EXPECT_EQ(m.districts->source, "PG:dbname=city");  // connection strings kept as they are
  EXPECT_EQ(m.districts->department, "planning");
}

TEST(Manifest, UnknownKeyNamesFileLineAndKey) {
  TempDir dir("manifest_unknown");
  const auto path = dir.write("m.toml", "[roads]\nsource = \"r.gpkg\"\ncapacityy = 3\n");
  expect_error<InvalidInput>([&] { load_manifest(path); }, {path.string(), "line 3", "capacityy", "allowed"});
}

TEST(Manifest, UnknownMappedAttributeIsRejected) {
  TempDir dir("manifest_attr");
  const auto path = dir.write("m.toml", "[roads]\nsource = \"r.gpkg\"\n[roads.fields]\nwidth = \"W\"\n");
  expect_error<InvalidInput>([&] { load_manifest(path); }, {"line 4", "width"});
}

TEST(Manifest, BadUnitAndBadTypeAreRejected) {
  TempDir dir("manifest_unit");
  const auto a = dir.write("a.toml", "[roads]\nsource = \"r.gpkg\"\n[roads.units]\nspeed = \"knots\"\n");
  expect_error<InvalidInput>([&] { load_manifest(a); }, {"knots", "km/h"});
  const auto b = dir.write("b.toml", "[city]\nsnap_tolerance_m = \"half a metre\"\n[roads]\nsource = \"r.gpkg\"\n");
  expect_error<InvalidInput>([&] { load_manifest(b); }, {"line 2", "snap_tolerance_m", "number"});
}

TEST(Manifest, SyntaxErrorAndMissingRoadsAndMissingFile) {
  TempDir dir("manifest_syntax");
  const auto a = dir.write("a.toml", "[roads\nsource = 1\n");
  expect_error<InvalidInput>([&] { load_manifest(a); }, {a.string(), "line 1", "TOML syntax error"});
  const auto b = dir.write("b.toml", "[city]\nname = \"x\"\n");
  expect_error<InvalidInput>([&] { load_manifest(b); }, {"[roads]"});
  expect_error<IoError>([&] { load_manifest(dir / "none.toml"); }, {"none.toml", "not found"});
}

TEST(Manifest, DocumentedExamplesParse) {
  for (const char* name : {"synthetic.toml", "shapefile-and-postgis.toml"}) {
    const Manifest m = load_manifest(std::filesystem::path(CITYTWIN_SOURCE_DIR) / "datasets/manifests" / name);
    EXPECT_TRUE(m.roads) << name;
    EXPECT_TRUE(m.districts) << name;
  }
}
