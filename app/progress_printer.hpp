#pragma once
// Progress of a long command on stderr: `--progress auto` (the default) draws
// one rewritten line with an ETA when stderr is a terminal and the command
// prints no JSON; `--progress json` prints one JSON object per event and line
// ({"stage","hour","round","done","total","elapsed_s","eta_s"}, eta_s null
// while unknown) for programs driving citytwin; `--progress none` is silent.
// Logs and tests stay clean: nothing is printed to a pipe unless asked.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/common/progress.hpp"
#include "core/coupling/simulation.hpp"

namespace citytwin::app {

enum class ProgressMode { None, Terminal, Json };

// Adds --progress auto|terminal|json|none to a subcommand.
void add_progress_option(CLI::App& command, std::string& choice);
// `auto`: Terminal when stderr is a terminal and `json_output` is off, else None.
ProgressMode progress_mode(const std::string& choice, bool json_output);

// Thread-safe (a sweep reports from several scenarios at once).
class ProgressPrinter {
 public:
  ProgressPrinter(ProgressMode mode, std::string stage);
  ~ProgressPrinter();  // clears the terminal line
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  bool active() const { return mode_ != ProgressMode::None; }
  void report(int hour, int round, std::int64_t done, std::int64_t total);
  // Adds `finished` steps to the printer's own count and reports it (several
  // workers reporting into one count, printed in order: done never goes back).
  void advance(int hour, int round, std::int64_t finished, std::int64_t total);
  // A simulation's callback, reporting its hours (nothing when inactive).
  std::function<void(const coupling::Progress&)> simulation_callback();

 private:
  ProgressMode mode_;
  std::string stage_;
  ProgressClock clock_;
  std::mutex mutex_;
  bool drawn_ = false;
  std::int64_t done_ = 0;  // advance()'s count

  void print(int hour, int round, std::int64_t done, std::int64_t total);  // with mutex_ held
};

}  // namespace citytwin::app
