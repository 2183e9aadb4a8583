#pragma once
// A per-process scratch folder for the viewer tests, removed when the test
// program ends (kept, and printed, when CITYTWIN_KEEP_SCREENSHOTS is set).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace citytwin::viewer::test_support {

inline std::filesystem::path scratch_root() {
  return std::filesystem::temp_directory_path() / ("citytwin_viewer_tests_" + std::to_string(::getpid()));
}

struct ScratchCleanup : ::testing::Environment {
  void TearDown() override {
    const auto d = scratch_root();
    if (!std::filesystem::exists(d)) return;
    if (std::getenv("CITYTWIN_KEEP_SCREENSHOTS")) std::printf("test files kept in %s\n", d.c_str());
    else std::filesystem::remove_all(d);
  }
};
inline ::testing::Environment* const kScratchCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

// scratch_root()/name, created.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto d = scratch_root() / name;
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace citytwin::viewer::test_support
