#pragma once
// The viewer's controller, without GL or ImGui: what is open (a .twin, a
// results GeoPackage alone, or the built-in demo city), its results, the
// scenario being edited and its files, and the run state machine (baseline
// first when there is none, then the scenario, in the background with
// progress and cancel). The panels raise PanelRequests; handle() fulfils the
// ones that need no GL (save, load, run, cancel). The app (viewer/app) and
// the null-backend tests drive the same object.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/model/twin.hpp"
#include "viewer/model/background_run.hpp"
#include "viewer/model/built_in_city.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/selection.hpp"
#include "viewer/model/view_state.hpp"

namespace citytwin::viewer {

// What the panels ask for in one frame (reset once fulfilled).
struct PanelRequests {
  bool fields_dirty = false;    // metric, hour, view, scenario or results changed: re-evaluate and upload
  bool request_fit = false;     // zoom to extent (the app)
  bool request_export = false;  // export PNG to export_path (the app)
  bool request_save = false, request_load = false;  // scenario file at scenario_path
  bool request_run = false, request_cancel = false;
  std::string export_path = "citytwin-map.png";
  std::string scenario_path = "scenario.toml";
};

// The run state the scenario panel shows.
struct RunStatus {
  bool available = false;          // false: a twin from a results file (reason in unavailable_reason)
  std::string unavailable_reason;
  bool running = false;
  bool baseline_first = false;     // the running run is the baseline the scenario needs
  float fraction = 0;
  std::string stage;               // "hour 08, round 2"
};

class Controller {
 public:
  Controller() = default;
  Controller(const Controller&) = delete;  // the pick index points into the twin
  Controller& operator=(const Controller&) = delete;

  // Loading (InvalidInput / IoError). Each replaces what was open.
  void open_demo(std::size_t links = kBuiltInCityLinks);  // the built-in city (built_in_city.hpp)
  void open(const std::filesystem::path& file);     // a .twin snapshot or a results GeoPackage alone
  void add_results(const std::filesystem::path& gpkg);  // `--results` of the open .twin: the baseline
  // The first view: default_state() for the results at hand, keeping the scenario.
  void reset_view();

  const Twin& twin() const { return twin_; }
  const std::string& twin_path() const { return twin_path_; }
  bool is_demo() const { return demo_; }
  const MissingAttributes* missing() const { return from_results_file_ ? &missing_ : nullptr; }
  const PickIndex& index() const { return index_; }
  const Results* baseline() const { return baseline_ ? &*baseline_ : nullptr; }
  const Results* scenario_results() const { return scenario_results_ ? &*scenario_results_ : nullptr; }
  ViewerState& state() { return state_; }
  const ViewerState& state() const { return state_; }
  MetricInputs inputs() const { return {&twin_, baseline(), scenario_results(), &state_.scenario}; }

  // Scenario files: Load replaces the scenario (and drops its results);
  // returns what the viewer does not show. Save writes the run's format.
  std::vector<std::string> load_scenario(const std::filesystem::path& path);
  void save_scenario(const std::filesystem::path& path) const;

  // Runs: the baseline (an unedited scenario) when there is none, then the scenario.
  bool can_run() const { return !from_results_file_; }
  void start_run();
  void cancel_run() { run_.cancel(); }
  // Takes a finished run's results, starts the scenario after its baseline,
  // sets the status. True when results arrived (re-evaluate the fields).
  bool update();
  // Until no run is in flight (tests; a headless caller).
  void wait_for_runs();
  // Synchronous: baseline when none, scenario when it has edits (--run). BackendUnavailable when !can_run().
  void run_now();
  RunStatus run_status() const;

  // The panels' save / load / run / cancel requests, then update(); sets
  // r.fields_dirty when the fields must be re-evaluated. Errors go to status().
  void handle(PanelRequests& r);

  const std::string& status() const { return status_; }
  void set_status(std::string s) { status_ = std::move(s); }

 private:
  void opened(Twin twin, std::string path);
  std::string run_label(bool baseline) const;

  Twin twin_;
  std::string twin_path_;
  bool demo_ = false, from_results_file_ = false;
  MissingAttributes missing_;
  PickIndex index_;
  std::optional<Results> baseline_, scenario_results_;
  ViewerState state_ = default_state(false);
  std::string status_;
  bool run_is_baseline_ = false;
  BackgroundRun run_;  // last: stopped before the twin it reads goes
};

}  // namespace citytwin::viewer
