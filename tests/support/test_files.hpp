#pragma once
// A fresh temporary folder per test process for the small input files a test
// writes (so each bad-input test states exactly what is wrong), and the check
// that an error names what it must. CITYTWIN_KEEP_TEST_FILES=1 keeps the
// folders (and prints where) to look at what a test wrote.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/common/errors.hpp"

namespace citytwin::testing {

class TempDir {
 public:
  // Per process: ctest -j runs test cases of one binary in parallel processes.
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("citytwin_test_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    if (std::getenv("CITYTWIN_KEEP_TEST_FILES")) std::printf("test files kept in %s\n", path_.c_str());
    else std::filesystem::remove_all(path_);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& f) const { return path_ / f; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

// Runs f, expects an exception of type E whose message contains every
// needle; returns the message ("" when nothing was thrown).
template <class E, class F>
std::string expect_error(F&& f, std::initializer_list<std::string> needles) {
  try {
    f();
    ADD_FAILURE() << "expected an error";
  } catch (const E& e) {
    const std::string what = e.what();
    for (const auto& n : needles) EXPECT_NE(what.find(n), std::string::npos) << "'" << n << "' missing from: " << what;
    return what;
  }
  return {};
}

}  // namespace citytwin::testing
