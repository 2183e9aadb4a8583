#pragma once
// A small city made by the real `citytwin` CLI once per test process:
// generate, import, run --hours 7-9. The test target defines CITYTWIN_BINARY.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"
#include "tests/support/run_cli.hpp"

namespace citytwin::viewer::test_support {

struct CliCity {
  std::filesystem::path twin, gpkg;
  std::string error;  // non-empty when a command failed (its output)
};

inline const CliCity& cli_city() {
  static const CliCity city = [] {
    CliCity c;
    const auto dir = scratch_dir("cli_city");
    c.twin = dir / "city.twin";
    c.gpkg = dir / "run.gpkg";
    for (const std::string& args :
         {std::string("generate --links 2000 --seed 3 -o ").append((dir / "city").string()),
          std::string("import ").append((dir / "city/manifest.toml").string()).append(" -o ").append(c.twin.string()),
          std::string("run ").append(c.twin.string()).append(" -o ").append(c.gpkg.string()).append(" --hours 7-9")}) {
      const auto r = citytwin::testing::run_cli(args);
      if (r.code != 0) {
        c.error = "citytwin " + args + " failed (" + std::to_string(r.code) + "):\n" + r.out;
        break;
      }
    }
    return c;
  }();
  return city;
}

}  // namespace citytwin::viewer::test_support
