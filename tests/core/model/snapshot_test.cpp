#include "core/model/snapshot.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
  t.grid.substation_name = {"Main \xC3\xA9"};
  t.districts.name = {"Centre", "North"};
  t.districts.population = {1000, 2000.5};
  t.districts.shape.begin_feature();
  t.districts.shape.add_polygon({{{0, 0}, {1, 0}, {1, 1}}});
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
