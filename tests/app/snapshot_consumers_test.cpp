// A real imported snapshot, mutated section by section with its checksum
// recomputed (as anyone can), given to every command that reads a twin: each
// must refuse it with exit 2 naming the file and the field, never crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "core/model/snapshot.hpp"
#include "tests/support/run_cli.hpp"

namespace fs = std::filesystem;
using citytwin::Twin;
using citytwin::testing::run_cli;

namespace {

class SnapshotConsumers : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dir_.empty()) return;
    dir_ = fs::temp_directory_path() / ("citytwin_snapshot_consumers_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const auto g = run_cli("generate --links 1500 --seed 5 -o " + (dir_ / "city").string());
    ASSERT_EQ(g.code, 0) << g.out;
    const auto i = run_cli("import " + (dir_ / "city/manifest.toml").string() + " -o " + (dir_ / "city.twin").string());
    ASSERT_EQ(i.code, 0) << i.out;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // Writes the mutated twin and runs each consumer on it.
  void expect_refused(const std::string& name, const std::function<void(Twin&)>& mutate, const std::string& field) {
    Twin t = citytwin::read_snapshot(dir_ / "city.twin");
    mutate(t);
    const auto bad = dir_ / (name + ".twin");
    citytwin::write_snapshot(t, bad);
    const auto out = dir_ / (name + "-out");
    for (const std::string& cmd : std::initializer_list<std::string>{"info " + bad.string(), "export " + bad.string() + " -o " + out.string() + ".gpkg",
                                  "run " + bad.string() + " --hours 8 -o " + out.string() + ".gpkg",
                                  "assign " + bad.string() + " --hours 8 -o " + out.string() + "-a.gpkg",
                                  "powerflow " + bad.string() + " --hours 8 --out " + out.string() + "-p.gpkg"}) {
      const auto r = run_cli(cmd);
      EXPECT_EQ(r.code, 2) << cmd << "\n" << r.out;
      EXPECT_NE(r.out.find(bad.string()), std::string::npos) << cmd << "\n" << r.out;
      EXPECT_NE(r.out.find(field), std::string::npos) << cmd << "\n" << r.out;
    }
  }
  static fs::path dir_;
};
fs::path SnapshotConsumers::dir_;

}  // namespace

TEST_F(SnapshotConsumers, TheUnmutatedSnapshotIsAccepted) {
  const auto r = run_cli("info " + (dir_ / "city.twin").string());
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(SnapshotConsumers, ColumnShorterThanTheCount) {
  expect_refused("short", [](Twin& t) { t.roads.capacity_vph.pop_back(); }, "roads.capacity_vph");
}

TEST_F(SnapshotConsumers, IndexEqualToTheNodeCount) {
  expect_refused("index", [](Twin& t) { t.roads.link_to[3] = static_cast<std::uint32_t>(t.roads.node_count()); }, "roads.link_to[3]");
}

TEST_F(SnapshotConsumers, GeometryOffsetsPastTheEnd) {
  expect_refused("geometry", [](Twin& t) { t.roads.geometry.offsets.back() += 1u << 24; }, "roads.geometry.offsets");
}

TEST_F(SnapshotConsumers, DistrictShapeRingsPastTheEnd) {
  expect_refused("rings", [](Twin& t) { t.districts.shape.ring_offsets[1] = 1u << 30; }, "districts.shape.ring_offsets");
}

TEST_F(SnapshotConsumers, BranchToABusThatDoesNotExist) {
  expect_refused("branch", [](Twin& t) { t.grid.branch_from[0] = static_cast<std::uint32_t>(t.grid.bus_count()); }, "grid.branch_from[0]");
}
