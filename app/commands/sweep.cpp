// citytwin sweep: many scenarios of one twin in parallel, each written
// atomically; under `mpirun -n K` the scenarios are balanced dynamically over
// the ranks (whoever is free takes the next), and rank 0 writes sweep.json.
// A scenario whose published results are newer than its file and the twin
// finished earlier and is skipped, so a re-run after a failure or a kill
// only runs what is missing.
#include <tbb/parallel_for.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <mutex>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/hour_range.hpp"
#include "app/mpi_world.hpp"
#include "app/output_set.hpp"
#include "app/progress_printer.hpp"
#include "app/result_checks.hpp"
#include "app/run_summary.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/results/results_writer.hpp"
#include "geo/scenario/scenario_file.hpp"

namespace citytwin::app {

namespace {
namespace fs = std::filesystem;

// The totals of a run published after both the scenario file and the twin
// were last changed, or null (run it).
nlohmann::json finished_earlier(const fs::path& gpkg, const fs::path& scenario, const fs::path& twin) {
  std::error_code ec;
  const fs::path folder = run_set_folder(gpkg);
  const RunSetPaths files = run_set_files(folder, gpkg);
  if (!fs::is_regular_file(files.gpkg, ec) || !fs::is_regular_file(files.summary, ec)) return nullptr;
  const auto published = fs::last_write_time(folder, ec);
  if (ec || published < fs::last_write_time(scenario, ec) || ec || published < fs::last_write_time(twin, ec) || ec)
    return nullptr;
  try {
    std::ifstream in(files.summary);
    return nlohmann::json::parse(in).at("totals");
  } catch (const std::exception&) {
    return nullptr;  // unreadable: run it again
  }
}
}  // namespace

void add_sweep_command(CLI::App& app) {
  struct Options {
    std::string twin, out, hours = "0-23", progress = "auto";
    std::vector<std::string> scenarios;
    unsigned threads = 0;
    bool json = false, rerun = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("sweep",
      "Run many scenarios of one twin in parallel across cores. Each scenario writes\n"
      "<out>/<stem>.gpkg (+ .summary.json, .hours.csv), published together as <out>/<stem>.run/; results do\n"
      "not depend on the thread count. A scenario that fails is reported and the others go on;\n"
      "the exit code is 0 only if all succeeded. <out>/sweep.json lists every outcome.\n"
      "A scenario whose results in <out> are newer than its file and the twin is skipped as finished\n"
      "(--rerun runs it again), so re-running a sweep after a failure or a kill runs only what is missing.\n"
      "On several machines: mpirun -n K citytwin sweep ... (a build with CITYTWIN_WITH_MPI) balances the\n"
      "scenarios over the K ranks dynamically; <out> must be a folder every rank sees.\n"
      "Example: citytwin sweep city.twin datasets/scenarios/*.toml -o sweep/\n"
      "         mpirun -n 4 citytwin sweep city.twin scenarios/*.toml -o /shared/sweep/");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin)")->required();
  cmd->add_option("scenarios", opt->scenarios, "Scenario files (.toml)")->required();
  cmd->add_option("-o,--out", opt->out, "Output folder")->required();
  cmd->add_option("--hours", opt->hours, "Hours to simulate, e.g. 0-23 or 7-9")->default_val("0-23");
  cmd->add_flag("--rerun", opt->rerun, "Run every scenario, also those with finished results in --out");
  cmd->add_flag("--json", opt->json, "Print the outcome list as JSON");
  add_progress_option(*cmd, opt->progress);
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    MpiWorld& world = MpiWorld::get();
    ThreadLimit limit(opt->threads);
    const Twin twin = read_snapshot(opt->twin);
    coupling::SimulationOptions so;
    so.hours = parse_hours(opt->hours);
    std::filesystem::create_directories(opt->out);
    const std::size_t n = opt->scenarios.size();
    std::vector<nlohmann::json> outcomes(n);  // null where another rank ran it
    std::atomic<int> failed{0}, skipped{0};
    std::mutex print;
    // Progress in scenario hours: done counts the hours finished by every scenario (a failed one's all).
    // Under mpirun each rank sees only its own scenarios, so no rank knows the whole: no progress there.
    ProgressPrinter progress(world.active() ? ProgressMode::None : progress_mode(opt->progress, opt->json), "sweep");
    const auto hours_per_scenario = static_cast<std::int64_t>(so.hours.empty() ? 24 : so.hours.size());
    const std::int64_t total_hours = hours_per_scenario * static_cast<std::int64_t>(opt->scenarios.size());
    auto run_one = [&](std::size_t i) {
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
        if (!opt->rerun) {
          nlohmann::json totals = finished_earlier(gpkg, file, opt->twin);
          if (!totals.is_null()) {
            ++skipped;
            outcomes[i] = {{"scenario", file.string()}, {"ok", true}, {"skipped", "finished earlier"},
                           {"results", gpkg.string()}, {"totals", std::move(totals)}};
            if (!opt->json) {
              std::lock_guard lock(print);
              std::cout << world.tag() << "done    " << file.string() << " (finished earlier; --rerun runs it again)\n";
            }
            progress.advance(-1, 0, hours_per_scenario, total_hours);
            return;
          }
        }
        const auto scenario = geo::load_scenario(file, twin);
        const auto result = coupling::simulate(twin, scenario, own);
        const auto summary = run_summary_json(result);
        require_finite_summary(summary);
        publish_run_set(
            gpkg,
            [&](const RunSetPaths& tmp) {
              geo::write_results(twin, result, tmp.gpkg);
              write_run_side_files(summary, result, tmp.gpkg);
            },
            !world.active());
        outcomes[i] = {{"scenario", file.string()}, {"ok", true}, {"results", gpkg.string()}, {"totals", summary["totals"]}};
        if (!opt->json) {
          std::lock_guard lock(print);
          std::cout << world.tag() << "ok      " << file.string() << " -> " << gpkg.string() << std::endl;
        }
      } catch (const std::exception& e) {
        ++failed;
        outcomes[i] = {{"scenario", file.string()}, {"ok", false}, {"error", e.what()}};
        progress.advance(-1, 0, hours_per_scenario - mine, total_hours);
        std::lock_guard lock(print);
        std::cerr << world.tag() << "FAILED  " << file.string() << ": " << e.what() << std::endl;
      }
    };
    if (world.active()) {
      // One scenario at a time per rank (each uses the rank's cores inside), the next one from the shared counter.
      MpiWorld::Counter counter(world);
      for (std::size_t i = counter.next(); i < n; i = counter.next()) run_one(i);
    } else {
      // Scenarios in parallel; each simulation also uses TBB inside (nested parallelism is fine).
      tbb::parallel_for(std::size_t{0}, n, run_one);
    }

    // Rank 0 collects every rank's outcomes (one process: its own).
    nlohmann::json mine = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i)
      if (!outcomes[i].is_null()) mine.push_back({{"index", i}, {"outcome", outcomes[i]}});
    const std::vector<std::string> parts = world.gather(mine.dump());
    const long long failed_all = world.sum(failed.load());
    const long long skipped_all = world.sum(skipped.load());
    if (world.rank() == 0) {
      for (const std::string& part : parts)
        for (const auto& entry : nlohmann::json::parse(part)) outcomes[entry.at("index").get<std::size_t>()] = entry.at("outcome");
      const nlohmann::json all = {{"twin", opt->twin},       {"scenarios", outcomes}, {"failed", failed_all},
                                  {"skipped", skipped_all}, {"ranks", world.size()}};
      write_atomically(std::filesystem::path(opt->out) / "sweep.json", [&](const std::filesystem::path& tmp) {
        std::ofstream(tmp) << all.dump(2) << "\n";
      });
      if (opt->json) print_json(all);
    }
    if (failed_all > 0) throw Error(std::to_string(failed_all) + " of " + std::to_string(n) + " scenarios failed (see above)");
  });
}

}  // namespace citytwin::app
