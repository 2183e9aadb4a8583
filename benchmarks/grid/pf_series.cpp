// pf_series: a day of load levels on one grid, solved as a warm-started time
// series (grid::PowerFlowSeries) and, for comparison, as independent solves
// with the solver kept; one JSON object on stdout. The peer side of the same
// run is benchmarks/grid/series_vs_lightsim2grid.py.
//
//   pf_series CASE.m --levels 0.7,0.71,... [--vm-out vm.csv] [--repeat 5]
//   pf_series --write-synthetic BUSES --seed S OUT.m   (a grid for both tools)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/grid/matpower_reader.hpp"
#include "core/grid/matpower_writer.hpp"
#include "core/grid/newton_raphson.hpp"
#include "core/grid/power_flow_series.hpp"
#include "core/grid/synthetic_grid.hpp"

using namespace citytwin::grid;

namespace {

std::vector<double> parse_levels(const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  std::string cell;
  while (std::getline(in, cell, ',')) out.push_back(std::stod(cell));
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "--write-synthetic") {
    write_matpower(args[3], synthetic_grid({.buses = std::stoi(args[1]), .seed = static_cast<std::uint64_t>(std::stoull(args[2]))}));
    return 0;
  }
  std::string case_file, vm_out;
  std::vector<double> levels;
  int repeat = 5;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--levels" && i + 1 < args.size()) levels = parse_levels(args[++i]);
    else if (args[i] == "--vm-out" && i + 1 < args.size()) vm_out = args[++i];
    else if (args[i] == "--repeat" && i + 1 < args.size()) repeat = std::stoi(args[++i]);
    else case_file = args[i];
  }
  if (case_file.empty() || levels.empty()) {
    std::cerr << "usage: pf_series CASE.m --levels f1,f2,... [--vm-out vm.csv] [--repeat N]\n";
    return 2;
  }
  const PowerCase pc = read_matpower(case_file);
  PowerFlowOptions options;
  options.start = StartMode::flat;  // the first step only; later steps start from the previous one

  // Warm series: the best of `repeat` runs (the first also builds Ybus, pattern and KLU analysis).
  double warm_best = 1e300;
  std::vector<PowerFlowResult> warm;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    warm = solve_load_series(pc, levels, options);
    warm_best = std::min(warm_best, seconds_since(t0));
  }
  // Independent solves, solver kept (symbolic analysis reused), each from a flat start.
  double cold_best = 1e300;
  int cold_iterations = 0;
  AcPowerFlow kept(pc, options);
  for (int r = 0; r < repeat; ++r) {
    cold_iterations = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const double f : levels) {
      std::vector<Bus> buses = pc.buses;
      for (Bus& b : buses) b.pd *= f, b.qd *= f;
      kept.set_injections(buses, pc.generators);
      cold_iterations += kept.solve().iterations;
    }
    cold_best = std::min(cold_best, seconds_since(t0));
  }
  int warm_iterations = 0, converged = 0;
  for (const auto& r : warm) warm_iterations += r.iterations, converged += r.converged();
  if (!vm_out.empty()) {
    std::ofstream out(vm_out);
    out << std::setprecision(17);
    for (const auto& r : warm) {
      for (std::size_t i = 0; i < r.vm.size(); ++i) out << (i ? "," : "") << r.vm[i];
      out << '\n';
    }
  }
  const double n = static_cast<double>(levels.size());
  std::printf(
      "{\"case\": \"%s\", \"buses\": %zu, \"steps\": %zu, \"converged\": %d, \"warm_ms_per_solve\": %.4f, "
      "\"warm_iterations\": %d, \"cold_kept_ms_per_solve\": %.4f, \"cold_iterations\": %d}\n",
      pc.name.c_str(), pc.buses.size(), levels.size(), converged, 1e3 * warm_best / n, warm_iterations, 1e3 * cold_best / n,
      cold_iterations);
  return converged == static_cast<int>(levels.size()) ? 0 : 4;
}
