// citytwin contingency: N-1 screening of every branch of a MATPOWER case.
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/common/parallel.hpp"
#include "core/grid/contingency.hpp"
#include "core/grid/matpower_reader.hpp"

namespace citytwin::app {

void add_contingency_command(CLI::App& app) {
  struct Options {
    std::string input;
    bool json = false;
    double threshold = 100;
    int ac_confirm = 10;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("contingency",
      "N-1 screening of a MATPOWER case (.m): every in-service branch is taken out in the\n"
      "DC model (PTDF / LODF, parallel), loadings in % of rateA are ranked, and the worst\n"
      "outages are re-solved with the AC power flow. --json prints overloading_outages,\n"
      "islanding_outages, worst, ac and seconds.");
  cmd->add_option("case", opt->input, "MATPOWER case file (.m)")->required();
  cmd->add_option("--threshold", opt->threshold, "Overload threshold, % of rateA")->default_val(100);
  cmd->add_option("--ac-confirm", opt->ac_confirm, "Worst outages confirmed with AC (0 = none)")->default_val(10);
  cmd->add_flag("--json", opt->json, "Print one JSON object on stdout");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit threads(opt->threads);
    const grid::PowerCase pc = grid::read_matpower(opt->input);
    grid::ContingencyOptions options;
    options.overload_percent = opt->threshold;
    options.ac_confirm = opt->ac_confirm;
    const grid::ContingencyReport report = grid::screen_n_minus_1(pc, options);

    auto branch_json = [&](std::size_t k) {
      return nlohmann::json{{"row", k + 1}, {"from", pc.branches[k].from}, {"to", pc.branches[k].to}};
    };
    nlohmann::json worst = nullptr;
    if (!report.ranking.empty()) {
      const auto& w = report.outages[report.ranking.front()];
      worst = {{"outage", branch_json(w.branch)},
               {"overloaded_branch", branch_json(w.worst_branch)},
               {"loading_percent", w.max_loading_percent},
               {"overloaded_branches", w.overloaded_branches}};
      if (!report.ac.empty()) worst["ac_loading_percent"] = report.ac.front().max_loading_percent;
    }
    nlohmann::json ac = nlohmann::json::array();
    for (const auto& c : report.ac) {
      ac.push_back({{"outage", branch_json(c.branch)},
                    {"status", grid::to_string(c.status)},
                    {"iterations", c.iterations},
                    {"dc_loading_percent", c.dc_loading_percent},
                    {"ac_loading_percent", c.max_loading_percent},
                    {"overloaded_branch", branch_json(c.worst_branch)},
                    {"overloaded_branches", c.overloaded_branches}});
    }
    nlohmann::json base_overloads = nlohmann::json::array();
    for (std::size_t k : report.base_overloads) base_overloads.push_back(branch_json(k));

    if (opt->json) {
      print_json({{"case", pc.name},
                  {"outages", report.outages.size()},
                  {"overloading_outages", report.overloading_outages},
                  {"islanding_outages", report.islanding_outages},
                  {"base_overloads", base_overloads},
                  {"rated_branches", report.rated_branches},
                  {"threshold_percent", opt->threshold},
                  {"worst", worst},
                  {"ac", ac},
                  {"screening_seconds", report.screening_seconds},
                  {"ac_seconds", report.ac_seconds},
                  {"seconds", report.seconds}});
      return;
    }
    std::cout << pc.name << ": " << report.outages.size() << " branch outages screened (DC, PTDF/LODF) in "
              << report.screening_seconds * 1e3 << " ms\n"
              << report.overloading_outages << " outage(s) overload a branch above " << opt->threshold << " % of rateA; "
              << report.islanding_outages << " split an island (not screened); " << report.base_overloads.size()
              << " branch(es) already overloaded in the base case\n";
    if (report.rated_branches == 0) std::cout << "no branch has a rateA: loadings cannot be computed\n";
    if (!report.ranking.empty()) {
      const auto& w = report.outages[report.ranking.front()];
      std::cout << "worst: outage of branch " << w.branch + 1 << " (" << pc.branches[w.branch].from << "-"
                << pc.branches[w.branch].to << ") loads branch " << w.worst_branch + 1 << " ("
                << pc.branches[w.worst_branch].from << "-" << pc.branches[w.worst_branch].to << ") to "
                << w.max_loading_percent << " %\n";
    }
    if (!report.ac.empty()) {
      std::cout << "AC confirmation of the worst " << report.ac.size() << " (" << report.ac_seconds * 1e3 << " ms):\n";
      for (const auto& c : report.ac) {
        std::cout << "  outage " << c.branch + 1 << ": DC " << c.dc_loading_percent << " %, AC " << c.max_loading_percent
                  << " % on branch " << c.worst_branch + 1 << " (" << grid::to_string(c.status) << ")\n";
      }
    }
    std::cout << "total " << report.seconds * 1e3 << " ms\n";
  });
}

}  // namespace citytwin::app
