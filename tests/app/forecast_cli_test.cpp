// `citytwin forecast` end to end: a true day run from a scenario the forecast
// is not given (EV share 0.5 and 20 % more traffic against a typical 0.15),
// observed by `citytwin observe` on one weekday, forecast from 13:00 shared
// and by each department alone; its output set, JSON and bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;

namespace {

using citytwin::testing::CliRun;
CliRun run(const std::string& args) { return citytwin::testing::run_cli(args); }
CliRun run_stdout(const std::string& args) { return citytwin::testing::run_cli(args, false); }

void write(const fs::path& p, const std::string& text) {
  std::ofstream f(p);
  f << text;
}

// One city, truth and observations per test process (set up in SetUp so a failure fails the test).
class ForecastCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ready_) return;
    static const citytwin::testing::TempDir scratch("forecast_cli");
    dir_ = scratch.path();
    CliRun r = run("generate --links 2000 --seed 3 -o " + (dir_ / "city").string());
    ASSERT_EQ(r.code, 0) << r.out;
    r = run("import " + (dir_ / "city/manifest.toml").string() + " -o " + twin());
    ASSERT_EQ(r.code, 0) << r.out;
    write(dir_ / "typical.toml", "name = \"typical\"\n[parameters]\nev_share = 0.15\nresidential_kwh_per_household = 3000\n");
    write(dir_ / "truth.toml", "name = \"truth\"\n[parameters]\nev_share = 0.5\nresidential_kwh_per_household = 3000\ndemand_scale = 1.2\n");
    r = run("run " + twin() + " " + (dir_ / "truth.toml").string() + " -o " + (dir_ / "truth.gpkg").string());
    ASSERT_EQ(r.code, 0) << r.out;
    r = run("observe " + twin() + " " + (dir_ / "truth.gpkg").string() + " --days 1 --noise 0.01 --seed 5 -o " + (dir_ / "obs").string());
    ASSERT_EQ(r.code, 0) << r.out;
    ready_ = true;
  }
  static std::string twin() { return (dir_ / "city.twin").string(); }
  static std::string base() {
    return "forecast " + twin() + " --scenario " + (dir_ / "typical.toml").string() + " --counts " + (dir_ / "obs/counts.csv").string() +
           " --loads " + (dir_ / "obs/loads.csv").string() + " ";
  }
  static fs::path dir_;
  static bool ready_;
};
fs::path ForecastCli::dir_;
bool ForecastCli::ready_ = false;

TEST_F(ForecastCli, SharedForecastWritesItsSetAndReportsPeaksBandsAndWhatItIgnored) {
  const auto out = dir_ / "fc.gpkg";
  const CliRun r = run_stdout(base() + "--now 13:00 -o " + out.string() + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["feeds"], "shared");
  EXPECT_EQ(j["now"], 13);
  EXPECT_EQ(j["date"], "2026-03-02");
  const std::size_t K = j["substations"].size();
  ASSERT_GT(K, 0u);
  // observe wrote every hour: hours 13..23 are ignored and counted.
  EXPECT_EQ(j["observations"]["loads"]["after_now"], K * 11);
  EXPECT_EQ(j["observations"]["loads"]["used"], K * 13);
  EXPECT_GT(j["observations"]["counts"]["after_now"].get<int>(), 0);
  EXPECT_TRUE(j["adjustment"]["traffic_updated"]);
  EXPECT_TRUE(j["adjustment"]["grid_updated"]);
  EXPECT_NEAR(j["adjustment"]["traffic_ratio"].get<double>(), 1.2, 0.03);
  EXPECT_GT(j["adjustment"]["ev_share"].get<double>(), 0.3) << "the meters show more EV charging than typical";
  const auto& peak = j["citywide_peak"];
  EXPECT_GE(peak["hour"].get<int>(), 13);
  EXPECT_LE(peak["low_mw"].get<double>(), peak["mw"].get<double>());
  EXPECT_GE(peak["high_mw"].get<double>(), peak["mw"].get<double>());
  ASSERT_EQ(j["citywide"].size(), 24u);
  EXPECT_TRUE(j["citywide"][12]["observed"]);
  EXPECT_FALSE(j["citywide"][13]["observed"]);
  for (const auto& s : j["substations"]) {
    EXPECT_EQ(s["p_mw"].size(), 24u);
    EXPECT_GE(s["peak"]["hour"].get<int>(), 13);
  }
  EXPECT_TRUE(fs::exists(out));
  EXPECT_TRUE(fs::exists(dir_ / "fc.summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "fc.hours.csv"));
  std::ifstream summary(dir_ / "fc.summary.json");
  const auto s = nlohmann::json::parse(summary);
  EXPECT_EQ(s["citywide_peak"], j["citywide_peak"]);

  // The text report says the same.
  const CliRun t = run(base() + "--now 13:00");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("citywide peak"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("at or after now"), std::string::npos) << t.out;
}

TEST_F(ForecastCli, EachDepartmentAloneUsesOnlyItsFeed) {
  const CliRun e = run_stdout(base() + "--now 13:00 --json --without-traffic");
  ASSERT_EQ(e.code, 0) << e.out;
  const auto je = nlohmann::json::parse(e.out);
  EXPECT_EQ(je["feeds"], "without_traffic");
  EXPECT_FALSE(je["adjustment"]["traffic_updated"]);
  EXPECT_TRUE(je["adjustment"]["grid_updated"]);
  EXPECT_EQ(je["observations"]["counts"]["used"], 0);
  EXPECT_TRUE(je["link_band_relative"].is_null());
  const CliRun t = run_stdout(base() + "--now 13:00 --json --without-grid");
  ASSERT_EQ(t.code, 0) << t.out;
  const auto jt = nlohmann::json::parse(t.out);
  EXPECT_EQ(jt["feeds"], "without_grid");
  EXPECT_TRUE(jt["adjustment"]["traffic_updated"]);
  EXPECT_FALSE(jt["adjustment"]["grid_updated"]);
  EXPECT_EQ(jt["observations"]["loads"]["used"], 0);
  EXPECT_TRUE(jt["citywide_peak"]["low_mw"].is_null()) << "no meters, no band";
  EXPECT_DOUBLE_EQ(jt["adjustment"]["ev_share"].get<double>(), 0.15);
  // Each alone needs its own feed; not both at once.
  EXPECT_EQ(run("forecast " + twin() + " --now 13:00 --without-traffic --counts " + (dir_ / "obs/counts.csv").string()).code, 2);
  EXPECT_NE(run(base() + "--now 13:00 --without-traffic --without-grid").code, 0);
}

TEST_F(ForecastCli, BadInputIsNamed) {
  CliRun r = run(base() + "--now 25:00");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--now"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("25:00"), std::string::npos) << r.out;
  r = run(base() + "--now 13:30");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("whole hour"), std::string::npos) << r.out;
  r = run(base() + "--now noon");
  EXPECT_EQ(r.code, 2);
  r = run(base() + "--now 13:00 --date 2026-02-30");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--date"), std::string::npos) << r.out;
  // A count that is not a number: the file, its line and the column are named.
  const auto bad = dir_ / "bad_counts.csv";
  write(bad, "station,lon,lat,bearing,time,vehicles\nS1,13.24,52.33,90,2026-03-02T08:00,many\n");
  r = run("forecast " + twin() + " --counts " + bad.string() + " --loads " + (dir_ / "obs/loads.csv").string() + " --now 13:00");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("bad_counts.csv"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vehicles"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2"), std::string::npos) << r.out;
  // An unknown substation in the meters.
  const auto bad_loads = dir_ / "bad_loads.csv";
  write(bad_loads, "substation,time,p_mw\nNowhere,2026-03-02T08:00,3.0\n");
  r = run("forecast " + twin() + " --loads " + bad_loads.string() + " --now 13:00");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("Nowhere"), std::string::npos) << r.out;
  // No observations at all.
  r = run("forecast " + twin() + " --now 13:00");
  EXPECT_EQ(r.code, 2);
  // A failed forecast leaves no output behind.
  EXPECT_FALSE(fs::exists(dir_ / "never.gpkg"));
  r = run(base() + "--now 99 -o " + (dir_ / "never.gpkg").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "never.gpkg"));
}

TEST_F(ForecastCli, HelpTeaches) {
  const CliRun r = run("forecast --help");
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"--now", "--without-traffic", "--without-grid", "Example", "--threads", "band", "ignored"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << ": " << r.out;
}

}  // namespace
