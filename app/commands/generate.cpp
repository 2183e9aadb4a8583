// citytwin generate: writes the synthetic city's department layers and manifest.
#include <chrono>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/progress_printer.hpp"
#include "core/common/available_memory.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "datasets/city_memory.hpp"
#include "datasets/write_synthetic_city.hpp"

namespace citytwin::app {

void add_generate_command(CLI::App& app) {
  struct Options {
    datasets::SyntheticOptions synth;
    std::string out, progress = "auto";
    unsigned threads = 0;
    bool json = false, skip_memory_check = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("generate",
      "Write a deterministic synthetic city as three departments would deliver it.\n"
      "Roads (EPSG:4326, transport field names) in roads.gpkg, the 110 kV grid and EV chargers\n"
      "(EPSG:32633) in grid.gpkg, districts (EPSG:3857, planning field names) in districts.gpkg,\n"
      "and manifest.toml mapping them onto the twin. Street pattern: ring-radial-grid with\n"
      "arterials and signals at arterial junctions; population and jobs fall off from the centre.\n"
      "Example: citytwin generate --links 100000 --seed 7 -o city/ && citytwin import city/manifest.toml -o city.twin");
  cmd->add_option("--links", opt->synth.target_links, "Approximate number of directed road links (1k .. 1M+)")
      ->default_val(20000)->check(CLI::Range(500, 50'000'000));
  cmd->add_option("--seed", opt->synth.seed, "Random seed (same seed, same city)")->default_val(1);
  cmd->add_option("-o,--out", opt->out, "Output folder (created)")->required();
  cmd->add_flag("--json", opt->json, "Print a JSON summary on stdout");
  cmd->add_flag("--skip-memory-check", opt->skip_memory_check,
                "Generate even when a 24-hour run on the city is estimated not to fit in the memory available\n"
                "(the estimate: datasets/city_memory.hpp)");
  add_progress_option(*cmd, opt->progress);
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit limit(opt->threads);
    if (!opt->skip_memory_check)
      if (auto why = datasets::memory_shortfall(datasets::estimate_city_memory(opt->synth), available_memory_bytes()))
        throw InvalidInput(*why, {.field = "--links"});
    const auto t0 = std::chrono::steady_clock::now();
    ProgressPrinter progress(progress_mode(opt->progress, opt->json), "generate");
    progress.report(-1, 0, 0, 2);
    const auto city = datasets::generate_synthetic_city(opt->synth);
    progress.report(-1, 0, 1, 2);
    const auto written = datasets::write_synthetic_city(city, opt->out);
    progress.report(-1, 0, 2, 2);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (opt->json) {
      print_json({{"manifest", written.manifest.string()}, {"road_features", written.roads}, {"signals", written.signals},
                  {"substations", written.substations}, {"lines", written.lines}, {"districts", written.districts},
                  {"chargers", written.chargers}, {"seconds", s}});
      return;
    }
    std::cout << "citytwin generate: " << written.roads << " road features, " << written.signals << " signals, "
              << written.substations << " substations, " << written.lines << " lines, " << written.districts
              << " districts, " << written.chargers << " EV chargers (" << s << " s)\n"
              << "  manifest: " << written.manifest.string() << "\n";
  });
}

}  // namespace citytwin::app
