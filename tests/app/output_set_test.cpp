// A run's three outputs are one set: published by one rename, so a reader (or
// a kill at any moment) sees the old complete set or the new one, never a
// GeoPackage of one run beside the summary of another; temporaries of dead
// processes are removed by the next run.
#include "app/output_set.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/cli_city.hpp"
#include "tests/support/run_cli.hpp"

extern char** environ;

namespace fs = std::filesystem;
using citytwin::testing::run_cli;

namespace {

class OutputSet : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dir_.empty()) return;
    dir_ = citytwin::testing::make_cli_city("citytwin_output_set", 1500, 4);
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static fs::path dir_;
};
fs::path OutputSet::dir_;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The hour in the set's summary and in its CSV; they must agree (one run).
int set_hour(const fs::path& folder) {
  const auto j = nlohmann::json::parse(slurp(folder / "r.summary.json"));
  const int from_json = j["hours"].at(0)["hour"].get<int>();
  const std::string csv = slurp(folder / "r.hours.csv");
  const auto row = csv.substr(csv.find('\n') + 1);
  const int from_csv = std::stoi(row.substr(row.find(',') + 1));
  EXPECT_EQ(from_json, from_csv) << "summary and hours.csv from different runs";
  EXPECT_GT(fs::file_size(folder / "r.gpkg"), 0u);
  return from_json;
}

// A pid that certainly belonged to a process that has exited.
pid_t dead_pid() {
  const pid_t p = ::fork();
  if (p == 0) ::_exit(0);
  ::waitpid(p, nullptr, 0);
  return p;
}

}  // namespace

TEST_F(OutputSet, TheThreeFilesArePublishedTogetherAsOneFolderWithLinks) {
  const fs::path out = dir_ / "plain";
  ASSERT_EQ(run_cli("run " + (dir_ / "city.twin").string() + " --hours 8 -o " + (out / "r.gpkg").string()).code, 0);
  EXPECT_TRUE(fs::is_directory(out / "r.run"));
  for (const char* f : {"r.gpkg", "r.summary.json", "r.hours.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(out / "r.run" / f)) << f;
    EXPECT_TRUE(fs::is_symlink(out / f)) << f;
    EXPECT_EQ(fs::canonical(out / f), fs::canonical(out / "r.run" / f)) << f;
  }
  EXPECT_EQ(set_hour(out / "r.run"), 8);
  // A second run replaces the whole set.
  ASSERT_EQ(run_cli("run " + (dir_ / "city.twin").string() + " --hours 9 -o " + (out / "r.gpkg").string()).code, 0);
  EXPECT_EQ(set_hour(out / "r.run"), 9);
  for (const auto& e : fs::directory_iterator(out)) EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(OutputSet, AKillAtAnyMomentLeavesTheOldSetOrTheNewOneNeverAMix) {
  const fs::path out = dir_ / "killed";
  const std::string twin = (dir_ / "city.twin").string(), gpkg = (out / "r.gpkg").string();
  ASSERT_EQ(run_cli("run " + twin + " --hours 8 -o " + gpkg).code, 0);
  int next = 9;
  for (int delay_ms = 0; delay_ms <= 240; delay_ms += 6, next = next == 9 ? 10 : 9) {
    const std::string hours = std::to_string(next);
    const char* argv[] = {CITYTWIN_BINARY, "run", twin.c_str(), "--hours", hours.c_str(), "-o", gpkg.c_str(), "--json", nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t child = 0;
    ASSERT_EQ(posix_spawn(&child, CITYTWIN_BINARY, &fa, nullptr, const_cast<char**>(argv), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    // Whatever the moment: the links resolve to one complete set.
    const int h = set_hour(out / "r.run");
    EXPECT_TRUE(h >= 8 && h <= 10) << h;
    EXPECT_EQ(set_hour(out), h) << "the links point into the set";
  }
  // The next run cleans the killed runs' temporaries.
  ASSERT_EQ(run_cli("run " + twin + " --hours 11 -o " + gpkg).code, 0);
  EXPECT_EQ(set_hour(out / "r.run"), 11);
  for (const auto& e : fs::directory_iterator(out)) EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(OutputSet, StaleTemporariesOfDeadProcessesAreRemovedLiveOnesKept) {
  const fs::path out = dir_ / "stale";
  fs::create_directories(out);
  const std::string dead = std::to_string(dead_pid()), live = std::to_string(::getpid());
  fs::create_directories(out / (".tmp-" + dead + "-r.run"));
  std::ofstream(out / (".tmp-" + dead + "-r.run") / "r.gpkg") << "half a GeoPackage";
  std::ofstream(out / (".tmp-" + dead + "-old.gpkg")) << "53 MB once";
  std::ofstream(out / (".tmp-" + live + "-other.gpkg")) << "another run, still writing";
  std::ofstream(out / ".tmp-notapid-keep") << "not ours";
  ASSERT_EQ(run_cli("run " + (dir_ / "city.twin").string() + " --hours 8 -o " + (out / "r.gpkg").string()).code, 0);
  EXPECT_FALSE(fs::exists(out / (".tmp-" + dead + "-r.run")));
  EXPECT_FALSE(fs::exists(out / (".tmp-" + dead + "-old.gpkg")));
  EXPECT_TRUE(fs::exists(out / (".tmp-" + live + "-other.gpkg")));
  EXPECT_TRUE(fs::exists(out / ".tmp-notapid-keep"));
}

TEST(OutputSetUnit, AFailedWriteLeavesThePreviousSetUntouched) {
  const fs::path out = fs::temp_directory_path() / ("citytwin_output_set_unit_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const fs::path gpkg = out / "r.gpkg";
  citytwin::app::publish_run_set(gpkg, [](const citytwin::app::RunSetPaths& p) {
    for (const auto* f : {&p.gpkg, &p.summary, &p.hours}) std::ofstream(*f) << "first";
  });
  EXPECT_THROW(citytwin::app::publish_run_set(gpkg,
                                              [](const citytwin::app::RunSetPaths& p) {
                                                std::ofstream(p.gpkg) << "second";
                                                throw std::runtime_error("disk full");
                                              }),
               std::runtime_error);
  EXPECT_EQ(slurp(gpkg), "first");
  EXPECT_EQ(slurp(out / "r.hours.csv"), "first");
  for (const auto& e : fs::directory_iterator(out)) EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  fs::remove_all(out);
}
