// citytwin sweep: many scenarios of one twin in parallel, each written atomically.
#include <tbb/parallel_for.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <mutex>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/hour_range.hpp"
#include "app/output_set.hpp"
#include "app/progress_printer.hpp"
#include "app/result_checks.hpp"
#include "app/run_summary.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/io/results_writer.hpp"
#include "geo/io/scenario_file.hpp"

namespace citytwin::app {

void add_sweep_command(CLI::App& app) {
  struct Options {
    std::string twin, out, hours = "0-23", progress = "auto";
    std::vector<std::string> scenarios;
    unsigned threads = 0;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("sweep",
      "Run many scenarios of one twin in parallel across cores. Each scenario writes\n"
      "<out>/<stem>.gpkg (+ .summary.json, .hours.csv), published together as <out>/<stem>.run/; results do\n"
      "not depend on the thread count. A scenario that fails is reported and the others go on;\n"
      "the exit code is 0 only if all succeeded. <out>/sweep.json lists every outcome.\n"
      "Example: citytwin sweep city.twin datasets/scenarios/*.toml -o sweep/");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin)")->required();
  cmd->add_option("scenarios", opt->scenarios, "Scenario files (.toml)")->required();
  cmd->add_option("-o,--out", opt->out, "Output folder")->required();
  cmd->add_option("--hours", opt->hours, "Hours to simulate, e.g. 0-23 or 7-9")->default_val("0-23");
  cmd->add_flag("--json", opt->json, "Print the outcome list as JSON");
  add_progress_option(*cmd, opt->progress);
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit limit(opt->threads);
    const Twin twin = read_snapshot(opt->twin);
    coupling::SimulationOptions so;
    so.hours = parse_hours(opt->hours);
    std::filesystem::create_directories(opt->out);
    std::vector<nlohmann::json> outcomes(opt->scenarios.size());
    std::atomic<int> failed{0};
    std::mutex print;
    // Progress in scenario hours: done counts the hours finished by every scenario (a failed one's all).
    ProgressPrinter progress(progress_mode(opt->progress, opt->json), "sweep");
    const auto hours_per_scenario = static_cast<std::int64_t>(so.hours.empty() ? 24 : so.hours.size());
    const std::int64_t total_hours = hours_per_scenario * static_cast<std::int64_t>(opt->scenarios.size());
    // Scenarios in parallel; each simulation also uses TBB inside (nested parallelism is fine).
    tbb::parallel_for(std::size_t{0}, opt->scenarios.size(), [&](std::size_t i) {
      const std::filesystem::path file = opt->scenarios[i];
      const auto gpkg = std::filesystem::path(opt->out) / (file.stem().string() + ".gpkg");
      std::int64_t mine = 0;  // this scenario's finished hours
      coupling::SimulationOptions own = so;
      if (progress.active())
        own.on_progress = [&](const coupling::Progress& p) {
          progress.advance(p.hour, p.round, p.hours_done - mine, total_hours);
          mine = p.hours_done;
        };
      try {
        const auto scenario = geo::load_scenario(file, twin);
        const auto result = coupling::simulate(twin, scenario, own);
        const auto summary = run_summary_json(result);
        require_finite_summary(summary);
        publish_run_set(gpkg, [&](const RunSetPaths& tmp) {
          geo::write_results(twin, result, tmp.gpkg);
          write_run_side_files(summary, result, tmp.gpkg);
        });
        outcomes[i] = {{"scenario", file.string()}, {"ok", true}, {"results", gpkg.string()}, {"totals", summary["totals"]}};
        if (!opt->json) {
          std::lock_guard lock(print);
          std::cout << "ok      " << file.string() << " -> " << gpkg.string() << "\n";
        }
      } catch (const std::exception& e) {
        ++failed;
        outcomes[i] = {{"scenario", file.string()}, {"ok", false}, {"error", e.what()}};
        progress.advance(-1, 0, hours_per_scenario - mine, total_hours);
        std::lock_guard lock(print);
        std::cerr << "FAILED  " << file.string() << ": " << e.what() << "\n";
      }
    });
    const nlohmann::json all = {{"twin", opt->twin}, {"scenarios", outcomes}, {"failed", failed.load()}};
    write_atomically(std::filesystem::path(opt->out) / "sweep.json", [&](const std::filesystem::path& tmp) {
      std::ofstream(tmp) << all.dump(2) << "\n";
    });
    if (opt->json) print_json(all);
    if (failed > 0) throw Error(std::to_string(failed.load()) + " of " + std::to_string(opt->scenarios.size()) + " scenarios failed (see above)");
  });
}

}  // namespace citytwin::app
