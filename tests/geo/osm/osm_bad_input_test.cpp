// Small hand-written OSM files: broken and incomplete inputs (each gives a
// clear message, or degrades with the report saying what was inferred) and a
// hand-drawn grid for the power rules. The files are written here.
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/common/errors.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "geo/osm/osm_import.hpp"
#include "geo/osm/osm_reader.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;

namespace {

using citytwin::testing::expect_error;

// Per process (ctest -j runs the cases in parallel processes).
class Dir : public citytwin::testing::TempDir {
 public:
  explicit Dir(const std::string& name) : TempDir("osm_" + name) {}
};

// A 4 x 4 block grid of two-way residential streets near Valletta (about
// 100 m blocks), with one traffic signal; `extra_nodes` (ids above 2000) and
// `extra_ways` (ids above 100) are added in the order OSM files need.
std::string tiny_city(const std::string& extra_nodes = "", const std::string& extra_ways = "",
                      const std::string& highway = "residential") {
  std::string s = "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='citytwin test'>\n";
  auto id = [](int i, int j) { return 1000 + i * 10 + j; };
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      s += "  <node id='" + std::to_string(id(i, j)) + "' version='1' lat='" + std::to_string(35.89 + 0.0009 * i) + "' lon='" +
           std::to_string(14.50 + 0.0011 * j) + "'" + (i == 1 && j == 1 ? "><tag k='highway' v='traffic_signals'/></node>\n" : "/>\n");
  s += extra_nodes;
  int way = 1;
  for (int i = 0; i < 4; ++i) {  // east-west streets
    s += "  <way id='" + std::to_string(way++) + "' version='1'>";
    for (int j = 0; j < 4; ++j) s += "<nd ref='" + std::to_string(id(i, j)) + "'/>";
    s += "<tag k='highway' v='" + highway + "'/></way>\n";
  }
  for (int j = 0; j < 4; ++j) {  // north-south streets
    s += "  <way id='" + std::to_string(way++) + "' version='1'>";
    for (int i = 0; i < 4; ++i) s += "<nd ref='" + std::to_string(id(i, j)) + "'/>";
    s += "<tag k='highway' v='" + highway + "'/></way>\n";
  }
  return s + extra_ways + "</osm>\n";
}

std::int64_t report_count(const Twin& t, const std::string& layer, const std::string& part) {
  std::int64_t n = 0;
  for (const auto& e : t.report.entries)
    if (e.layer == layer && e.reason.find(part) != std::string::npos) n += e.count;
  return n;
}

}  // namespace

TEST(OsmBadInput, MissingFileNamesIt) {
  expect_error<IoError>([] { geo::osm::import_osm("/nonexistent/city.osm.pbf"); }, {"not found", "/nonexistent/city.osm.pbf"});
}

TEST(OsmBadInput, FileThatIsNotOsm) {
  Dir d("notosm");
  const auto f = d.write("city.osm.pbf", "this is a spreadsheet, not OpenStreetMap\n1,2,3\n");
  expect_error<IoError>([&] { geo::osm::import_osm(f); }, {"not an OpenStreetMap file", "city.osm.pbf"});
  const auto g = d.write("city.osm", "{\"type\": \"FeatureCollection\", \"features\": []}");
  expect_error<IoError>([&] { geo::osm::import_osm(g); }, {"not an OpenStreetMap file"});
}

TEST(OsmBadInput, TruncatedPbf) {
  const std::string malta = std::string(CITYTWIN_REFERENCE_DATA) + "/osm/malta-2018-08-27.osm.pbf";
  if (!std::filesystem::exists(malta)) GTEST_SKIP() << "shared data missing: " << malta;
  Dir d("truncated");
  std::ifstream in(malta, std::ios::binary);
  std::string head(1'500'000, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const auto f = d.write("malta-cut.osm.pbf", head);
  expect_error<IoError>([&] { geo::osm::import_osm(f); }, {"truncated or corrupt", "malta-cut.osm.pbf"});
}

TEST(OsmBadInput, UnsortedNodesSayHowToFixThem) {
  Dir d("unsorted");
  const auto f = d.write("unsorted.osm",
                         "<?xml version='1.0'?><osm version='0.6'><node id='5' lat='35.9' lon='14.5'/>"
                         "<node id='2' lat='35.91' lon='14.5'/><way id='1'><nd ref='5'/><nd ref='2'/>"
                         "<tag k='highway' v='residential'/></way></osm>\n");
  expect_error<IoError>([&] { geo::osm::import_osm(f); }, {"not sorted by id", "osmium sort", "unsorted.osm"});
}

TEST(OsmBadInput, NoRoads) {
  Dir d("noroads");
  const auto f = d.write("paths.osm", tiny_city("", "", "footway"));
  expect_error<InvalidInput>([&] { geo::osm::import_osm(f); }, {"no drivable roads", "paths.osm", "highway"});
  // Service roads alone count only with the option.
  const auto svc = d.write("service.osm", tiny_city("", "", "service"));
  expect_error<InvalidInput>([&] { geo::osm::import_osm(svc); }, {"no drivable roads", "--include-service"});
  geo::osm::OsmImportOptions o;
  o.include_service = true;
  EXPECT_EQ(geo::osm::import_osm(svc, o).roads.road_class[0], RoadClass::Service);
}

TEST(OsmBadInput, NoPowerNoBoundariesDegradeWithEverythingInferredAndReported) {
  Dir d("bare");
  const auto f = d.write("bare.osm", tiny_city());
  geo::osm::OsmImportOptions o;
  o.population_total = 1000;
  geo::osm::OsmImportSummary s;
  const Twin t = geo::osm::import_osm(f, o, &s);
  EXPECT_EQ(t.roads.signals().size(), 1u);
  // One inferred district over the roads, with the whole population.
  ASSERT_EQ(t.districts.size(), 1u);
  EXPECT_TRUE(t.districts.source.inferred(0));
  EXPECT_NEAR(t.districts.population[0], 1000, 1e-9);
  EXPECT_EQ(report_count(t, "districts", "no boundary=administrative polygons"), 1);
  // A grid entirely inferred: a bulk supply point serving the district, reported.
  EXPECT_EQ(report_count(t, "grid", "grid is entirely inferred"), 1);
  ASSERT_GE(t.grid.substation_count(), 1u);
  for (std::size_t k = 0; k < t.grid.substation_count(); ++k) EXPECT_TRUE(t.grid.substation_source.inferred(k));
  for (std::size_t b = 0; b < t.grid.bus_count(); ++b) EXPECT_TRUE(t.grid.bus_source.inferred(b));
  EXPECT_GE(s.inferred_substations, 1u);
  ASSERT_EQ(t.links.district_sub_offsets.size(), 2u);
  EXPECT_LT(t.links.district_sub_offsets[0], t.links.district_sub_offsets[1]) << "the district is served";
  EXPECT_EQ(t.links.signal_bus.size(), 1u);
}

TEST(OsmBadInput, RequestedAdminLevelAbsentListsTheLevelsPresent) {
  Dir d("levels");
  // One admin_level 8 boundary around the grid, as a closed way.
  const std::string corners =
      "  <node id='2001' version='1' lat='35.889' lon='14.499'/><node id='2002' version='1' lat='35.889' lon='14.5045'/>"
      "<node id='2003' version='1' lat='35.8930' lon='14.5045'/><node id='2004' version='1' lat='35.8930' lon='14.499'/>\n";
  const std::string boundary =
      "  <way id='100' version='1'><nd ref='2001'/><nd ref='2002'/><nd ref='2003'/><nd ref='2004'/><nd ref='2001'/>"
      "<tag k='boundary' v='administrative'/><tag k='admin_level' v='8'/><tag k='name' v='Test Council'/>"
      "<tag k='population' v='1 234'/></way>\n";
  const auto f = d.write("council.osm", tiny_city(corners, boundary));
  geo::osm::OsmImportOptions o;
  o.admin_level = 6;
  expect_error<InvalidInput>([&] { geo::osm::import_osm(f, o); }, {"admin_level 6", "levels present", "8: 1", "council.osm"});
  o.admin_level = 8;
  const Twin t = geo::osm::import_osm(f, o);
  ASSERT_EQ(t.districts.size(), 1u);
  EXPECT_EQ(t.districts.name[0], "Test Council");
  EXPECT_DOUBLE_EQ(t.districts.population[0], 1234);
  EXPECT_FALSE(t.districts.source.inferred(0));
}

// A tiny hand-drawn grid: substation A (area, 110/20 kV) and substation B
// (a node, no voltage) joined by a double-voltage line whose ends stop short of
// both; an untagged cable from B that leaves the map; a council whose load
// centre is far (for --service-distance 100 m) from every substation.
TEST(OsmGrid, MultiVoltageLineSnappingInferenceAndDistributionCompletion) {
  Dir d("grid");
  const std::string nodes =
      "  <node id='2001' version='1' lat='35.8895' lon='14.4995'/><node id='2002' version='1' lat='35.8895' lon='14.5040'/>"
      "<node id='2003' version='1' lat='35.8932' lon='14.5040'/><node id='2004' version='1' lat='35.8932' lon='14.4995'/>\n"
      "  <node id='3001' version='1' lat='35.8950' lon='14.5000'/><node id='3002' version='1' lat='35.8950' lon='14.5006'/>"
      "<node id='3003' version='1' lat='35.8955' lon='14.5006'/><node id='3004' version='1' lat='35.8955' lon='14.5000'/>\n"
      "  <node id='3005' version='1' lat='35.8952' lon='14.5008'/><node id='3006' version='1' lat='35.8952' lon='14.5097'/>\n"
      "  <node id='3007' version='1' lat='35.8952' lon='14.5100'><tag k='power' v='substation'/><tag k='name' v='B'/></node>\n"
      "  <node id='3008' version='1' lat='35.8953' lon='14.5102'/><node id='3009' version='1' lat='35.9000' lon='14.5200'/>\n";
  const std::string ways =
      "  <way id='100' version='1'><nd ref='2001'/><nd ref='2002'/><nd ref='2003'/><nd ref='2004'/><nd ref='2001'/>"
      "<tag k='boundary' v='administrative'/><tag k='admin_level' v='8'/><tag k='name' v='Grid Council'/></way>\n"
      "  <way id='200' version='1'><nd ref='3001'/><nd ref='3002'/><nd ref='3003'/><nd ref='3004'/><nd ref='3001'/>"
      "<tag k='power' v='substation'/><tag k='voltage' v='110000;20000'/><tag k='name' v='A'/></way>\n"
      "  <way id='201' version='1'><nd ref='3005'/><nd ref='3006'/>"
      "<tag k='power' v='line'/><tag k='voltage' v='110000;20000'/><tag k='circuits' v='2'/></way>\n"
      "  <way id='202' version='1'><nd ref='3008'/><nd ref='3009'/><tag k='power' v='cable'/></way>\n";
  const auto f = d.write("grid.osm", tiny_city(nodes, ways));
  geo::osm::OsmImportOptions o;
  o.service_distance_m = 100;
  o.population_total = 500;
  geo::osm::OsmImportSummary s;
  const Twin t = geo::osm::import_osm(f, o, &s);
  const PowerGrid& g = t.grid;
  ASSERT_EQ(t.districts.size(), 1u);
  EXPECT_EQ(s.admin_level, 8);
  // A, B and one inferred distribution substation for the council.
  ASSERT_EQ(g.substation_count(), 3u);
  // File order: nodes come before ways, so B (a node) is read first.
  const auto by_name = [&](const std::string& n) {
    return static_cast<std::size_t>(std::find(g.substation_name.begin(), g.substation_name.end(), n) - g.substation_name.begin());
  };
  const std::size_t a = by_name("A"), b_ = by_name("B");
  ASSERT_LT(a, 2u);
  ASSERT_LT(b_, 2u);
  EXPECT_TRUE(g.substation_source.inferred(2));
  EXPECT_EQ(s.inferred_substations, 1u);
  auto levels = [&](std::size_t k) {
    std::vector<double> kv;
    for (std::size_t b = 0; b < g.bus_count(); ++b)
      if (g.bus_substation[b] == static_cast<std::int32_t>(k)) kv.push_back(g.bus_kv[b]);
    return kv;
  };
  EXPECT_EQ(levels(a), (std::vector<double>{11, 20, 110}));   // 11 kV added to feed the district (A is nearer)
  EXPECT_EQ(levels(b_), (std::vector<double>{20, 110}));      // from the line that reaches it
  EXPECT_EQ(levels(2), (std::vector<double>{11}));
  std::size_t lines = 0, cables = 0, transformers = 0, feeders = 0;
  for (std::size_t b = 0; b < g.branch_count(); ++b) {
    const double kv = g.bus_kv[g.branch_from[b]];
    switch (g.branch_kind[b]) {
      case BranchKind::Line:
        ++lines;
        EXPECT_EQ(g.bus_substation[g.branch_from[b]], static_cast<std::int32_t>(a));
        EXPECT_EQ(g.bus_substation[g.branch_to[b]], static_cast<std::int32_t>(b_));
        EXPECT_EQ(kv, g.bus_kv[g.branch_to[b]]);
        EXPECT_FALSE(g.branch_source.inferred(b));
        break;
      case BranchKind::Cable:
        if (g.branch_source.inferred(b)) {
          ++feeders;
          EXPECT_EQ(kv, 11);
        } else {
          ++cables;
          EXPECT_EQ(kv, 110) << "untagged cable takes the highest level of substation B";
          EXPECT_TRUE(g.bus_source.inferred(g.branch_to[b])) << "terminal bus where the cable leaves the map";
        }
        break;
      case BranchKind::Transformer: ++transformers; break;
    }
  }
  EXPECT_EQ(lines, 2u) << "one branch per voltage of 110000;20000";
  EXPECT_EQ(cables, 1u);
  EXPECT_EQ(feeders, 1u);
  EXPECT_EQ(transformers, 3u);
  EXPECT_EQ(report_count(t, "grid.lines", "multi-valued voltage"), 1);
  EXPECT_EQ(report_count(t, "grid.lines", "terminal bus"), 1);
  EXPECT_EQ(report_count(t, "grid.lines", "taken from its substations"), 1);
  EXPECT_EQ(report_count(t, "grid.substations", "load centre"), 1);
  // The district is served; the slack is a 110 kV bus.
  ASSERT_EQ(t.links.district_sub_offsets.size(), 2u);
  EXPECT_LT(t.links.district_sub_offsets[0], t.links.district_sub_offsets[1]);
  ASSERT_EQ(g.gen_bus.size(), 1u);
  EXPECT_EQ(g.bus_kv[g.gen_bus[0]], 110);
  EXPECT_NEAR(t.districts.population[0], 500, 1e-9);
}
