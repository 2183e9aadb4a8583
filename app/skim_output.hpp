#pragma once
// --skims for `assign` and `run`: zone-to-zone time, distance and generalised
// cost matrices (core/traffic/skims.hpp) written as OMX or CSV (geo/skims).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/traffic/skims.hpp"

namespace citytwin::app {

struct SkimRequest {
  std::string path;   // --skims; empty: none
  std::string hours;  // --skim-hours (run); empty: every simulated hour
};

// --skims (extension checked when parsed) and, with `hours`, --skim-hours.
void add_skim_options(CLI::App& command, SkimRequest& request, bool hours);

// The hours to skim, checked before the simulation: a subset of `simulated`.
std::vector<int> skim_hours(const SkimRequest& request, const std::vector<int>& simulated);

// --value-of-time and --cost-per-km (assign; run takes the scenario's keys)
// and, with `length_unit`, --length-unit (TNTP files do not state theirs).
struct SkimCostOptions {
  traffic::SkimCostParameters costs;
  std::string length_unit = "km";
};
void add_skim_cost_options(CLI::App& command, SkimCostOptions& options, bool length_unit);
double km_per_length_unit(const std::string& unit);  // "km", "mi", "m", "ft"

// The skims of a static TNTP assignment (zones 1..Z, no hour), written to request.path.
void write_assignment_skims(const SkimRequest& request, const traffic::Network& net, const traffic::AssignmentResult& result,
                            const SkimCostOptions& options);

// Skims of a finished simulation, written to request.path.
void write_simulation_skims(const SkimRequest& request, const Twin& twin, const coupling::SimulationResult& result,
                            const std::vector<int>& hours, const traffic::SkimCostParameters& costs);

}  // namespace citytwin::app
