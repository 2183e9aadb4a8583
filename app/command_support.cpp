#include "app/command_support.hpp"

#include <unistd.h>

#include <cmath>
#include <iostream>

#include "gpu/backend.hpp"

namespace citytwin::app {

void add_threads_option(CLI::App& command, unsigned& threads) {
  // Bounded: 4294967295 threads made TBB throw bad_alloc (exit 70).
  command.add_option("--threads", threads, "Worker threads for TBB (0 = all cores, at most 1024)")
      ->default_val(0)
      ->check(CLI::Range(0u, 1024u));
}

void print_json(const nlohmann::json& object) { std::cout << object.dump(2) << std::endl; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

DeviceChoice choose_device(bool want_gpu) {
  if (!want_gpu) return {};
  if (!gpu::device().available) {
    std::cerr << "citytwin: " << gpu::cpu_fallback_notice() << '\n';
    return {};
  }
  return {true, gpu::device().name};
}

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace citytwin::app
