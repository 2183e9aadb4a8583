// The OSM tag rules one by one (no GDAL, no files).
#include <gtest/gtest.h>

#include "geo/osm/osm_tags.hpp"

using namespace citytwin;
using namespace citytwin::geo::osm;

TEST(OsmTags, DrivableClassesAndServiceByOption) {
  RoadClass c;
  EXPECT_TRUE(drivable_class("motorway_link", false, c));
  EXPECT_EQ(c, RoadClass::Motorway);
  EXPECT_TRUE(drivable_class("living_street", false, c));
  EXPECT_EQ(c, RoadClass::LivingStreet);
  EXPECT_FALSE(drivable_class("service", false, c));
  EXPECT_TRUE(drivable_class("service", true, c));
  for (const char* no : {"footway", "track", "path", "cycleway", "pedestrian", "road", "connector", ""})
    EXPECT_FALSE(drivable_class(no, true, c)) << no;
}

TEST(OsmTags, OneWayExplicitAndImplied) {
  OneWay w;
  EXPECT_TRUE(osm_oneway("yes", "residential", "", w));
  EXPECT_EQ(w, OneWay::Forward);
  EXPECT_TRUE(osm_oneway("-1", "residential", "", w));
  EXPECT_EQ(w, OneWay::Backward);
  EXPECT_TRUE(osm_oneway("no", "motorway", "", w));
  EXPECT_EQ(w, OneWay::No);
  EXPECT_TRUE(osm_oneway("", "motorway", "", w));
  EXPECT_EQ(w, OneWay::Forward);
  EXPECT_TRUE(osm_oneway("", "motorway_link", "", w));
  EXPECT_EQ(w, OneWay::Forward);
  EXPECT_TRUE(osm_oneway("", "primary", "roundabout", w));
  EXPECT_EQ(w, OneWay::Forward);
  EXPECT_TRUE(osm_oneway("", "primary", "", w));
  EXPECT_EQ(w, OneWay::No);
  EXPECT_FALSE(osm_oneway("reversible", "primary", "", w));
  EXPECT_EQ(w, OneWay::No);
}

TEST(OsmTags, MaxspeedUnitsWordsAndCountryDefaults) {
  EXPECT_FLOAT_EQ(*parse_maxspeed("50", RoadClass::Primary), 50);
  EXPECT_FLOAT_EQ(*parse_maxspeed("50 km/h", RoadClass::Primary), 50);
  EXPECT_NEAR(*parse_maxspeed("30 mph", RoadClass::Primary), 48.28, 0.01);
  EXPECT_FLOAT_EQ(*parse_maxspeed("walk", RoadClass::LivingStreet), 6);
  EXPECT_FLOAT_EQ(*parse_maxspeed("50;30", RoadClass::Primary), 50);
  EXPECT_FLOAT_EQ(*parse_maxspeed("MT:urban", RoadClass::Primary), 50);
  EXPECT_FLOAT_EQ(*parse_maxspeed("MT:rural", RoadClass::Primary), 80);
  EXPECT_FLOAT_EQ(*parse_maxspeed("FR:motorway", RoadClass::Motorway), 130);
  EXPECT_FLOAT_EQ(*parse_maxspeed("DE:zone30", RoadClass::Residential), 30);
  EXPECT_FLOAT_EQ(*parse_maxspeed("zone:20", RoadClass::Residential), 20);
  EXPECT_NEAR(*parse_maxspeed("GB:nsl_single", RoadClass::Primary), 96.6, 0.1);
  EXPECT_FLOAT_EQ(*parse_maxspeed("none", RoadClass::Motorway), 130);
  EXPECT_FALSE(parse_maxspeed("fast", RoadClass::Primary));
  EXPECT_FALSE(parse_maxspeed("", RoadClass::Primary));
  EXPECT_FALSE(parse_maxspeed("-5", RoadClass::Primary));
}

TEST(OsmTags, LanesVoltagesCircuitsPopulation) {
  EXPECT_FLOAT_EQ(*parse_lanes("3"), 3);
  EXPECT_FLOAT_EQ(*parse_lanes("2;3"), 2);
  EXPECT_FALSE(parse_lanes("two"));
  EXPECT_FALSE(parse_lanes("0"));
  EXPECT_EQ(parse_voltages_kv("110000;20000"), (std::vector<double>{110, 20}));
  EXPECT_EQ(parse_voltages_kv("20000;110000;110000"), (std::vector<double>{110, 20}));
  EXPECT_EQ(parse_voltages_kv("33 kV"), (std::vector<double>{33}));
  EXPECT_EQ(parse_voltages_kv("400000,225000"), (std::vector<double>{400, 225}));
  EXPECT_TRUE(parse_voltages_kv("medium").empty());
  EXPECT_EQ(parse_counts("2;1"), (std::vector<int>{2, 1}));
  EXPECT_TRUE(parse_counts("x").empty());
  EXPECT_DOUBLE_EQ(*parse_population("16854"), 16854);
  EXPECT_DOUBLE_EQ(*parse_population("12 345"), 12345);
  EXPECT_DOUBLE_EQ(*parse_population("12,345"), 12345);
  EXPECT_FALSE(parse_population("about 300"));
  EXPECT_NEAR(*parse_duration_h("00:25"), 25.0 / 60, 1e-12);
  EXPECT_NEAR(*parse_duration_h("1:45"), 1.75, 1e-12);
  EXPECT_NEAR(*parse_duration_h("00:05:00"), 5.0 / 60, 1e-12);
  EXPECT_FALSE(parse_duration_h("soon"));
  EXPECT_TRUE(ferry_carries_cars("yes", ""));
  EXPECT_FALSE(ferry_carries_cars("no", ""));
  EXPECT_FALSE(ferry_carries_cars("", ""));
}

TEST(OsmTags, BuildingUse) {
  EXPECT_EQ(building_use("house"), BuildingUse::Residential);
  EXPECT_EQ(building_use("yes"), BuildingUse::Residential);
  EXPECT_EQ(building_use("office"), BuildingUse::NonResidential);
  EXPECT_EQ(building_use("school"), BuildingUse::NonResidential);
  EXPECT_EQ(building_use("shed"), BuildingUse::Other);
}
