#include "viewer/model/background_run.hpp"

#include <cstdio>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::viewer {

Results run_coupled(const Twin& twin, const coupling::Scenario& scenario, RunProgress& progress, std::string label) {
  coupling::SimulationOptions options;
  options.on_progress = [&progress](const coupling::Progress& p) {
    if (progress.cancel) throw RunCancelled{};
    progress.fraction = p.hours_total > 0 ? float(p.hours_done) / float(p.hours_total) : 0.f;
    char stage[64];
    std::snprintf(stage, sizeof stage, "hour %02d, round %d", p.hour, p.round);
    progress.set_stage(stage);
  };
  progress.set_stage("demand");
  coupling::SimulationResult sim = coupling::simulate(twin, scenario, options);
  if (progress.cancel) throw RunCancelled{};
  progress.fraction = 1.0f;
  return Results(std::move(sim), std::move(label));
}

BackgroundRun::~BackgroundRun() {
  cancel();
  wait();
}

void BackgroundRun::start(const Twin& twin, coupling::Scenario scenario, std::string label) {
  cancel();
  wait();
  progress_.fraction = 0;
  progress_.cancel = false;
  progress_.set_stage("starting");
  {
    std::lock_guard lock(mutex_);
    results_.reset();
    error_.clear();
  }
  state_ = State::Running;
  worker_ = std::thread([this, &twin, scenario = std::move(scenario), label = std::move(label)]() mutable {
    try {
      Results r = run_coupled(twin, scenario, progress_, std::move(label));
      std::lock_guard lock(mutex_);
      results_ = std::move(r);
      state_ = State::Done;
    } catch (const RunCancelled&) {
      state_ = State::Cancelled;
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      error_ = e.what();
      state_ = State::Failed;
    }
  });
}

void BackgroundRun::cancel() { progress_.cancel = true; }

void BackgroundRun::wait() {
  if (worker_.joinable()) worker_.join();
}

std::string BackgroundRun::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::optional<Results> BackgroundRun::take() {
  const State st = state_;
  if (st == State::Failed || st == State::Cancelled) {  // acknowledge: back to Idle
    wait();
    state_ = State::Idle;
    return std::nullopt;
  }
  if (st != State::Done) return std::nullopt;
  wait();
  std::lock_guard lock(mutex_);
  std::optional<Results> out = std::move(results_);
  results_.reset();
  state_ = State::Idle;
  return out;
}

}  // namespace citytwin::viewer
