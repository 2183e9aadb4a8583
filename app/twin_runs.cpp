#include "app/twin_runs.hpp"

#include <iostream>

#include "app/command_support.hpp"
#include "app/hour_range.hpp"
#include "app/output_set.hpp"
#include "app/progress_printer.hpp"
#include "app/result_checks.hpp"
#include "app/run_summary.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/results/results_writer.hpp"

namespace citytwin::app {

void run_twin_half(const TwinRunRequest& q) {
  if (q.out.empty()) throw InvalidInput("give the results GeoPackage to write with -o/--out", {.field = "--out"});
  const Twin twin = read_snapshot(q.twin);
  coupling::Scenario baseline;
  baseline.name = q.grid ? "power flow" : "assignment";
  if (!q.od.empty()) baseline.given_od = std::make_shared<const coupling::GivenOd>(coupling::read_given_od(q.od, twin.districts.name));
  coupling::SimulationOptions so;
  so.hours = parse_hours(q.hours);
  so.grid_only = q.grid;
  const auto result = [&] {
    ProgressPrinter progress(progress_mode(q.progress, q.json), q.grid ? "powerflow" : "assign");
    so.on_progress = progress.simulation_callback();
    return coupling::simulate(twin, baseline, so);
  }();
  auto summary = run_summary_json(result);
  require_finite_summary(summary);
  publish_run_set(q.out, [&](const RunSetPaths& tmp) {
    geo::write_results(twin, result, tmp.gpkg, {.traffic = !q.grid, .grid = q.grid});
    write_run_side_files(summary, result, tmp.gpkg);
  });
  if (q.json) {
    print_json(summary);
    return;
  }
  for (const auto& h : result.hours) {
    const auto& t = h.totals;
    if (q.grid) {
      double worst = 0;
      for (float u : h.substation_utilisation) worst = std::max(worst, static_cast<double>(u));
      std::cout << "hour " << t.hour << ": load " << t.load_mw << " MW, highest substation utilisation " << worst * 100 << " %, "
                << t.overloaded_branches << " overloaded branches\n";
    } else {
      std::cout << "hour " << t.hour << ": " << t.vehicle_km << " veh-km, " << t.vehicle_hours << " veh-h, " << t.delay_hours
                << " h delay, relative gap " << t.relative_gap << "\n";
    }
  }
  std::cout << "wrote " << q.out << " (+ .summary.json, .hours.csv)\n";
}

}  // namespace citytwin::app
