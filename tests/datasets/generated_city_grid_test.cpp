// A generated city's baseline day must be plausible at every size: its grid is
// sized with the load the generator places (substations, supply points,
// circuits per line), so the baseline has no failed substation, no dark
// signal, no unserved energy and no overloaded line, with the margins stated:
// the highest substation utilisation against the trip threshold, and the DC
// N-1 screening of every line at the peak hour.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/coupling/grid_model.hpp"
#include "core/coupling/simulation.hpp"
#include "core/grid/contingency.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "geo/import/twin_import.hpp"

namespace citytwin {
namespace {

struct GridDay {
  int failed_substation_hours = 0, dark_signal_hours = 0, overloaded_branch_hours = 0;
  double unserved_mwh = 0, max_utilisation = 0;
  int peak_hour = 0;
  grid::ContingencyReport n1;
};

Twin generated_city(std::int64_t links) {
  const auto dir = std::filesystem::temp_directory_path() / ("citytwin_generated_" + std::to_string(links) + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  datasets::SyntheticOptions o;
  o.target_links = links;
  o.seed = 5;
  const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir);
  Twin twin = geo::import_twin(geo::load_manifest(written.manifest));
  std::filesystem::remove_all(dir);
  return twin;
}

GridDay baseline_grid_day(const Twin& twin) {
  coupling::SimulationOptions so;
  so.grid_only = true;  // the baseline has no EVs: its grid load does not depend on traffic
  const coupling::Scenario baseline;
  const coupling::SimulationResult r = coupling::simulate(twin, baseline, so);
  GridDay day;
  double peak = -1;
  for (const auto& h : r.hours) {
    day.failed_substation_hours += h.totals.failed_substations;
    day.dark_signal_hours += h.totals.dark_signals;
    day.overloaded_branch_hours += h.totals.overloaded_branches;
    day.unserved_mwh += h.totals.unserved_energy_mwh;
    for (float u : h.substation_utilisation) day.max_utilisation = std::max(day.max_utilisation, static_cast<double>(u));
    if (h.totals.load_mw > peak) peak = h.totals.load_mw, day.peak_hour = h.totals.hour;
  }
  // N-1 of every line at the peak hour's bus loads (DC, as the coupled model solves).
  const coupling::GridModel model(twin);
  grid::PowerCase pc = model.base_case();
  const auto& loads = r.hours[static_cast<std::size_t>(day.peak_hour)].bus_load_mw;
  for (std::size_t b = 0; b < pc.buses.size(); ++b) pc.buses[b].pd = loads[b];
  grid::ContingencyOptions options;
  options.ac_confirm = 0;
  day.n1 = grid::screen_n_minus_1(pc, options);
  return day;
}

void expect_plausible(std::int64_t links) {
  const Twin twin = generated_city(links);
  const GridDay day = baseline_grid_day(twin);
  const coupling::CouplingParameters defaults;
  double worst_n1 = 0;
  for (const auto& o : day.n1.outages)
    if (!o.islanding) worst_n1 = std::max(worst_n1, o.max_loading_percent);
  std::printf("[ margins  ] %lld links: %zu substations, %zu lines; max substation utilisation %.3f (trips above %.2f); "
              "N-1 at %02d:00: worst line loading after any single line outage %.1f %%, %zu of %zu outages overload, %zu island\n",
              static_cast<long long>(links), twin.grid.substation_count(), twin.grid.branch_count(), day.max_utilisation,
              defaults.u_trip, day.peak_hour, worst_n1, day.n1.overloading_outages, day.n1.outages.size(),
              day.n1.islanding_outages);
  EXPECT_EQ(day.failed_substation_hours, 0);
  EXPECT_EQ(day.dark_signal_hours, 0);
  EXPECT_EQ(day.unserved_mwh, 0.0);
  EXPECT_EQ(day.overloaded_branch_hours, 0);
  EXPECT_LT(day.max_utilisation, defaults.u_trip);
  EXPECT_EQ(day.n1.base_overloads.size(), 0u);
}

TEST(GeneratedCityGrid, BaselineDayIsPlausibleAt20kLinks) { expect_plausible(20000); }
TEST(GeneratedCityGrid, BaselineDayIsPlausibleAt100kLinks) { expect_plausible(100000); }

}  // namespace
}  // namespace citytwin
