#pragma once
// Runs the built `citytwin` binary for end-to-end tests. The test target
// defines CITYTWIN_BINARY (the path of the executable).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace citytwin::testing {

struct CliRun {
  int code = -1;
  std::string out;  // stdout, and stderr too unless dropped
};

// `merge_stderr` false drops stderr (for JSON read from stdout); `launcher`
// goes before the binary (e.g. "mpirun -n 2").
inline CliRun run_cli(const std::string& args, bool merge_stderr = true, const std::string& launcher = "") {
  const std::string cmd = (launcher.empty() ? "" : launcher + " ") + std::string(CITYTWIN_BINARY) + " " + args +
                          (merge_stderr ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) r.out += buffer.data();
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace citytwin::testing
