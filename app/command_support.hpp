#pragma once
// What every subcommand shares: the --threads option, JSON output, and the
// one place that maps citytwin errors to messages and exit codes.
#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace citytwin::app {

// Adds --threads N (0 = all cores) to a subcommand.
void add_threads_option(CLI::App& command, unsigned& threads);

// Prints one JSON object on stdout (for --json).
void print_json(const nlohmann::json& object);

// A JSON number, or null where the value is NaN or infinite (JSON has neither).
nlohmann::json json_number(double v);

// True if stderr is an interactive terminal (progress output only then).
bool stderr_is_terminal();

// Where a --device choice runs: asking for the GPU where there is none prints
// the one-line notice on stderr and gives the CPU (the TBB path).
struct DeviceChoice {
  bool gpu = false;
  std::string name = "cpu";  // "cpu", or the GPU's name
};
DeviceChoice choose_device(bool want_gpu);

}  // namespace citytwin::app
