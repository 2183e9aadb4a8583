#pragma once
// citytwin powerflow CASE --load-factors ...: one AC power flow per load
// factor (a day's profile, scenarios), all sharing the case's sparsity
// pattern: KLU per item under TBB on the CPU, or the batched Newton kernels
// of gpu/power_flow_batch.hpp on a GPU (--device gpu; without one, a
// one-line notice and the CPU).
#include <filesystem>
#include <string>
#include <vector>

#include "core/grid/power_case.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::app {

struct PowerflowBatchArgs {
  std::vector<double> factors;  // loads (P and Q) of item i are the case's x factors[i]
  std::string device = "cpu";   // cpu or gpu
  std::filesystem::path out;    // folder for <case>_batch_bus.csv (item, factor, bus, vm, va); empty: none
  bool json = false;
};

// Prints one line (or JSON object) per item; throws NotConverged (exit 4)
// after printing when any item did not converge.
void run_powerflow_batch(const grid::PowerCase& pc, const grid::PowerFlowOptions& options, const PowerflowBatchArgs& args);

}  // namespace citytwin::app
