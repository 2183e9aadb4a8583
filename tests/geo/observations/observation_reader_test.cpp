// The observation readers: the documented columns, field mapping through an
// observation manifest, lon/lat into the twin's CRS, and an error naming the
// file, line and column for each kind of bad row.
#include "geo/observations/observation_reader.hpp"

#include <gtest/gtest.h>

#include "geo/gdal/crs.hpp"
#include "geo/gdal/vector_writer.hpp"
#include "geo/observations/observation_source.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using namespace citytwin::geo;
using citytwin::testing::expect_error;
using citytwin::testing::TempDir;

namespace {

const TempDir& dir() {
  static const TempDir d("observations");
  return d;
}

Twin utm_twin() {
  Twin t;
  t.crs = "EPSG:32633";
  t.grid.substation_name = {"Nord", "Sued", "Ost"};
  t.grid.substation_x = {0, 0, 0};
  t.grid.branch_from = {0, 0};
  return t;
}

LayerSpec csv(const std::string& name, const std::string& text) { return observation_source(dir().write(name, text).string(), ObservationKind::Counts); }

TEST(ObservationReader, CountsFromCsvIntoTheTwinsCrs) {
  const auto counts = read_counts(csv("counts.csv",
                                      "Station,LON,lat,bearing,time,vehicles,class,speed_kmh\n"
                                      "A,15.0,52.0,90,2026-03-02T08:00,420,car,47.5\n"
                                      "A,15.0,52.0,90,2026-03-02 09:00:00,380,,\n"
                                      "B,15.001,52.0,,2026-03-07T08:00Z,12,hgv,\n"),
                                  utm_twin());
  ASSERT_EQ(counts.size(), 3u);
  // On UTM 33N's central meridian (15 deg E) the easting is the false easting;
  // the northing at 52 deg N is 0.9996 x the WGS 84 meridian arc (5,763,343.55 m, by numeric integration).
  EXPECT_NEAR(counts[0].position.x, 500000.0, 1e-3);
  EXPECT_NEAR(counts[0].position.y, 0.9996 * 5763343.55, 1.0);
  EXPECT_NEAR(counts[2].position.x - 500000.0, 68.6, 0.5);  // 0.001 deg of longitude at 52 deg N
  EXPECT_EQ(counts[0].station, "A");
  EXPECT_EQ(counts[0].row, 2);  // line in the file
  EXPECT_DOUBLE_EQ(*counts[0].bearing_deg, 90);
  EXPECT_EQ(counts[0].time, (observations::LocalHour{2026, 3, 2, 8}));
  EXPECT_EQ(counts[1].time.hour, 9);
  EXPECT_DOUBLE_EQ(counts[0].vehicles, 420);
  EXPECT_EQ(counts[0].vehicle_class, "car");
  EXPECT_DOUBLE_EQ(*counts[0].speed_kmh, 47.5);
  EXPECT_FALSE(counts[1].speed_kmh);
  EXPECT_FALSE(counts[2].bearing_deg);
  EXPECT_EQ(counts[2].time.day_type(), observations::DayType::Weekend);
}

TEST(ObservationReader, CountsFromAPointLayerUseItsGeometry) {
  // A GeoPackage in Web Mercator without lon/lat columns: the point geometry,
  // reprojected into the twin's CRS (UTM 33N), is the station's position.
  const auto gpkg = dir() / "stations.gpkg";
  {
    auto mercator = parse_crs("EPSG:3857", "test");
    auto wgs84 = parse_crs("EPSG:4326", "test");
    DatasetWriter ds(gpkg);
    auto& l = ds.add_layer("counts", wkbPoint, mercator.get(), wgs84.get(),
                           {{"station", OFTString}, {"bearing", OFTReal}, {"time", OFTString}, {"vehicles", OFTInteger}});
    l.set(0, std::string("P1"));
    l.set(1, 270.0);
    l.set(2, std::string("2026-03-03T17:00"));
    l.set(3, 250);
    l.point({15.0, 52.0});
    l.write();
    ds.commit();
  }
  const auto counts = read_counts(observation_source(gpkg.string(), ObservationKind::Counts), utm_twin());
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_NEAR(counts[0].position.x, 500000.0, 1e-3);
  EXPECT_NEAR(counts[0].position.y, 0.9996 * 5763343.55, 1.0);
  EXPECT_DOUBLE_EQ(*counts[0].bearing_deg, 270);
  EXPECT_DOUBLE_EQ(counts[0].vehicles, 250);
  EXPECT_EQ(counts[0].row, 1);  // feature id
  // Without geometry or lon/lat there is no position.
  expect_error<InvalidInput>([&] { read_counts(csv("nowhere.csv", "station,time,vehicles\nA,2026-03-02T08:00,1\n"), utm_twin()); },
                             {"missing column 'lon'"});
}

TEST(ObservationReader, EachBadRowNamesFileLineAndColumn) {
  const Twin t = utm_twin();
  expect_error<InvalidInput>([&] { read_counts(csv("no_vehicles.csv", "station,lon,lat,time\nA,15,52,2026-03-02T08:00\n"), t); },
                             {"no_vehicles.csv", "missing column 'vehicles'", "the layer has: station, lon, lat, time"});
  expect_error<InvalidInput>([&] { read_counts(csv("bad_time.csv", "station,lon,lat,time,vehicles\nA,15,52,2026-03-02T08:00,1\nA,15,52,02.03.2026 09:00,1\n"), t); },
                             {"bad_time.csv", "line 3", "field 'time'", "unparseable time", "02.03.2026 09:00"});
  expect_error<InvalidInput>([&] { read_counts(csv("quarter.csv", "station,lon,lat,time,vehicles\nA,15,52,2026-03-02T08:15,1\n"), t); },
                             {"line 2", "not an hour start"});
  expect_error<InvalidInput>([&] { read_counts(csv("negative.csv", "station,lon,lat,time,vehicles\nA,15,52,2026-03-02T08:00,-4\n"), t); },
                             {"negative.csv", "line 2", "field 'vehicles'", "negative count"});
  expect_error<InvalidInput>([&] { read_counts(csv("text.csv", "station,lon,lat,time,vehicles\nA,15,52,2026-03-02T08:00,many\n"), t); },
                             {"line 2", "field 'vehicles'", "expected a number, found 'many'"});
  expect_error<InvalidInput>([&] { read_counts(csv("lat.csv", "station,lon,lat,time,vehicles\nA,15,95,2026-03-02T08:00,1\n"), t); },
                             {"line 2", "field 'lat'", "out of range"});
  expect_error<InvalidInput>([&] { read_counts(csv("moved.csv", "station,lon,lat,time,vehicles\nA,15,52,2026-03-02T08:00,1\nA,15.01,52,2026-03-02T09:00,1\n"), t); },
                             {"line 3", "station 'A' is", "from where its row 2 puts it"});
  expect_error<InvalidInput>([&] { read_counts(csv("turned.csv", "station,lon,lat,bearing,time,vehicles\nA,15,52,90,2026-03-02T08:00,1\nA,15,52,270,2026-03-02T09:00,1\n"), t); },
                             {"line 3", "field 'bearing'", "another bearing"});
  expect_error<InvalidInput>([&] { read_counts(csv("empty_station.csv", "station,lon,lat,time,vehicles\n,15,52,2026-03-02T08:00,1\n"), t); },
                             {"line 2", "field 'station'", "empty"});
  expect_error<IoError>([&] { read_counts(observation_source((dir() / "absent.csv").string(), ObservationKind::Counts), t); }, {"absent.csv"});
}

TEST(ObservationReader, SubstationsByNameOrIdAndUnknownOnesNamed) {
  const Twin t = utm_twin();
  const auto loads = read_substation_loads(observation_source(dir().write("loads.csv", "substation,time,p_mw,q_mvar\nSued,2026-03-02T18:00,41.5,8\n2,2026-03-02T18:00,-3,\n").string(), ObservationKind::Loads), t);
  ASSERT_EQ(loads.size(), 2u);
  EXPECT_EQ(loads[0].element, 1u);
  EXPECT_DOUBLE_EQ(loads[0].p_mw, 41.5);
  EXPECT_DOUBLE_EQ(*loads[0].q_mvar, 8);
  EXPECT_EQ(loads[1].element, 2u);
  EXPECT_DOUBLE_EQ(loads[1].p_mw, -3);  // export is a reading, not an error
  EXPECT_FALSE(loads[1].q_mvar);
  expect_error<InvalidInput>([&] { read_substation_loads(observation_source(dir().write("unknown.csv", "substation,time,p_mw\nNord,2026-03-02T18:00,1\nWest,2026-03-02T18:00,1\n").string(), ObservationKind::Loads), t); },
                             {"unknown.csv", "line 3", "field 'substation'", "unknown substation 'West'", "id 0..2"});
  expect_error<InvalidInput>([&] { read_substation_loads(observation_source(dir().write("id.csv", "substation,time,p_mw\n3,2026-03-02T18:00,1\n").string(), ObservationKind::Loads), t); },
                             {"unknown substation '3'"});
  expect_error<InvalidInput>([&] { read_substation_loads(observation_source(dir().write("nop.csv", "substation,time\nNord,2026-03-02T18:00\n").string(), ObservationKind::Loads), t); },
                             {"nop.csv", "missing column 'p_mw'"});
  const auto flows = read_branch_loads(observation_source(dir().write("branches.csv", "branch,time,p_mw\n1,2026-03-02T18:00,12\n").string(), ObservationKind::BranchLoads), t);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0].element, 1u);
  expect_error<InvalidInput>([&] { read_branch_loads(observation_source(dir().write("badbranch.csv", "branch,time,p_mw\n7,2026-03-02T18:00,12\n").string(), ObservationKind::BranchLoads), t); },
                             {"line 2", "field 'branch'", "unknown branch '7'"});
}

TEST(ObservationReader, ChargingRecords) {
  const auto r = read_charging(observation_source(dir().write("charging.csv", "station,time,energy_kwh,sessions\nC1,2026-03-02T18:00,310.5,7\n").string(), ObservationKind::Charging));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].energy_kwh, 310.5);
  EXPECT_DOUBLE_EQ(r[0].sessions, 7);
  expect_error<InvalidInput>([&] { read_charging(observation_source(dir().write("charging_bad.csv", "station,time,energy_kwh,sessions\nC1,2026-03-02T18:00,3,-1\n").string(), ObservationKind::Charging)); },
                             {"line 2", "field 'sessions'", "negative number of sessions"});
}

TEST(ObservationReader, AManifestMapsOtherColumnNames) {
  const Twin t = utm_twin();
  dir().write("vol.csv", "SITE,X,Y,DIR,HOUR_START,VOL\nK7,15,52,180,2026-03-02T07:00,88\n");
  const auto manifest = dir().write("observations.toml",
                                    "[counts]\nsource = \"vol.csv\"\n"
                                    "fields = { station = \"SITE\", lon = \"X\", lat = \"Y\", bearing = \"DIR\", time = \"HOUR_START\", vehicles = \"VOL\" }\n"
                                    "[loads]\nsource = \"loads.csv\"\n");
  const auto counts = read_counts(observation_source(manifest.string(), ObservationKind::Counts), t);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].station, "K7");
  EXPECT_DOUBLE_EQ(*counts[0].bearing_deg, 180);
  EXPECT_DOUBLE_EQ(counts[0].vehicles, 88);
  EXPECT_NEAR(counts[0].position.x, 500000.0, 1e-3);
  // A mapping to a column the file lacks, an unknown attribute, a missing table.
  const auto typo = dir().write("typo.toml", "[counts]\nsource = \"vol.csv\"\n"
                                "fields = { station = \"SITE\", lon = \"X\", lat = \"Y\", time = \"HOUR_START\", vehicles = \"VOLUME\" }\n");
  expect_error<InvalidInput>([&] { read_counts(observation_source(typo.string(), ObservationKind::Counts), t); }, {"vol.csv", "VOLUME", "does not exist"});
  const auto unknown = dir().write("unknown.toml", "[counts]\nsource = \"vol.csv\"\nfields = { lorries = \"VOL\" }\n");
  expect_error<InvalidInput>([&] { observation_source(unknown.string(), ObservationKind::Counts); }, {"unknown.toml", "lorries"});
  expect_error<InvalidInput>([&] { observation_source(manifest.string(), ObservationKind::Charging); }, {"observations.toml", "no [charging] table"});
}

}  // namespace
