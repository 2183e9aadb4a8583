// Progress of long commands (app/progress_printer.hpp) and generate's memory
// check, through the real binary: `--progress json` lines parse, carry the
// documented keys, never go back and end at done == total; without a
// terminal nothing is printed unless asked; a city that cannot fit is refused.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_city.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

namespace fs = std::filesystem;
using citytwin::testing::run_cli;

namespace {

struct Split {
  int code = -1;
  std::string err;  // stderr alone
};

// Runs the binary with stdout dropped and stderr kept apart (run_cli merges or drops it).
Split run_split(const std::string& args, const fs::path& err_file) {
  const std::string cmd = std::string(CITYTWIN_BINARY) + " " + args + " >/dev/null 2>" + err_file.string();
  const int status = std::system(cmd.c_str());
  Split s;
  s.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::ostringstream text;
  text << in.rdbuf();
  s.err = text.str();
  return s;
}

// Every stderr line as JSON; checks the keys, that done and elapsed_s never
// go back, and that the last line is done == total.
std::vector<nlohmann::json> progress_lines(const std::string& err, const std::string& stage) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(err);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j;
    EXPECT_NO_THROW(j = nlohmann::json::parse(line)) << "not JSON: " << line;
    for (const char* key : {"stage", "hour", "round", "done", "total", "elapsed_s", "eta_s"}) EXPECT_TRUE(j.contains(key)) << key << " in " << line;
    EXPECT_EQ(j["stage"], stage) << line;
    EXPECT_TRUE(j["eta_s"].is_null() || j["eta_s"].get<double>() >= 0) << line;
    if (!out.empty()) {
      EXPECT_GE(j["done"].get<long>(), out.back()["done"].get<long>()) << line;
      EXPECT_GE(j["elapsed_s"].get<double>(), out.back()["elapsed_s"].get<double>()) << line;
      EXPECT_EQ(j["total"], out.back()["total"]) << line;
    }
    EXPECT_LE(j["done"].get<long>(), j["total"].get<long>()) << line;
    out.push_back(std::move(j));
  }
  EXPECT_FALSE(out.empty()) << "no progress lines in: " << err;
  if (!out.empty()) {
    EXPECT_EQ(out.back()["done"], out.back()["total"]);
    EXPECT_EQ(out.back()["eta_s"], 0.0);
  }
  return out;
}

class Progress : public ::testing::Test {
 protected:
  void SetUp() override {
    if (dir_.empty()) dir_ = citytwin::testing::make_cli_city("citytwin_progress", 800, 2);
  }
  static fs::path dir_;
  std::string twin() const { return (dir_ / "city.twin").string(); }
};
fs::path Progress::dir_;

}  // namespace

TEST_F(Progress, RunPrintsJsonLinesPerRoundAndHourEndingAtDone) {
  const auto r = run_split("run " + twin() + " --hours 7-9 --json --progress json -o " + (dir_ / "run.gpkg").string(), dir_ / "run.err");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto lines = progress_lines(r.err, "run");
  std::set<int> hours;
  for (const auto& j : lines) {
    hours.insert(j["hour"].get<int>());
    EXPECT_GE(j["round"].get<int>(), 1);
    EXPECT_EQ(j["total"], 3);
  }
  EXPECT_EQ(hours, (std::set<int>{7, 8, 9}));
  // A line when each hour is done: done takes every value 1..3, and the ETA is known after the first hour.
  std::set<long> done;
  for (const auto& j : lines) done.insert(j["done"].get<long>());
  EXPECT_EQ(done, (std::set<long>{0, 1, 2, 3}));
  EXPECT_TRUE(lines.front()["eta_s"].is_null());
}

TEST_F(Progress, NothingIsPrintedToAPipeUnlessAsked) {
  const auto r = run_split("run " + twin() + " --hours 8 --json -o " + (dir_ / "quiet.gpkg").string(), dir_ / "quiet.err");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto t = run_split("run " + twin() + " --hours 8 -o " + (dir_ / "quiet2.gpkg").string(), dir_ / "quiet2.err");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.err, "");  // auto: stderr is a file here, not a terminal
}

TEST_F(Progress, AssignSweepAndGenerateReportToo) {
  const auto a = run_split("assign " + twin() + " --hours 8-9 --progress json -o " + (dir_ / "assign.gpkg").string(), dir_ / "assign.err");
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(progress_lines(a.err, "assign").back()["total"], 2);

  const auto good = dir_ / "good.toml", other = dir_ / "other.toml", bad = dir_ / "bad.toml";
  std::ofstream(good) << "[parameters]\nev_share = 0.2\n";
  std::ofstream(other) << "[parameters]\nev_share = 0.3\n";
  std::ofstream(bad) << "[[outages]]\nsubstation = \"Atlantis\"\n";
  const auto s = run_split("sweep " + twin() + " " + good.string() + " " + other.string() + " " + bad.string() + " --hours 8-9 --progress json -o " +
                               (dir_ / "sweep").string(),
                           dir_ / "sweep.err");
  EXPECT_NE(s.code, 0);  // the bad scenario fails; its hours still count as done
  std::string json_only;
  std::istringstream lines(s.err);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] == '{') json_only += line + "\n";
  EXPECT_EQ(progress_lines(json_only, "sweep").back()["total"], 6);

  const auto g = run_split("generate --links 600 --progress json -o " + (dir_ / "gen").string(), dir_ / "gen.err");
  ASSERT_EQ(g.code, 0) << g.err;
  EXPECT_EQ(progress_lines(g.err, "generate").size(), 3u);
}

TEST_F(Progress, GenerateRefusesACityThatCannotFit) {
  // 50 million links: about 233,000 zones, far beyond any machine's memory by the model.
  const auto out = dir_ / "huge";
  const auto r = run_cli("generate --links 50000000 -o " + out.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--skip-memory-check"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("available"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}
