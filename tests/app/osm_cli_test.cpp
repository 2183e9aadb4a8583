// End-to-end: `citytwin import andorra.osm.pbf` as a user runs it from the
// build tree: the binary finds the project's osmconf.ini, dispatches on the
// extension, writes the snapshot and prints the OSM summary; errors map to
// exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

namespace {

namespace fs = std::filesystem;

using CliRun = citytwin::testing::CliRun;
CliRun run(const std::string& args, bool merge_stderr = true) { return citytwin::testing::run_cli(args, merge_stderr); }

const std::string kAndorra = std::string(CITYTWIN_REFERENCE_DATA) + "/osm/andorra-2025-01-18.osm.pbf";

}  // namespace

TEST(OsmCli, ImportsAndorraWithTheProjectOsmconf) {
  if (!fs::exists(kAndorra)) GTEST_SKIP() << "shared data missing: " << kAndorra;
  const citytwin::testing::TempDir scratch("osm_cli");
  const fs::path dir = scratch.path();
  const CliRun r = run("import " + kAndorra + " -o " + (dir / "andorra.twin").string() + " --json --population-total 80000 --threads 2", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(fs::exists(dir / "andorra.twin"));
  EXPECT_EQ(j["osm"]["admin_level"], 7);
  EXPECT_TRUE(fs::exists(j["osm"]["osmconf"].get<std::string>()));
  EXPECT_NE(j["osm"]["population_method"].get<std::string>().find("--population-total 80000"), std::string::npos);
  EXPECT_GT(j["osm"]["kept_length_share"].get<double>(), 0.95);
  // The text form names the method and credits OpenStreetMap.
  const CliRun t = run("import " + kAndorra + " -o " + (dir / "andorra2.twin").string());
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("admin_level 7 (automatic)"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("OpenStreetMap contributors"), std::string::npos);
}

TEST(OsmCli, ErrorsMapToExitCodes) {
  const citytwin::testing::TempDir scratch("osm_cli_errors");
  const fs::path dir = scratch.path();
  std::ofstream(dir / "fake.osm.pbf") << "not a protobuf";
  const CliRun io = run("import " + (dir / "fake.osm.pbf").string() + " -o " + (dir / "x.twin").string());
  EXPECT_EQ(io.code, 3) << io.out;
  EXPECT_NE(io.out.find("not an OpenStreetMap file"), std::string::npos) << io.out;
  std::ofstream(dir / "paths.osm") << "<?xml version='1.0'?><osm version='0.6'><node id='1' lat='42.5' lon='1.5'/>"
                                       "<node id='2' lat='42.51' lon='1.5'/><way id='1'><nd ref='1'/><nd ref='2'/>"
                                       "<tag k='highway' v='footway'/></way></osm>";
  const CliRun bad = run("import " + (dir / "paths.osm").string() + " -o " + (dir / "x.twin").string());
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("no drivable roads"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(dir / "x.twin"));
}
