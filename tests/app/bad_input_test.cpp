// The bad-input corpus (tests/bad_input/cases.txt): each file through the
// real `citytwin` binary must give its message and exit code, never a crash,
// a hang or exit 70. Plus the inputs that cannot be files in a repository:
// a FIFO where a file is expected.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/cli_city.hpp"
#include "tests/support/run_cli.hpp"

namespace fs = std::filesystem;
using citytwin::testing::run_cli;

namespace {

const fs::path kCorpus = fs::path(CITYTWIN_SOURCE_DIR) / "tests" / "bad_input";

struct Case {
  std::string file, message, args;
  int code = 0;
  int line = 0;
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<Case> read_cases() {
  std::vector<Case> cases;
  std::ifstream in(kCorpus / "cases.txt");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (int k = 0; k < 3; ++k) {
      const auto bar = line.find(" | ", start);
      if (bar == std::string::npos) break;
      parts.push_back(trim(line.substr(start, bar - start)));
      start = bar + 3;
    }
    parts.push_back(trim(line.substr(start)));
    if (parts.size() != 4) {
      ADD_FAILURE() << "cases.txt line " << n << " is not 'file | code | message | args'";
      continue;
    }
    cases.push_back({parts[0], parts[2], parts[3], std::stoi(parts[1]), n});
  }
  return cases;
}

// `citytwin args` under a time limit (exit 124 when it had to be killed).
citytwin::testing::CliRun run_limited(int seconds, const std::string& args) {
  citytwin::testing::CliRun r;
  const std::string cmd = "timeout " + std::to_string(seconds) + " " + std::string(CITYTWIN_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe)) r.out += buffer;
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dir_.empty()) return;
    dir_ = citytwin::testing::make_cli_city("citytwin_bad_input", 800, 2);
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static fs::path dir_;
};
fs::path BadInput::dir_;

}  // namespace

TEST_F(BadInput, EveryCorpusFileGivesItsMessageAndExitCode) {
  const auto cases = read_cases();
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(kCorpus)) files += e.path().filename() != "cases.txt";
  EXPECT_GE(files, 40u) << "the corpus has at least 40 files";
  EXPECT_GE(cases.size(), 40u);
  int n = 0;
  for (const Case& c : cases) {
    const fs::path file = kCorpus / c.file;
    if (c.file != "-") {
      EXPECT_TRUE(fs::is_regular_file(file)) << "cases.txt line " << c.line << ": no corpus file " << c.file;
    }
    std::string args = replace_all(c.args, "{file}", file.string());
    args = replace_all(args, "{dir}", kCorpus.string());
    args = replace_all(args, "{twin}", (dir_ / "city.twin").string());
    args = replace_all(args, "{out}", (dir_ / ("out" + std::to_string(++n)) / "r.gpkg").string());
    // A regression that hangs fails here instead of blocking the suite.
    const auto r = run_limited(60, args);
    EXPECT_EQ(r.code, c.code) << "cases.txt line " << c.line << ": citytwin " << args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << "cases.txt line " << c.line << ": '" << c.message << "' missing from:\n" << r.out;
    EXPECT_EQ(r.out.find("internal error"), std::string::npos) << r.out;
  }
}

TEST_F(BadInput, AFifoWhereAFileIsExpectedIsAnErrorNotAHang) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string twin = (dir_ / "city.twin").string(), out = (dir_ / "fifo-out" / "r.gpkg").string();
  std::ofstream(dir_ / "fifo_manifest.toml") << "[roads]\nsource = \"" << fifo.string() << "\"\n";
  const std::vector<std::string> commands = {
      "info " + fifo.string(),
      "run " + twin + " " + fifo.string() + " --hours 8 -o " + out,
      "run " + twin + " --od " + fifo.string() + " --hours 8 -o " + out,
      "assign --net " + fifo.string() + " --trips " + (kCorpus / "trips_1e40.tntp").string(),
      "powerflow " + fifo.string(),
      "import " + fifo.string() + " -o " + out,
      "import " + (dir_ / "fifo_manifest.toml").string() + " -o " + out,
  };
  for (const auto& args : commands) {
    const auto r = run_limited(20, args);
    EXPECT_NE(r.code, 124) << "hung: citytwin " << args;
    EXPECT_EQ(r.code, 2) << "citytwin " << args << "\n" << r.out;
    EXPECT_NE(r.out.find("FIFO"), std::string::npos) << "citytwin " << args << "\n" << r.out;
  }
}

TEST_F(BadInput, ARepeatableOptionLeavesThePositionalArgumentAlone) {
  // --load-factors takes one (comma-separated) value; the case after it is the positional.
  const fs::path case9 = fs::path(CITYTWIN_SHARED_DATA) / "matpower" / "case9.m";
  const auto r = run_cli("powerflow --load-factors 0.9,1.0 " + case9.string() + " --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"items\": 2"), std::string::npos) << r.out;
}

TEST_F(BadInput, CompareNamesARenamedResultsColumnInsteadOfFailingALookup) {
  // A results file whose hours table has a column renamed (by hand, or by another version).
  const fs::path out = dir_ / "compare";
  const auto r = run_cli("run " + (dir_ / "city.twin").string() + " --hours 8 -o " + (out / "a.gpkg").string());
  ASSERT_EQ(r.code, 0) << r.out;
  fs::copy_file(out / "a.run" / "a.gpkg", out / "b.gpkg");
  const std::string rename = "ogrinfo " + (out / "b.gpkg").string() + " -sql \"ALTER TABLE hours RENAME COLUMN delay_hours TO delay_h\" >/dev/null 2>&1";
  ASSERT_EQ(std::system(rename.c_str()), 0) << "GDAL's ogrinfo renames the column";
  const auto c = run_limited(60, "compare " + (out / "a.gpkg").string() + " " + (out / "b.gpkg").string());
  EXPECT_EQ(c.code, 2) << c.out;
  EXPECT_NE(c.out.find("b.gpkg, layer 'hours', field 'delay_hours'"), std::string::npos) << c.out;
  EXPECT_EQ(c.out.find("map::at"), std::string::npos) << c.out;
}
