#pragma once
// A generated city made with the real binary for CLI tests: `<folder>/city/`
// (the departments' files and manifest) and `<folder>/city.twin`. Throws with
// the binary's output when either step fails (a failed SetUp).
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/support/run_cli.hpp"

namespace citytwin::testing {

inline std::filesystem::path make_cli_city(const std::string& prefix, int links, int seed) {
  const auto dir = std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto g = run_cli("generate --links " + std::to_string(links) + " --seed " + std::to_string(seed) + " -o " + (dir / "city").string());
  if (g.code != 0) throw std::runtime_error("citytwin generate failed: " + g.out);
  const auto i = run_cli("import " + (dir / "city/manifest.toml").string() + " -o " + (dir / "city.twin").string());
  if (i.code != 0) throw std::runtime_error("citytwin import failed: " + i.out);
  return dir;
}

}  // namespace citytwin::testing
