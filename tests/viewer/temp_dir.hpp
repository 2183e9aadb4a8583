#pragma once
// One scratch folder per viewer test process (a TempDir of tests/support),
// with a sub-folder per use, removed when the program ends.
#include <filesystem>
#include <string>

#include "tests/support/test_files.hpp"

namespace citytwin::viewer::test_support {

// <the process's scratch folder>/name, created.
inline std::filesystem::path scratch_dir(const std::string& name) {
  static const citytwin::testing::TempDir root("viewer");
  const auto d = root / name;
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace citytwin::viewer::test_support
