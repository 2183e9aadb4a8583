// End-to-end: `citytwin powerflow` and `citytwin contingency` on MATPOWER
// cases: JSON keys and values, --out tables, exit codes of the error paths.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/core/grid/reference_csv.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

namespace {

namespace fs = std::filesystem;

using CliRun = citytwin::testing::CliRun;
CliRun run(const std::string& args, bool merge_stderr = true) { return citytwin::testing::run_cli(args, merge_stderr); }

using citytwin::grid::test::case_path;

TEST(GridCli, PowerflowJsonHasTheDocumentedKeys) {
  const CliRun r = run("powerflow " + case_path("case118") + " --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"converged", "iterations", "max_mismatch", "losses_mw", "min_vm", "max_vm", "seconds"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["converged"].get<bool>());
  EXPECT_EQ(j["iterations"].get<int>(), 3);
  EXPECT_LT(j["max_mismatch"].get<double>(), 1e-8);
  EXPECT_NEAR(j["losses_mw"].get<double>(), 132.862872, 1e-4);
  EXPECT_NEAR(j["min_vm"].get<double>(), 0.943, 1e-3);
  EXPECT_NEAR(j["max_vm"].get<double>(), 1.050, 1e-3);
}

TEST(GridCli, PowerflowWritesTables) {
  const citytwin::testing::TempDir scratch("grid_cli");
  const fs::path dir = scratch / "tables";  // powerflow --out creates it
  const CliRun ac = run("powerflow " + case_path("case9") + " --flat-start --out " + dir.string());
  ASSERT_EQ(ac.code, 0) << ac.out;
  const CliRun dc = run("powerflow " + case_path("case9") + " --dc --out " + dir.string());
  ASSERT_EQ(dc.code, 0) << dc.out;
  for (const char* file : {"case9_ac_bus.csv", "case9_ac_branch.csv", "case9_ac_gen.csv", "case9_dc_bus.csv",
                           "case9_dc_branch.csv", "case9_dc_gen.csv"}) {
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  }
}

TEST(GridCli, NonConvergenceExitsWithFourAndNamesTheWorstBuses) {
  const CliRun r = run("powerflow " + case_path("case2869pegase") + " --max-iterations 2");
  EXPECT_EQ(r.code, 4) << r.out;
  EXPECT_NE(r.out.find("did not converge"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("worst buses"), std::string::npos) << r.out;
  const CliRun j = run("powerflow " + case_path("case2869pegase") + " --max-iterations 2 --json", false);
  EXPECT_EQ(j.code, 4);
  const auto json = nlohmann::json::parse(j.out);
  EXPECT_FALSE(json["converged"].get<bool>());
  EXPECT_TRUE(json["losses_mw"].is_null());  // no answer, no losses
  EXPECT_FALSE(json["worst_buses"].empty());
}

TEST(GridCli, BadInputExitsWithTwoAndNamesFileTableRow) {
  const std::string bad = std::string(CITYTWIN_TEST_FIXTURES) + "/matpower/truncated.m";
  const CliRun r = run("powerflow " + bad);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("truncated.m"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("layer 'branch'"), std::string::npos) << r.out;
  EXPECT_EQ(run("powerflow /nonexistent/case.m").code, 3);
}

TEST(GridCli, ContingencyJson) {
  const CliRun r = run("contingency " + case_path("case2869pegase") + " --json --ac-confirm 2 --threads 2", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["outages"].get<int>(), 4582);
  EXPECT_GT(j["overloading_outages"].get<int>(), 0);
  EXPECT_GT(j["worst"]["loading_percent"].get<double>(), 100.0);
  EXPECT_TRUE(j["worst"].contains("ac_loading_percent"));
  EXPECT_EQ(j["ac"].size(), 2u);
  EXPECT_TRUE(j.contains("seconds"));
}

}  // namespace
