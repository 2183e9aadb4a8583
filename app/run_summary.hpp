#pragma once
// Citywide totals of a coupled run, per hour and overall, as JSON (stdout with
// --json, and <out>.summary.json) and CSV (<out>.hours.csv).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/coupling/simulation.hpp"

namespace citytwin::app {

nlohmann::json run_summary_json(const coupling::SimulationResult& result);
// Writes <gpkg minus extension>.summary.json and .hours.csv next to the results, atomically.
void write_run_side_files(const nlohmann::json& summary, const coupling::SimulationResult& result, const std::filesystem::path& gpkg);
void print_run_summary(std::ostream& out, const nlohmann::json& summary, const std::string& gpkg);

}  // namespace citytwin::app
