#include "app/progress_printer.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/command_support.hpp"

namespace citytwin::app {

void add_progress_option(CLI::App& command, std::string& choice) {
  command
      .add_option("--progress", choice,
                  "Progress on stderr: auto (a line with an ETA when stderr is a terminal and --json is off),\n"
                  "terminal, json (one JSON object a line: stage, hour, round, done, total, elapsed_s, eta_s), none")
      ->check(CLI::IsMember({"auto", "terminal", "json", "none"}))
      ->default_val("auto");
}

ProgressMode progress_mode(const std::string& choice, bool json_output) {
  if (choice == "json") return ProgressMode::Json;
  if (choice == "terminal") return ProgressMode::Terminal;
  if (choice == "none") return ProgressMode::None;
  return !json_output && stderr_is_terminal() ? ProgressMode::Terminal : ProgressMode::None;
}

ProgressPrinter::ProgressPrinter(ProgressMode mode, std::string stage) : mode_(mode), stage_(std::move(stage)) {}

ProgressPrinter::~ProgressPrinter() {
  if (drawn_) std::fprintf(stderr, "\r%78s\r", "");
}

void ProgressPrinter::report(int hour, int round, std::int64_t done, std::int64_t total) {
  if (mode_ == ProgressMode::None) return;
  std::lock_guard lock(mutex_);
  print(hour, round, done, total);
}

void ProgressPrinter::advance(int hour, int round, std::int64_t finished, std::int64_t total) {
  if (mode_ == ProgressMode::None) return;
  std::lock_guard lock(mutex_);
  done_ += finished;
  print(hour, round, done_, total);
}

void ProgressPrinter::print(int hour, int round, std::int64_t done, std::int64_t total) {
  const ProgressEvent e = clock_.event(stage_, hour, round, done, total);
  if (mode_ == ProgressMode::Json) {
    nlohmann::json j = {{"stage", e.stage}, {"hour", e.hour}, {"round", e.round}, {"done", e.done},
                        {"total", e.total}, {"elapsed_s", e.elapsed_s}, {"eta_s", nullptr}};
    if (e.eta_s) j["eta_s"] = *e.eta_s;
    std::fprintf(stderr, "%s\n", j.dump().c_str());
    std::fflush(stderr);
    return;
  }
  char where[48] = "";
  if (e.hour >= 0) std::snprintf(where, sizeof where, "  hour %2d  round %d", e.hour, e.round);
  char eta[32] = "ETA --";
  if (e.eta_s) std::snprintf(eta, sizeof eta, "ETA %.0f s", *e.eta_s);
  std::fprintf(stderr, "\r  %s %lld/%lld%s  elapsed %.0f s  %s   ", e.stage.c_str(), static_cast<long long>(e.done),
               static_cast<long long>(e.total), where, e.elapsed_s, eta);
  std::fflush(stderr);
  drawn_ = true;
}

std::function<void(const coupling::Progress&)> ProgressPrinter::simulation_callback() {
  if (!active()) return {};
  return [this](const coupling::Progress& p) { report(p.hour, p.round, p.hours_done, p.hours_total); };
}

}  // namespace citytwin::app
