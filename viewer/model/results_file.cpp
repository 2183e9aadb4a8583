#include "viewer/model/results_file.hpp"

#include "core/common/errors.hpp"
#include "geo/io/results_reader.hpp"

namespace citytwin::viewer {

namespace {

class ResultsFileRunner : public ScenarioRunner {
 public:
  std::string name() const override { return "none (results file)"; }
  bool available() const override { return false; }
  std::string unavailable_reason() const override {
    return "Opened from a results file: it holds the run's results, not the twin's demand model or grid impedances. "
           "Open the .twin (citytwin-viewer city.twin --results run.gpkg) to run scenarios.";
  }
  Results run(const Twin&, const Scenario&, RunProgress&) override {
    throw BackendUnavailable(unavailable_reason());
  }
};

}  // namespace

bool is_results_file(const std::filesystem::path& file) {
  return file.extension() == ".gpkg" || geo::is_sqlite_file(file);
}

ResultsFile open_results_file(const std::filesystem::path& gpkg) {
  geo::ResultsTwin rt = geo::read_results_twin(gpkg);
  ResultsFile out;
  out.twin = std::move(rt.twin);
  out.missing = std::move(rt.missing);
  out.results = results_from_simulation(out.twin, geo::read_results(gpkg, out.twin));
  out.results.label = gpkg.stem().string();
  return out;
}

std::unique_ptr<ScenarioRunner> make_results_file_runner() { return std::make_unique<ResultsFileRunner>(); }

}  // namespace citytwin::viewer
