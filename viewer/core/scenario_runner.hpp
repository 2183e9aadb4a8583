#pragma once
// Running a scenario in the background. THE HOOK for the coupled engine:
// core/coupling does not exist yet, so make_coupled_runner() returns a runner
// whose available() is false and whose reason the viewer shows next to the
// disabled "Run" button. When the coupled run lands, implement
// ScenarioRunner::run() there (twin + scenario -> Results, report progress,
// honour cancel) and return it from make_coupled_runner(); the panels, the
// progress bar, cancel and the baseline / scenario / diff views already work
// against this interface (see DemoRunner, used with --demo-results).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "viewer/core/results.hpp"
#include "viewer/core/scenario.hpp"

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

struct RunCancelled {};  // thrown by run() when progress.cancel is set

class ScenarioRunner {
 public:
  virtual ~ScenarioRunner() = default;
  virtual std::string name() const = 0;
  virtual bool available() const = 0;
  virtual std::string unavailable_reason() const { return {}; }
  // Baseline results (an empty scenario) and scenario results share this call.
  virtual Results run(const Twin& twin, const Scenario& scenario, RunProgress& progress) = 0;
};

// The coupled traffic + grid engine (not written yet: unavailable).
std::unique_ptr<ScenarioRunner> make_coupled_runner();

// Deterministic synthetic results for demonstrating and testing the viewer:
// a diurnal profile times class-based loads, BPR speeds, capacity cuts and
// failures applied. Labelled synthetic; never a model result.
class DemoRunner : public ScenarioRunner {
 public:
  explicit DemoRunner(std::uint64_t seed = 1) : seed_(seed) {}
  std::string name() const override { return "synthetic demo"; }
  bool available() const override { return true; }
  Results run(const Twin& twin, const Scenario& scenario, RunProgress& progress) override;

 private:
  std::uint64_t seed_;
};
Results synthetic_results(const Twin& twin, const Scenario& scenario, std::uint64_t seed = 1);

// One run on a worker thread. The twin and runner must outlive it.
class BackgroundRun {
 public:
  enum class State { Idle, Running, Done, Failed, Cancelled };
  BackgroundRun() = default;
  ~BackgroundRun();
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  void start(ScenarioRunner& runner, const Twin& twin, Scenario scenario);
  void cancel();
  State state() const { return state_.load(); }
  float fraction() const { return progress_.fraction.load(); }
  std::string stage() const { return progress_.get_stage(); }
  std::string error() const;
  // Takes the results once after State::Done (empty afterwards).
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
