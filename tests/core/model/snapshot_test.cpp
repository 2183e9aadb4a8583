#include "core/model/snapshot.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "core/common/errors.hpp"
#include "core/model/road_graph_builder.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
namespace fs = std::filesystem;

namespace {
Twin small_twin() {
  Twin t;
  t.name = "test";
  t.crs = "EPSG:32633";
  t.sources.push_back({"transport", "roads.gpkg", "streets"});
  RoadFeature a;
  a.line = {{0, 0}, {100, 0}, {100, 100}};
  a.source = 0;
  a.feature = 7;
  t.roads = build_road_graph({a}, {}, {}).roads;
  t.grid.bus_x = {1, 2};
  t.grid.bus_y = {3, 4};
  t.grid.bus_kv = {33, 11};
  t.grid.bus_type = {BusType::Slack, BusType::PQ};
  t.grid.bus_energised = {1, 1};
  t.grid.bus_substation = {0, -1};
  t.grid.bus_source.add(0, 1);
  t.grid.bus_source.add(ProvenanceColumn::kInferred, -1);
  t.grid.branch_from = {0};
  t.grid.branch_to = {1};
  t.grid.branch_kind = {BranchKind::Cable};
  t.grid.branch_r = {0.01};
  t.grid.branch_x = {0.02};
  t.grid.branch_b = {0};
  t.grid.branch_rating_mva = {20};
  t.grid.branch_in_service = {1};
  t.grid.branch_geometry.add(std::vector<Point2>{{1, 3}, {2, 4}});
  t.grid.branch_source.add(0, 2);
  t.grid.substation_name = {"Main \xC3\xA9"};
  t.grid.substation_x = {1};
  t.grid.substation_y = {3};
  t.grid.substation_capacity_mva = {40};
  t.grid.substation_bus = {0};
  t.grid.substation_source.add(0, 3);
  t.grid.substation_shape.begin_feature();
  t.grid.substation_shape.add_polygon({{{0, 2}, {2, 2}, {2, 4}, {0, 2}}});
  t.grid.gen_bus = {0};
  t.grid.gen_p_mw = {0};
  t.grid.gen_vm_pu = {1};
  t.grid.gen_q_min_mvar = {-10};
  t.grid.gen_q_max_mvar = {10};
  t.districts.name = {"Centre", "North"};
  t.districts.population = {1000, 2000.5};
  t.districts.households = {400, 900};
  t.districts.jobs = {300, 100};
  t.districts.jobs_retail = {100, 20};
  t.districts.jobs_service = {150, 50};
  t.districts.jobs_other = {50, 30};
  t.districts.shape.begin_feature();
  t.districts.shape.add_polygon({{{0, 0}, {1, 0}, {1, 1}, {0, 0}}});
  t.districts.shape.begin_feature();
  t.districts.shape.add_polygon({{{0, 1}, {1, 1}, {1, 2}, {0, 1}}});
  t.districts.derive_area_and_centroids();
  t.districts.source.add(0, 11);
  t.districts.source.add(0, 12);
  t.report.add("skipped", "streets", 3, "empty geometry");
  return t;
}
fs::path temp_path(const std::string& name) {
  static const citytwin::testing::TempDir scratch("snapshot");
  return scratch / name;
}
}  // namespace

TEST(Snapshot, RoundTripIsExact) {
  const Twin t = small_twin();
  const auto p = temp_path("roundtrip.twin");
  write_snapshot(t, p);
  const Twin back = read_snapshot(p);
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.roads.link_source.feature[0], 7);
  fs::remove(p);
}

TEST(Snapshot, TruncatedFileIsRejectedWithFileName) {
  const auto p = temp_path("trunc.twin");
  write_snapshot(small_twin(), p);
  fs::resize_file(p, fs::file_size(p) - 10);
  try {
    read_snapshot(p);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
  fs::remove(p);
}

TEST(Snapshot, ForeignFileIsRejected) {
  const auto p = temp_path("foreign.twin");
  std::ofstream(p) << "this is not a twin, just some text that is long enough";
  EXPECT_THROW(read_snapshot(p), InvalidInput);
  fs::remove(p);
}

TEST(Snapshot, CorruptedPayloadFailsChecksum) {
  const auto p = temp_path("corrupt.twin");
  write_snapshot(small_twin(), p);
  {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(60);
    f.put('\x55');
  }
  try {
    read_snapshot(p);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
  fs::remove(p);
}

TEST(Snapshot, MissingFileIsAnIoError) { EXPECT_THROW(read_snapshot(temp_path("does-not-exist.twin")), IoError); }

TEST(Snapshot, FailedWriteLeavesNoFileBehind) {
  // Writing into a path whose parent is a regular file must fail and leave nothing.
  const auto blocker = temp_path("blocker");
  std::ofstream(blocker) << "x";
  EXPECT_THROW(write_snapshot(small_twin(), blocker / "city.twin"), IoError);
  EXPECT_FALSE(fs::exists(blocker / "city.twin"));
  fs::remove(blocker);
}

// A snapshot's checksum is recomputed by write_snapshot, as an attacker would:
// each mutation below passes the checksum and must still be refused, naming
// the file and the field, before anything indexes with it.
namespace {
struct Mutation {
  const char* field;
  void (*apply)(Twin&);
};
const Mutation kMutations[] = {
    {"roads.link_to", [](Twin& t) { t.roads.link_to.pop_back(); }},                                     // column shorter than the count
    {"roads.link_to", [](Twin& t) { t.roads.link_to[0] = static_cast<std::uint32_t>(t.roads.node_count()); }},  // index == node count
    {"roads.link_from", [](Twin& t) { t.roads.link_from[0] = 0xFFFFFFFFu; }},
    {"roads.capacity_vph", [](Twin& t) { t.roads.capacity_vph[0] = -1; }},
    {"roads.free_flow_s", [](Twin& t) { t.roads.free_flow_s[0] = std::numeric_limits<double>::quiet_NaN(); }},
    {"roads.road_class", [](Twin& t) { t.roads.road_class[0] = static_cast<RoadClass>(200); }},
    {"roads.geometry.offsets", [](Twin& t) { t.roads.geometry.offsets.back() += 1000; }},  // geometry offsets past the end
    {"roads.geometry.offsets", [](Twin& t) { t.roads.geometry.offsets.pop_back(); }},
    {"roads.geometry.y", [](Twin& t) { t.roads.geometry.y.pop_back(); }},
    {"roads.out_links.offsets", [](Twin& t) { t.roads.out_links.offsets[1] = 99; }},
    {"roads.in_links.entries", [](Twin& t) { t.roads.in_links.entries[0] = 1u << 30; }},
    {"roads.node_source.source", [](Twin& t) { t.roads.node_source.source[0] = 5; }},  // 1 source layer only
    {"roads.zone_node", [](Twin& t) { t.roads.zone_node = {static_cast<std::uint32_t>(t.roads.node_count())}; }},
    {"grid.bus_type", [](Twin& t) { t.grid.bus_type[1] = static_cast<BusType>(9); }},
    {"grid.bus_substation", [](Twin& t) { t.grid.bus_substation[1] = 1; }},
    {"grid.branch_to", [](Twin& t) { t.grid.branch_to[0] = 2; }},
    {"grid.branch_x", [](Twin& t) { t.grid.branch_x.clear(); }},
    {"grid.substation_bus", [](Twin& t) { t.grid.substation_bus[0] = 7; }},
    {"grid.substation_shape.coord_offsets", [](Twin& t) { t.grid.substation_shape.coord_offsets.back() = 1u << 20; }},
    {"grid.gen_bus", [](Twin& t) { t.grid.gen_bus[0] = 2; }},
    {"grid.gen_vm_pu", [](Twin& t) { t.grid.gen_vm_pu.push_back(1); }},
    {"grid.base_mva", [](Twin& t) { t.grid.base_mva = 0; }},
    {"districts.households", [](Twin& t) { t.districts.households.pop_back(); }},
    {"districts.population", [](Twin& t) { t.districts.population[0] = std::numeric_limits<double>::infinity(); }},
    {"districts.shape.polygon_offsets", [](Twin& t) { t.districts.shape.polygon_offsets.push_back(1); }},
    {"districts.shape.ring_offsets", [](Twin& t) { t.districts.shape.ring_offsets[1] = 0; t.districts.shape.ring_offsets[0] = 1; }},
    {"links.link_district", [](Twin& t) { t.links.link_district.assign(t.roads.link_count(), 2); }},
    {"links.district_sub_offsets", [](Twin& t) { t.links.district_sub_offsets = {0, 1, 5}; t.links.district_sub = {0}; t.links.district_sub_share = {1}; }},
    {"links.district_sub", [](Twin& t) { t.links.district_sub_offsets = {0, 1, 1}; t.links.district_sub = {3}; t.links.district_sub_share = {1}; }},
    {"links.signal_bus", [](Twin& t) { t.links.signal_node = {0}; t.links.signal_bus = {2}; }},
    {"links.charger_node", [](Twin& t) { t.links.charger_node = {1}; }},
};
}  // namespace

TEST(Snapshot, EveryMutatedSectionIsRefusedNamingFileAndField) {
  const auto p = temp_path("mutated.twin");
  for (const Mutation& m : kMutations) {
    Twin t = small_twin();
    m.apply(t);
    write_snapshot(t, p);  // a fresh, valid checksum
    try {
      read_snapshot(p);
      ADD_FAILURE() << m.field << ": expected InvalidInput";
    } catch (const InvalidInput& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(p.string()), std::string::npos) << what;
      EXPECT_NE(what.find(m.field), std::string::npos) << m.field << " missing from: " << what;
      EXPECT_EQ(e.where().field.rfind(m.field, 0), 0u) << e.where().field;
    }
  }
  fs::remove(p);
}

TEST(Snapshot, ValidTwinWithJoinsPassesValidation) {
  Twin t = small_twin();
  t.links.link_district.assign(t.roads.link_count(), -1);
  t.links.district_sub_offsets = {0, 1, 1};
  t.links.district_sub = {0};
  t.links.district_sub_share = {1};
  t.links.signal_node = {0};
  t.links.signal_bus = {0xFFFFFFFFu};  // unmatched is allowed
  const auto p = temp_path("joined.twin");
  write_snapshot(t, p);
  EXPECT_TRUE(read_snapshot(p) == t);
  fs::remove(p);
}
