#include "viewer/model/controller.hpp"

#include "core/common/errors.hpp"
#include "core/model/snapshot.hpp"
#include "viewer/model/built_in_city.hpp"
#include "viewer/model/results_file.hpp"
#include "viewer/model/scenario_file.hpp"

namespace citytwin::viewer {

namespace {
// What a baseline run runs: no edits, the default parameters.
const coupling::Scenario& baseline_scenario() {
  static const coupling::Scenario s;
  return s;
}
}  // namespace

void Controller::opened(Twin twin, std::string path) {
  run_.cancel();
  run_.wait();
  run_.take();
  twin_ = std::move(twin);
  twin_path_ = std::move(path);
  index_ = PickIndex::build(twin_);
  baseline_.reset();
  scenario_results_.reset();
  state_ = default_state(false);
}

void Controller::open_demo(std::size_t links) {
  opened(built_in_city(links), "(built-in city)");
  demo_ = true;
  from_results_file_ = false;
  missing_.clear();
}

void Controller::open(const std::filesystem::path& file) {
  if (is_results_file(file)) {
    // a results GeoPackage alone: its twin and its results, no scenario runs
    ResultsFile rf = open_results_file(file);
    opened(std::move(rf.twin), file.string());
    baseline_ = std::move(rf.results);
    missing_ = std::move(rf.missing);
    from_results_file_ = true;
  } else {
    opened(read_snapshot(file), file.string());
    missing_.clear();
    from_results_file_ = false;
  }
  demo_ = false;
}

void Controller::add_results(const std::filesystem::path& gpkg) {
  if (from_results_file_)
    throw InvalidInput("--results is for a .twin; " + twin_path_ + " is a results file already", {.field = "--results"});
  baseline_ = read_results_file(gpkg, twin_);
  scenario_results_.reset();
}

void Controller::reset_view() {
  coupling::Scenario scenario = std::move(state_.scenario);
  ScenarioNotes notes = std::move(state_.notes);
  state_ = default_state(baseline_.has_value());
  state_.scenario = std::move(scenario);
  state_.notes = std::move(notes);
}

std::vector<std::string> Controller::load_scenario(const std::filesystem::path& path) {
  std::vector<std::string> warnings;
  ScenarioNotes notes;
  state_.scenario = read_scenario(path, twin_, &notes, &warnings);
  state_.notes = std::move(notes);
  scenario_results_.reset();
  return warnings;
}

void Controller::save_scenario(const std::filesystem::path& path) const {
  write_scenario(path, state_.scenario, state_.notes, twin_, demo_ ? std::string() : twin_path_);
}

std::string Controller::run_label(bool baseline) const {
  if (baseline || !has_edits(state_.scenario)) return "baseline (coupled run)";
  return "scenario: " + state_.scenario.name + " (coupled run)";
}

void Controller::start_run() {
  if (!can_run()) {
    status_ = kResultsFileCannotRun;
    return;
  }
  run_is_baseline_ = !baseline_;
  run_.start(twin_, run_is_baseline_ ? baseline_scenario() : state_.scenario, run_label(run_is_baseline_));
  status_ = run_is_baseline_ ? "running the baseline first" : "running the scenario";
}

bool Controller::update() {
  switch (run_.state()) {
    case BackgroundRun::State::Idle:
    case BackgroundRun::State::Running: return false;
    case BackgroundRun::State::Failed:
      status_ = "run failed: " + run_.error();
      run_.take();
      return false;
    case BackgroundRun::State::Cancelled:
      status_ = "run cancelled";
      run_.take();
      return false;
    case BackgroundRun::State::Done: break;
  }
  if (run_is_baseline_) {
    baseline_ = run_.take();
    run_is_baseline_ = false;
    if (has_edits(state_.scenario)) {
      run_.start(twin_, state_.scenario, run_label(false));
      status_ = "baseline done; running the scenario";
    } else {
      status_ = "baseline run finished";
    }
  } else {
    scenario_results_ = run_.take();
    if (state_.view == View::Baseline) state_.view = View::Scenario;
    status_ = "scenario run finished";
  }
  // results are in: show an hourly metric on the roads
  if (state_.layer(Layer::Roads).metric && !state_.layer(Layer::Roads).metric->hourly)
    state_.layer(Layer::Roads).metric = find_metric(Layer::Roads, "vc");
  return true;
}

void Controller::wait_for_runs() {
  while (run_.state() != BackgroundRun::State::Idle) {
    run_.wait();
    update();
  }
}

void Controller::run_now() {
  if (!can_run()) throw BackendUnavailable(std::string("--run: ") + kResultsFileCannotRun, {.file = twin_path_});
  RunProgress progress;
  if (!baseline_) baseline_ = run_coupled(twin_, baseline_scenario(), progress, run_label(true));
  if (has_edits(state_.scenario)) scenario_results_ = run_coupled(twin_, state_.scenario, progress, run_label(false));
}

RunStatus Controller::run_status() const {
  RunStatus s;
  s.available = can_run();
  if (!s.available) s.unavailable_reason = kResultsFileCannotRun;
  s.running = run_.state() == BackgroundRun::State::Running;
  s.baseline_first = s.running && run_is_baseline_;
  s.fraction = run_.fraction();
  s.stage = run_.stage();
  return s;
}

void Controller::handle(PanelRequests& r) {
  if (r.request_save) {
    try {
      save_scenario(r.scenario_path);
      status_ = "saved " + r.scenario_path;
    } catch (const std::exception& e) {
      status_ = e.what();
    }
  }
  if (r.request_load) {
    try {
      const auto warnings = load_scenario(r.scenario_path);
      r.fields_dirty = true;
      status_ = "loaded " + r.scenario_path;
      for (const auto& w : warnings) status_ += "\n" + w;
    } catch (const std::exception& e) {
      status_ = e.what();
    }
  }
  if (r.request_run) start_run();
  if (r.request_cancel) cancel_run();
  if (update()) r.fields_dirty = true;
  r.request_save = r.request_load = r.request_run = r.request_cancel = false;
}

}  // namespace citytwin::viewer
