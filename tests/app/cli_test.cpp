#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "geo/results/results_reader.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;

namespace {

using CliResult = citytwin::testing::CliRun;
CliResult run(const std::string& args) { return citytwin::testing::run_cli(args); }
CliResult run_stdout(const std::string& args) { return citytwin::testing::run_cli(args, false); }

// Each test process makes its own small city once (ctest -j runs the cases in
// parallel processes). Set up in SetUp, not SetUpTestSuite: a failure there
// must fail the test, not turn it into a skip.
class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ready_) return;
    static const citytwin::testing::TempDir scratch("cli");  // removed when the process ends
    dir_ = scratch.path();
    const CliResult g = run("generate --links 2000 --seed 3 -o " + (dir_ / "city").string());
    ASSERT_EQ(g.code, 0) << g.out;
    const CliResult i = run("import " + (dir_ / "city/manifest.toml").string() + " -o " + (dir_ / "city.twin").string());
    ASSERT_EQ(i.code, 0) << i.out;
    ready_ = true;
  }
  static fs::path dir_;
  static bool ready_;
};
fs::path Cli::dir_;
bool Cli::ready_ = false;

}  // namespace

TEST_F(Cli, InfoJsonHasTheDocumentedKeysAndCounts) {
  const CliResult r = run_stdout("info " + (dir_ / "city.twin").string() + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"road_nodes", "road_links", "signals", "buses", "branches", "substations", "districts", "crs"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["crs"], "EPSG:32633");
  EXPECT_GT(j["road_links"].get<int>(), 1000);
  EXPECT_EQ(j["districts"].get<int>(), j["zones"].get<int>());
}

TEST_F(Cli, HelpTeachesEachSubcommand) {
  for (const char* sub : {"generate", "import", "info", "export", "run", "compare", "sweep"}) {
    const CliResult r = run(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("--threads"), std::string::npos) << sub;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << sub << ": " << r.out;
  }
}

TEST_F(Cli, ForeignTwinFileFailsWithExitCode2AndNamesTheFile) {
  const auto bad = dir_ / "foreign.twin";
  std::ofstream(bad) << "PK\x03\x04 this is a zip, not a twin";
  const CliResult r = run("info " + bad.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(bad.string()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not a citytwin snapshot"), std::string::npos) << r.out;
}

TEST_F(Cli, FailedImportLeavesNothingAtTheOutputPathAndKeepsTheOldFile) {
  // A manifest with a typo: the import fails before writing; an existing twin stays intact.
  const auto manifest = dir_ / "bad.toml";
  std::ofstream(manifest) << "[roads]\nsource = \"city/roads.gpkg\"\nlayer = \"streets\"\n[roads.fields]\ncapacity = \"CAP_VHP\"\n";
  const auto out = dir_ / "new.twin";
  CliResult r = run("import " + manifest.string() + " -o " + out.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("CAP_VHP"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
  const auto before = fs::file_size(dir_ / "city.twin");
  r = run("import " + manifest.string() + " -o " + (dir_ / "city.twin").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(fs::file_size(dir_ / "city.twin"), before);
  for (const auto& e : fs::directory_iterator(dir_)) EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(Cli, ExportWritesAGeoPackageAndMissingInputIsAnIoError) {
  const auto gpkg = dir_ / "city.gpkg";
  CliResult r = run("export " + (dir_ / "city.twin").string() + " -o " + gpkg.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(gpkg));
  r = run("export " + (dir_ / "missing.twin").string() + " -o " + (dir_ / "x.gpkg").string());
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "x.gpkg"));
}

TEST_F(Cli, UnknownOptionIsAUsageError) {
  const CliResult r = run("import --no-such-option x.toml -o y.twin");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("no-such-option"), std::string::npos) << r.out;
}

TEST_F(Cli, RunWritesHourlyResultsAndJsonTotals) {
  const auto out = dir_ / "base.gpkg";
  const CliResult r = run_stdout("run " + (dir_ / "city.twin").string() + " -o " + out.string() + " --hours 8,17 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"vehicle_hours", "delay_hours", "peak_load_mw", "overloaded_branches", "dark_signals", "unserved_energy_mwh", "ev_energy_mwh"}) {
    EXPECT_TRUE(j["totals"].contains(key)) << key;
    EXPECT_TRUE(j["hours"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["hours"].size(), 2u);
  EXPECT_GT(j["totals"]["vehicle_hours"].get<double>(), 0);
  EXPECT_TRUE(fs::exists(dir_ / "base.summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "base.hours.csv"));
  const CliResult layers = run("info " + out.string());  // not a twin: a clear error, not a crash
  EXPECT_EQ(layers.code, 2);
}

TEST_F(Cli, CompareShowsWhatAnOutageChanged) {
  const auto scen = dir_ / "outage.toml";
  std::ofstream(scen) << "name = \"outage\"\n[[outages]]\nsubstation = 0\nfrom_hour = 0\n";
  ASSERT_EQ(run("run " + (dir_ / "city.twin").string() + " -o " + (dir_ / "b.gpkg").string() + " --hours 8").code, 0);
  ASSERT_EQ(run("run " + (dir_ / "city.twin").string() + " " + scen.string() + " -o " + (dir_ / "o.gpkg").string() + " --hours 8").code, 0);
  const CliResult r = run_stdout("compare " + (dir_ / "b.gpkg").string() + " " + (dir_ / "o.gpkg").string() + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["scenario"], "outage");
  EXPECT_GT(j["totals"]["unserved_energy_mwh"]["delta"].get<double>(), 0);
  EXPECT_GT(j["changed_elements"].get<int>(), 0);
}

TEST_F(Cli, SweepReportsAFailingScenarioAndFinishesTheOthers) {
  const auto good = dir_ / "good.toml", bad = dir_ / "bad.toml";
  std::ofstream(good) << "[parameters]\nev_share = 0.2\n";
  std::ofstream(bad) << "[[outages]]\nsubstation = \"Atlantis\"\n";
  const CliResult r = run("sweep " + (dir_ / "city.twin").string() + " " + good.string() + " " + bad.string() + " -o " +
                          (dir_ / "sweep").string() + " --hours 8");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("Atlantis"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir_ / "sweep" / "good.gpkg"));
  EXPECT_FALSE(fs::exists(dir_ / "sweep" / "bad.gpkg"));
  const auto j = nlohmann::json::parse(std::ifstream(dir_ / "sweep" / "sweep.json"));
  EXPECT_EQ(j["failed"].get<int>(), 1);
}

TEST_F(Cli, BadHoursAreAUsageError) {
  const CliResult r = run("run " + (dir_ / "city.twin").string() + " -o " + (dir_ / "x.gpkg").string() + " --hours 22-25");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("0..23"), std::string::npos) << r.out;
}

TEST_F(Cli, RunSaysWhichParameterValuesItUsed) {
  const auto scen = dir_ / "ev.toml";
  std::ofstream(scen) << "[parameters]\nev_share = 0.35\nu_trip = 1.1\n";
  const CliResult r = run_stdout("run " + (dir_ / "city.twin").string() + " " + scen.string() + " -o " + (dir_ / "ev.gpkg").string() + " --hours 8 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["parameters"]["ev_share"].get<double>(), 0.35);
  EXPECT_DOUBLE_EQ(j["parameters"]["u_trip"].get<double>(), 1.1);
  EXPECT_DOUBLE_EQ(j["parameters"]["ev_kwh_per_km"].get<double>(), 0.18);  // a default, reported too
  EXPECT_EQ(j["parameters"]["assignment_algorithm"], "bush");                // enums by their spelling
  EXPECT_EQ(j["parameters"]["max_coupling_rounds"].get<double>(), 50);
}

TEST_F(Cli, RunHelpListsTheScenarioParameters) {
  const CliResult r = run("run --help");
  ASSERT_EQ(r.code, 0) << r.out;
  // Key = default unit (range) doc, from the field list; values as datasets/scenarios/README.md documents them.
  for (const char* line : {"Scenario parameters", "ev_share = 0  (0..1)", "ev_kwh_per_km = 0.18 kWh/km  (0.01..1)",
                           "assignment_algorithm = bush  (bush, bfw, cfw or fw)", "carry_over_unserved = false  (true or false)",
                           "day_of_year = 15 day  (1..365)", "feedback_loops = 0  (0..3)"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " missing in:\n" << r.out;
}

TEST_F(Cli, GivenOdMatricesDriveRunAndAssign) {
  const auto od = dir_ / "od.csv";
  std::ofstream(od) << "origin,destination,hour,trips\n1,2,8,300\n2,1,8,150\n3,1,9,80\n";
  const CliResult r = run_stdout("run " + (dir_ / "city.twin").string() + " -o " + (dir_ / "od.gpkg").string() + " --hours 8-9 --od " +
                                 od.string() + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["demand"]["source"].get<std::string>(), od.string());
  EXPECT_NEAR(j["hours"][0]["demand_vehicles"].get<double>(), 450, 1e-9);
  EXPECT_NEAR(j["hours"][1]["demand_vehicles"].get<double>(), 80, 1e-9);
  EXPECT_GT(j["hours"][0]["vehicle_km"].get<double>(), 0);
  // assign's twin form takes the same file by --od or --trips.
  const CliResult a = run_stdout("assign " + (dir_ / "city.twin").string() + " -o " + (dir_ / "od_assign.gpkg").string() +
                                 " --hours 8 --trips " + od.string() + " --json");
  ASSERT_EQ(a.code, 0) << a.out;
  EXPECT_NEAR(nlohmann::json::parse(a.out)["hours"][0]["demand_vehicles"].get<double>(), 450, 1e-9);
  // A bad row: exit code 2 and the file, line and field in the message.
  std::ofstream(od) << "origin,destination,hour,trips\n1,2,8,300\n1,99999,8,1\n";
  const CliResult bad = run("run " + (dir_ / "city.twin").string() + " -o " + (dir_ / "od_bad.gpkg").string() + " --hours 8 --od " + od.string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("line 3"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("destination"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(dir_ / "od_bad.gpkg"));
}

// --device gpu: the whole bi-conjugate Frank-Wolfe on a GPU where there is one
// (then the device's flows must meet the gap, recomputed on the CPU); without
// one, the one-line notice and the CPU path. Either way the gap is met.
TEST(CliAssign, DeviceGpuMeetsTheGapOrSaysItRunsOnTheCpu) {
  const std::string dir = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/SiouxFalls/";
  const CliResult r = run_stdout("assign --net " + dir + "SiouxFalls_net.tntp --trips " + dir + "SiouxFalls_trips.tntp --device gpu --gap 1e-4 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  EXPECT_EQ(j.at("algorithm"), "bfw");  // the GPU's default
  EXPECT_TRUE(j.at("converged").get<bool>());
  EXPECT_LE(j.at("relative_gap").get<double>(), 1e-4);
  // The best-known objective of Sioux Falls (the TNTP README's value x 1e5), an outside reference.
  EXPECT_NEAR(j.at("objective").get<double>() / 4231335.287107440, 1.0, 1e-4);
  const CliResult notice = run("assign --net " + dir + "SiouxFalls_net.tntp --trips " + dir + "SiouxFalls_trips.tntp --device gpu --gap 1e-4 --quiet");
  ASSERT_EQ(notice.code, 0) << notice.out;
  if (j.at("device") == "cpu")
    EXPECT_NE(notice.out.find("using CPU"), std::string::npos) << notice.out;
  else
    EXPECT_EQ(notice.out.find("using CPU"), std::string::npos) << notice.out;
  // Algorithm B is CPU-only: asked for on the GPU, a usage error naming the option.
  const CliResult bush = run("assign --net " + dir + "SiouxFalls_net.tntp --trips " + dir + "SiouxFalls_trips.tntp --device gpu --algorithm bush");
  EXPECT_NE(bush.code, 0);
  EXPECT_NE(bush.out.find("--algorithm"), std::string::npos) << bush.out;
}

// powerflow --load-factors: one AC flow per factor on the case's pattern. The
// factor-1 item is the case itself, so it must equal the single solve (itself
// held to MATPOWER's solution in tests/core/grid); a factor the grid cannot
// carry is reported and exits 4; bad factors are usage errors.
TEST(CliPowerflowBatch, ItemsMatchSingleSolvesAndFailuresAreReported) {
  const std::string c14 = std::string(CITYTWIN_REFERENCE_DATA) + "/matpower/case14.m";
  const CliResult single = run_stdout("powerflow " + c14 + " --json");
  ASSERT_EQ(single.code, 0) << single.out;
  const auto s = nlohmann::json::parse(single.out);
  const citytwin::testing::TempDir scratch("pf_batch");
  const fs::path out = scratch.path();
  const CliResult b = run_stdout("powerflow " + c14 + " --load-factors 0.5,1,1.5 --device gpu --json --out " + out.string());
  ASSERT_EQ(b.code, 0) << b.out;
  const auto j = nlohmann::json::parse(b.out);
  ASSERT_EQ(j.at("items"), 3);
  EXPECT_EQ(j.at("converged"), 3);
  const auto& one = j.at("results").at(1);
  EXPECT_EQ(one.at("factor"), 1.0);
  EXPECT_EQ(one.at("iterations"), s.at("iterations"));
  EXPECT_NEAR(one.at("min_vm").get<double>(), s.at("min_vm").get<double>(), 1e-9);
  EXPECT_NEAR(one.at("max_vm").get<double>(), s.at("max_vm").get<double>(), 1e-9);
  // heavier load, lower voltages
  EXPECT_LT(j.at("results").at(2).at("min_vm").get<double>(), one.at("min_vm").get<double>());
  std::ifstream csv(out / "case14_batch_bus.csv");
  std::string line;
  int rows = -1;  // the header
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 3 * 14);

  const CliResult heavy = run("powerflow " + c14 + " --load-factors 1,30");
  EXPECT_EQ(heavy.code, 4) << heavy.out;
  EXPECT_NE(heavy.out.find("1 of 2 power flows did not converge"), std::string::npos) << heavy.out;
  const CliResult negative = run("powerflow " + c14 + " --load-factors 1,-1");
  EXPECT_EQ(negative.code, 2) << negative.out;
  EXPECT_NE(negative.out.find("load factor 2"), std::string::npos) << negative.out;
  EXPECT_EQ(run("powerflow " + c14 + " --load-factors 1 --q-limits").code, 2);
}

// A total added as one line of the field list (peak_substation_loading) is in
// every output: the JSON per hour and day, hours.csv and the GeoPackage's
// hours table, equal to the largest substation utilisation of the hour.
TEST_F(Cli, PeakSubstationLoadingIsInTheJsonTheCsvAndTheGeoPackage) {
  const auto out = dir_ / "peak.gpkg";
  const CliResult r = run_stdout("run " + (dir_ / "city.twin").string() + " -o " + out.string() + " --hours 8,17 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto rt = citytwin::geo::read_results_twin(out);
  const auto res = citytwin::geo::read_results(out, rt.twin);
  ASSERT_EQ(res.hours.size(), 2u);
  std::ifstream csv(dir_ / "peak.hours.csv");
  std::string header, line;
  std::getline(csv, header);
  const auto names = [](const std::string& s) {
    std::vector<std::string> v;
    std::stringstream ss(s);
    for (std::string x; std::getline(ss, x, ',');) v.push_back(x);
    return v;
  };
  const auto columns = names(header);
  const auto col = std::find(columns.begin(), columns.end(), "peak_substation_loading") - columns.begin();
  ASSERT_LT(col, static_cast<long>(columns.size())) << header;
  double day = 0;
  for (std::size_t h = 0; h < 2; ++h) {
    const auto& u = res.hours[h].substation_utilisation;
    const double peak = *std::max_element(u.begin(), u.end());  // floats stored as doubles: exact
    EXPECT_GT(peak, 0);
    EXPECT_EQ(res.hours[h].totals.peak_substation_loading, peak);
    EXPECT_EQ(j["hours"][h]["peak_substation_loading"].get<double>(), peak);
    ASSERT_TRUE(std::getline(csv, line));
    EXPECT_NEAR(std::stod(names(line).at(static_cast<std::size_t>(col))), peak, 1e-9 * peak);  // 10 significant digits
    day = std::max(day, peak);
  }
  EXPECT_EQ(j["totals"]["peak_substation_loading"].get<double>(), day);
}
