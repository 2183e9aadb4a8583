#pragma once
// Running a scenario in the background: the coupled traffic + grid run
// (core/coupling, coupling::simulate) behind a small interface, on a worker
// thread with progress and cancel, producing the viewer's Results. The panels
// (progress bar, cancel, baseline / scenario / diff views, KPIs) only know
// ScenarioRunner; DemoRunner (--demo-results) makes synthetic results for
// trying the workflow without waiting for the model.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "viewer/model/results.hpp"
#include "viewer/model/scenario.hpp"

namespace citytwin {
struct Twin;
namespace coupling {
struct SimulationResult;
}
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

// The coupled traffic + grid run (coupling::simulate over the 24 hours).
std::unique_ptr<ScenarioRunner> make_coupled_runner();
// Its result as the viewer's Results (per-element hourly arrays and KPIs).
Results results_from_simulation(const Twin& twin, const coupling::SimulationResult& sim);

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
