// citytwin compare: what a scenario changed against a baseline run.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "geo/results/results_compare.hpp"

namespace citytwin::app {

void add_compare_command(CLI::App& app) {
  struct Options {
    std::string base, scenario, csv;
    int top = 10;
    bool json = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("compare",
      "Compare two results GeoPackages of `citytwin run` on the same twin: citywide deltas per\n"
      "hour and overall (vehicle-hours, delay, load, unserved energy, dark signals ...), and the\n"
      "elements that changed most (links, buses, branches, substations, districts, signals).\n"
      "--csv writes every changed (layer, metric, element, hour) with base, scenario and delta.\n"
      "Example: citytwin compare base.gpkg outage.gpkg --json");
  cmd->add_option("base", opt->base, "Baseline results (.gpkg)")->required()->check(CLI::ExistingFile);
  cmd->add_option("scenario", opt->scenario, "Scenario results (.gpkg)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--csv", opt->csv, "Write every per-element delta to this CSV (atomically)");
  cmd->add_option("--top", opt->top, "How many most-changed elements to list per metric")->default_val(10);
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    const geo::Comparison c = geo::compare_results(opt->base, opt->scenario);
    nlohmann::json hours = nlohmann::json::array();
    std::map<std::string, double> total_base, total_other;
    for (const auto& [hour, row] : c.base_hours) {
      nlohmann::json h = {{"hour", hour}};
      const auto other = c.other_hours.find(hour);
      if (other == c.other_hours.end()) throw InvalidInput("hour " + std::to_string(hour) + " is missing from the scenario run", {.file = opt->scenario});
      for (const auto& m : c.metrics) {
        h[m] = {{"base", row.at(m)}, {"scenario", other->second.at(m)}, {"delta", other->second.at(m) - row.at(m)}};
        total_base[m] += row.at(m);
        total_other[m] += other->second.at(m);
      }
      hours.push_back(h);
    }
    nlohmann::json totals;
    for (const auto& m : c.metrics)
      if (m != "relative_gap" && m != "coupling_rounds" && m != "converged")
        totals[m] = {{"base", total_base[m]}, {"scenario", total_other[m]}, {"delta", total_other[m] - total_base[m]}};
    // Most changed elements per (layer, metric), by |delta|.
    std::map<std::string, std::vector<const geo::ElementDelta*>> by_metric;
    for (const auto& e : c.elements) by_metric[e.layer + "." + e.metric].push_back(&e);
    nlohmann::json top;
    for (auto& [name, list] : by_metric) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) {
        return std::abs(a->delta()) != std::abs(b->delta()) ? std::abs(a->delta()) > std::abs(b->delta())
                                                            : std::tie(a->id, a->hour) < std::tie(b->id, b->hour);
      });
      for (std::size_t i = 0; i < list.size() && static_cast<int>(i) < opt->top; ++i)
        top[name].push_back({{"id", list[i]->id}, {"hour", list[i]->hour}, {"base", list[i]->base}, {"scenario", list[i]->scenario}, {"delta", list[i]->delta()}});
    }
    if (!opt->csv.empty()) {
      write_atomically(opt->csv, [&](const std::filesystem::path& tmp) {
        std::ofstream f(tmp);
        f << "layer,metric,id,hour,base,scenario,delta\n" << std::setprecision(10);
        for (const auto& e : c.elements) f << e.layer << ',' << e.metric << ',' << e.id << ',' << e.hour << ',' << e.base << ',' << e.scenario << ',' << e.delta() << '\n';
        if (!f) throw IoError("cannot write", {.file = tmp.string()});
      });
    }
    const nlohmann::json out = {{"base", c.base_scenario}, {"scenario", c.other_scenario}, {"totals", totals}, {"hours", hours},
                                {"changed_elements", c.elements.size()}, {"compared_elements", c.compared_elements}, {"most_changed", top}};
    if (opt->json) {
      print_json(out);
      return;
    }
    std::cout << "compare        " << c.base_scenario << "  ->  " << c.other_scenario << "\n" << std::fixed << std::setprecision(1);
    for (const auto& [m, v] : totals.items())
      std::cout << "  " << std::left << std::setw(22) << m << std::right << std::setw(14) << v["base"].get<double>() << " -> "
                << std::setw(14) << v["scenario"].get<double>() << "  (" << std::showpos << v["delta"].get<double>() << std::noshowpos << ")\n";
    std::cout << "  " << c.elements.size() << " element-hours changed of " << c.compared_elements << "\n";
  });
}

}  // namespace citytwin::app
