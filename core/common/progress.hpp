#pragma once
// Where a long computation is: one event per step (an hour's coupling round,
// a scenario hour of a sweep, a stage of `generate`), with the elapsed time
// and an ETA from the share done so far. Core code reports through callbacks
// (coupling::SimulationOptions::on_progress); only the command-line entry
// points print (app/progress_printer.hpp).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace citytwin {

struct ProgressEvent {
  std::string stage;        // "run", "assign", "sweep", "generate", ...
  int hour = -1;            // hour of day being computed; -1: none
  int round = 0;            // coupling round within the hour; 0: none
  std::int64_t done = 0;    // steps finished (hours, scenario hours, stages)
  std::int64_t total = 0;   // steps in all
  double elapsed_s = 0;
  std::optional<double> eta_s;  // unknown until a step is done
};

// Elapsed time since construction and the ETA of done/total, assuming the
// remaining steps take as long on average as the finished ones.
class ProgressClock {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ProgressClock(Clock::time_point start = Clock::now()) : start_(start) {}
  ProgressEvent event(std::string stage, int hour, int round, std::int64_t done, std::int64_t total,
                      Clock::time_point now = Clock::now()) const;

 private:
  Clock::time_point start_;
};

// The ETA alone: elapsed / done * (total - done); nullopt while done == 0.
std::optional<double> eta_seconds(double elapsed_s, std::int64_t done, std::int64_t total);

}  // namespace citytwin
