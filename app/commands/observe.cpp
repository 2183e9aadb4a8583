// citytwin observe: synthetic observations of a run (counts on a share of the
// links, meter readings at every substation, with noise), as CSV files the
// `fit` command (and later calibration) reads.
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/model/snapshot.hpp"
#include "core/observations/synthetic_observations.hpp"
#include "geo/results/results_reader.hpp"
#include "geo/observations/observation_csv.hpp"

namespace citytwin::app {

void add_observe_command(CLI::App& app) {
  struct Options {
    std::string twin, run, out;
    observations::SyntheticObservationOptions synth;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("observe",
      "Make synthetic observations of a run, as a known truth for `citytwin fit` and calibration:\n"
      "traffic counts on a random share of the road links (a station at each link's midpoint with\n"
      "the bearing of its direction) and hourly meter readings at every substation, each value the\n"
      "run's times (1 + noise * z), z ~ N(0, 1), on --days consecutive weekdays from 2026-03-02.\n"
      "Writes <out>/counts.csv (station,lon,lat,bearing,time,vehicles; WGS 84) and <out>/loads.csv\n"
      "(substation,time,p_mw); station L<n> counts link n.\n"
      "Example: citytwin observe city.twin truth.gpkg --sample-share 0.2 --noise 0.05 --seed 7 -o obs/");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin) the run was made on")->required()->check(CLI::ExistingFile);
  cmd->add_option("run", opt->run, "Results GeoPackage of the run to sample")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", opt->out, "Output folder (created)")->required();
  cmd->add_option("--sample-share", opt->synth.sample_share, "Share of the road links that get a counter")->default_val(0.2)->check(CLI::Range(1e-9, 1.0));
  cmd->add_option("--noise", opt->synth.noise, "Relative standard deviation of each value")->default_val(0.05)->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--seed", opt->synth.seed, "Random seed (same seed, same observations)")->default_val(1);
  cmd->add_option("--days", opt->synth.days, "Number of weekdays observed")->default_val(5)->check(CLI::Range(1, 366));
  cmd->add_flag("--json", opt->json, "Print a JSON summary");
  cmd->callback([opt] {
    const Twin twin = read_snapshot(opt->twin);
    const auto run = geo::read_results(opt->run, twin);
    const auto o = observations::synthesize_observations(twin, run, opt->synth);
    const std::filesystem::path dir = opt->out;
    geo::write_counts_csv(twin, o.counts, dir / "counts.csv");
    geo::write_loads_csv(twin, o.loads, dir / "loads.csv");
    const nlohmann::json summary = {{"counts", (dir / "counts.csv").string()}, {"loads", (dir / "loads.csv").string()},
                                    {"stations", o.counted_links.size()}, {"count_records", o.counts.size()},
                                    {"load_records", o.loads.size()}, {"substations", twin.grid.substation_count()},
                                    {"days", opt->synth.days}, {"noise", opt->synth.noise}, {"seed", opt->synth.seed}};
    if (opt->json) print_json(summary);
    else
      std::cout << "citytwin observe: " << o.counted_links.size() << " count stations (" << o.counts.size() << " records), "
                << twin.grid.substation_count() << " substations (" << o.loads.size() << " records) over " << opt->synth.days
                << " weekdays, noise " << opt->synth.noise << "\n  " << (dir / "counts.csv").string() << "\n  " << (dir / "loads.csv").string() << "\n";
  });
}

}  // namespace citytwin::app
