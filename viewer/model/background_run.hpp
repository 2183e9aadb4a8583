#pragma once
// The coupled traffic + grid run (coupling::simulate over the 24 hours) on a
// worker thread, with progress (the hour being solved) and cancel, producing
// the viewer's Results. The Controller runs the baseline and the scenario
// through it.
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/coupling/scenario.hpp"
#include "viewer/model/results.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

struct RunProgress {
  std::atomic<float> fraction{0};
  std::atomic<bool> cancel{false};
  void set_stage(std::string s) {
    std::lock_guard lock(mutex);
    stage = std::move(s);
  }
  std::string get_stage() const {
    std::lock_guard lock(mutex);
    return stage;
  }

 private:
  mutable std::mutex mutex;
  std::string stage;
};

struct RunCancelled {};  // thrown by run_coupled() when progress.cancel is set

// coupling::simulate over the 24 hours; its result labelled `label`.
Results run_coupled(const Twin& twin, const coupling::Scenario& scenario, RunProgress& progress, std::string label);

// One run on a worker thread. The twin must outlive it.
class BackgroundRun {
 public:
  enum class State { Idle, Running, Done, Failed, Cancelled };
  BackgroundRun() = default;
  ~BackgroundRun();
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  void start(const Twin& twin, coupling::Scenario scenario, std::string label);
  void cancel();
  State state() const { return state_.load(); }
  float fraction() const { return progress_.fraction.load(); }
  std::string stage() const { return progress_.get_stage(); }
  std::string error() const;
  // Takes the results once after State::Done (empty afterwards); after
  // Failed or Cancelled it returns nothing and goes back to Idle.
  std::optional<Results> take();
  void wait();

 private:
  std::thread worker_;
  RunProgress progress_;
  std::atomic<State> state_{State::Idle};
  mutable std::mutex mutex_;
  std::optional<Results> results_;
  std::string error_;
};

}  // namespace citytwin::viewer
