#pragma once
// Every subcommand of the `citytwin` binary lives in app/commands/<name>.cpp
// and is registered by one function declared here.
#include <CLI/CLI.hpp>

namespace citytwin::app {

void add_generate_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_powerflow_command(CLI::App& app);
void add_contingency_command(CLI::App& app);
void add_assign_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_observe_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_publish_command(CLI::App& app);
void add_forecast_command(CLI::App& app);
void add_calibrate_command(CLI::App& app);

}  // namespace citytwin::app
