// `citytwin calibrate` end to end on the CLI tests' city: a truth run from a
// scenario the calibration does not see, its synthetic observations
// (`citytwin observe`), the calibration with its report, the calibrated twin
// run like any other; help that teaches; bad input with clear errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_city.hpp"
#include "tests/support/run_cli.hpp"

namespace fs = std::filesystem;
using citytwin::testing::run_cli;

namespace {

class CalibrateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ready_) return;
    dir_ = citytwin::testing::make_cli_city("calibrate_cli", 2000, 3);
    std::ofstream(dir_ / "prior.toml") << "name = \"prior\"\n[parameters]\nev_share = 0.1\ndemand_scale = 6\n";
    std::ofstream(dir_ / "truth.toml") << "name = \"truth\"\n[parameters]\nev_share = 0.3\ndemand_scale = 6\n"
                                          "[[growth]]\ndistrict = \"District 1\"\npopulation = 1.5\njobs = 1.3\n"
                                          "[[growth]]\ndistrict = \"District 3\"\npopulation = 0.7\njobs = 0.8\n"
                                          "[[growth]]\ndistrict = \"District 8\"\npopulation = 0.9\njobs = 1.4\n";
    const auto t = run_cli("run " + s("city.twin") + " " + s("truth.toml") + " -o " + s("truth.gpkg"));
    ASSERT_EQ(t.code, 0) << t.out;
    const auto o = run_cli("observe " + s("city.twin") + " " + s("truth.gpkg") + " -o " + s("obs") + " --seed 4");
    ASSERT_EQ(o.code, 0) << o.out;
    ready_ = true;
  }
  static std::string s(const std::string& name) { return (dir_ / name).string(); }
  static std::string observations() { return " --counts " + s("obs/counts.csv") + " --loads " + s("obs/loads.csv"); }
  static fs::path dir_;
  static bool ready_;
};
fs::path CalibrateCli::dir_;
bool CalibrateCli::ready_ = false;

TEST_F(CalibrateCli, CalibratesReportsAndTheCalibratedTwinRunsLikeAnyOther) {
  const auto c = run_cli("calibrate " + s("city.twin") + " --scenario " + s("prior.toml") + observations() + " -o " + s("calibrated.twin") +
                         " --report " + s("fit.json") + " --holdout-share 0.2 --seed 3");
  ASSERT_EQ(c.code, 0) << c.out;
  EXPECT_NE(c.out.find("held out"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("run: the calibrated twin"), std::string::npos) << c.out;  // progress lines
  std::ifstream in(s("fit.json"));
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["counts"]["held_out"].get<std::size_t>(), j["counts"]["held_out_stations"].size());
  EXPECT_GT(j["counts"]["held_out"].get<std::size_t>(), 0u);
  EXPECT_TRUE(j["demand"]["calibrated"].get<bool>());
  EXPECT_GE(j["after"]["counts_used"]["share_geh_below_5"].get<double>(), 0.85);
  EXPECT_LT(j["after"]["counts_held_out"]["rmse_pct"].get<double>(), j["before"]["counts_held_out"]["rmse_pct"].get<double>());
  EXPECT_LT(j["after"]["loads"]["mape_pct"].get<double>(), j["before"]["loads"]["mape_pct"].get<double>());
  ASSERT_EQ(j["load_factors"]["per_substation"].size(), 5u);
  for (const auto& p : j["load_factors"]["per_substation"]) {
    EXPECT_GE(p["residential_factor"].get<double>(), 0.5);
    EXPECT_LE(p["ev_factor"].get<double>(), 4.0);
  }
  // `citytwin run` on the calibrated twin, then `fit`: the report's loads MAPE after.
  const auto r = run_cli("run " + s("calibrated.twin") + " " + s("prior.toml") + " -o " + s("calibrated.gpkg"));
  ASSERT_EQ(r.code, 0) << r.out;
  const auto f = run_cli("fit " + s("calibrated.twin") + " " + s("calibrated.gpkg") + " --loads " + s("obs/loads.csv") + " --json", false);
  ASSERT_EQ(f.code, 0) << f.out;
  EXPECT_NEAR(nlohmann::json::parse(f.out)["loads"]["mape_pct"].get<double>(), j["after"]["loads"]["mape_pct"].get<double>(), 1e-6);
}

TEST_F(CalibrateCli, HelpTeaches) {
  const auto h = run_cli("calibrate --help");
  EXPECT_EQ(h.code, 0);
  for (const char* word : {"--holdout-share", "--report", "--scenario", "ODME", "least squares", "citytwin run calibrated.twin"})
    EXPECT_NE(h.out.find(word), std::string::npos) << word;
}

TEST_F(CalibrateCli, BadInputGivesClearErrors) {
  // A meter reading of a substation the twin does not have: the file, the row and the column.
  fs::copy_file(s("obs/loads.csv"), s("bad_loads.csv"), fs::copy_options::overwrite_existing);
  std::ofstream(s("bad_loads.csv"), std::ios::app) << "Substation Z9,2026-03-02T08:00,5.0\n";
  auto c = run_cli("calibrate " + s("city.twin") + " --loads " + s("bad_loads.csv") + " -o " + s("x.twin"));
  EXPECT_EQ(c.code, 2) << c.out;
  EXPECT_NE(c.out.find("bad_loads.csv"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("Substation Z9"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("substation"), std::string::npos) << c.out;
  EXPECT_FALSE(fs::exists(s("x.twin")));
  // Hold-out share outside [0, 1).
  for (const char* share : {"1", "1.5", "-0.1"}) {
    c = run_cli("calibrate " + s("city.twin") + observations() + " -o " + s("x.twin") + " --holdout-share " + share);
    EXPECT_EQ(c.code, 2) << share << ": " << c.out;
    EXPECT_NE(c.out.find("--holdout-share"), std::string::npos) << c.out;
  }
  // Unwritable output (its folder is a file): an I/O error before any run.
  std::ofstream(s("a_file")) << "x";
  c = run_cli("calibrate " + s("city.twin") + observations() + " -o " + s("a_file/calibrated.twin"));
  EXPECT_EQ(c.code, 3) << c.out;
  EXPECT_NE(c.out.find("a_file/calibrated.twin"), std::string::npos) << c.out;
  EXPECT_EQ(c.out.find("run: "), std::string::npos) << c.out;
  // Nothing to calibrate to.
  c = run_cli("calibrate " + s("city.twin") + " -o " + s("x.twin"));
  EXPECT_EQ(c.code, 2) << c.out;
}

}  // namespace
