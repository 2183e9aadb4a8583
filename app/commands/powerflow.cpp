// citytwin powerflow: DC or AC (Newton-Raphson) power flow of a MATPOWER case.
#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/powerflow_batch.hpp"
#include "app/twin_runs.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/result_tables.hpp"

namespace citytwin::app {

namespace {

nlohmann::json result_json(const grid::PowerCase& pc, const grid::PowerFlowResult& r) {
  nlohmann::json worst = nlohmann::json::array();
  for (const auto& w : r.worst_buses) worst.push_back({{"bus", w.bus}, {"p_mw", w.p_mw}, {"q_mvar", w.q_mvar}});
  // A state that is not a solution has no losses or voltage range to report.
  const bool answer = r.converged();
  auto value = [answer](double v) { return answer ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"case", pc.name},
          {"model", r.dc ? "dc" : "ac"},
          {"status", grid::to_string(r.status)},
          {"converged", r.converged()},
          {"iterations", r.iterations},
          {"max_mismatch", r.max_mismatch},
          {"losses_mw", value(r.losses_mw)},
          {"min_vm", value(r.min_vm)},
          {"max_vm", value(r.max_vm)},
          {"islands", r.islands},
          {"buses", pc.buses.size()},
          {"branches", pc.branches.size()},
          {"deenergised_buses", r.deenergised_buses},
          {"implausible_buses", r.implausible_buses},
          {"pv_to_pq_buses", r.pv_to_pq_buses},
          {"worst_buses", worst},
          {"warnings", r.warnings},
          {"seconds", r.seconds}};
}

}  // namespace

void add_powerflow_command(CLI::App& app) {
  struct Options {
    std::string input;
    bool dc = false, flat = false, dc_start = false, json = false, q_limits = false, allow_islands = false;
    std::string out, hours = "0-23", device = "cpu";
    std::vector<double> load_factors;
    double tolerance = 1e-8;
    int max_iterations = 10;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("powerflow",
      "Solve the power flow of a MATPOWER case (.m): AC Newton-Raphson (default) or DC.\n"
      "Prints a summary; --json prints one object with converged, iterations, max_mismatch,\n"
      "losses_mw, min_vm, max_vm and seconds; --out DIR writes bus, branch and gen CSVs\n"
      "with the columns of MATPOWER's result tables. Exit code 4 when the AC flow does not\n"
      "converge or converges to an implausible (e.g. low-voltage) solution.\n"
      "Given a twin snapshot (.twin) instead: hourly bus loads (districts' BDEW profiles and\n"
      "signals), branch loading and substation utilisation by DC power flow for --hours,\n"
      "written to the results GeoPackage --out (+ .summary.json, .hours.csv).\n"
      "--load-factors F1,F2,... solves one AC flow per factor (every load's P and Q times it;\n"
      "a day's profile, scenarios), all on the case's one sparsity pattern: KLU per item on the\n"
      "CPU, or with --device gpu the batched Newton kernels on a CUDA GPU (without one, a one-line\n"
      "notice and the CPU). One line per item; --out DIR writes <case>_batch_bus.csv (item,\n"
      "factor, bus, vm, va_deg, converged). No --dc, --dc-start or --q-limits with it.\n"
      "Examples: citytwin powerflow case118.m --json\n"
      "          citytwin powerflow case118.m --load-factors 0.6,0.8,1.0,1.2 --device gpu\n"
      "          citytwin powerflow city.twin --hours 17-20 --out grid.gpkg");
  cmd->add_option("case", opt->input, "MATPOWER case file (.m), or a twin snapshot (.twin)")->required();
  cmd->add_option("--hours", opt->hours, "Twin only: hours to solve, e.g. 0-23 or 18")->default_val("0-23");
  cmd->add_flag("--dc", opt->dc, "DC power flow instead of AC");
  cmd->add_flag("--flat-start", opt->flat, "Start from Vm = 1 (set points at generators), Va = 0");
  cmd->add_flag("--dc-start", opt->dc_start, "Start from the DC power flow's angles");
  cmd->add_flag("--q-limits", opt->q_limits, "Enforce generator reactive limits (PV -> PQ switching)");
  cmd->add_flag("--allow-islands", opt->allow_islands,
                "De-energise (and report) islands with load but no generation instead of failing");
  cmd->add_option("--tolerance", opt->tolerance, "Mismatch tolerance, pu (inf-norm)")->default_val(1e-8);
  cmd->add_option("--max-iterations", opt->max_iterations, "Newton iteration limit")->default_val(10);
  cmd->add_option("--load-factors", opt->load_factors, "Case: a batch of AC flows, one per factor (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);  // "--load-factors 1,2 case.m": the case stays the positional argument
  cmd->add_option("--device", opt->device, "With --load-factors: cpu, or gpu (batched kernels; the CPU when there is no GPU)")
      ->check(CLI::IsMember({"cpu", "gpu"}))
      ->default_val("cpu");
  cmd->add_flag("--json", opt->json, "Print one JSON object on stdout");
  cmd->add_option("--out", opt->out, "Case: write <case>_{ac|dc}_{bus,branch,gen}.csv into this folder; twin: the results .gpkg");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit threads(opt->threads);
    const bool batch = !opt->load_factors.empty();
    if (!batch && opt->device != "cpu") throw InvalidInput("--device gpu needs --load-factors (the batched power flow)", {.field = "--device"});
    if (std::filesystem::path(opt->input).extension() == ".twin") {
      if (batch) throw InvalidInput("--load-factors is for a MATPOWER case; a twin's hours come from --hours", {.field = "--load-factors"});
      run_twin_half({.twin = opt->input, .out = opt->out, .hours = opt->hours, .json = opt->json, .grid = true});
      return;
    }
    const grid::PowerCase pc = grid::read_matpower(opt->input);
    grid::PowerFlowOptions options;
    options.tolerance = opt->tolerance;
    options.max_iterations = opt->max_iterations;
    options.enforce_q_limits = opt->q_limits;
    options.network.deenergise_unsupplied_islands = opt->allow_islands;
    options.start = opt->flat ? grid::StartMode::flat : opt->dc_start ? grid::StartMode::dc : grid::StartMode::case_voltages;
    if (batch) {
      if (opt->dc) throw InvalidInput("--load-factors solves AC power flows; drop --dc", {.field = "--dc"});
      run_powerflow_batch(pc, options, {.factors = opt->load_factors, .device = opt->device, .out = opt->out, .json = opt->json});
      return;
    }
    const grid::PowerFlowResult r = opt->dc ? grid::solve_dc(pc, options) : grid::solve_ac(pc, options);
    if (!opt->out.empty()) grid::write_result_tables(opt->out, pc, r);
    if (opt->json) {
      print_json(result_json(pc, r));
    } else {
      std::cout << pc.name << ": " << pc.buses.size() << " buses, " << pc.generators.size() << " generators, "
                << pc.branches.size() << " branches, " << r.islands << " island(s)\n"
                << (r.dc ? "DC" : "AC Newton-Raphson") << ": " << grid::to_string(r.status);
      if (!r.dc) std::cout << " in " << r.iterations << " iterations, max mismatch " << r.max_mismatch << " pu";
      std::cout << "\n";
      if (!r.dc && r.converged()) std::cout << "losses " << r.losses_mw << " MW, Vm " << r.min_vm << " .. " << r.max_vm << " pu\n";
      std::cout << "solved in " << r.seconds * 1e3 << " ms\n";
      for (const auto& w : r.warnings) std::cout << "warning: " << w << "\n";
      if (!opt->out.empty()) std::cout << "tables written to " << opt->out << "\n";
    }
    grid::require_converged(pc, r);
  });
}

}  // namespace citytwin::app
