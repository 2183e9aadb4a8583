#pragma once
// Bus, branch and generator result tables as CSV, with the columns of the
// MATPOWER reference tables (shared/data/matpower/reference/README.md), plus
// an `energised` column for buses. Written atomically (write_atomically).
#include <filesystem>

#include "core/grid/power_case.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::grid {

void write_bus_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& result);
void write_branch_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& result);
void write_gen_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& result);

// Writes <dir>/<case>_{ac|dc}_{bus,branch,gen}.csv; returns the bus file's path.
std::filesystem::path write_result_tables(const std::filesystem::path& dir, const PowerCase& pc,
                                          const PowerFlowResult& result);

}  // namespace citytwin::grid
