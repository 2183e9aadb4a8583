// citytwin info: what a twin snapshot holds.
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/twin_summary.hpp"
#include "core/model/snapshot.hpp"

namespace citytwin::app {

void add_info_command(CLI::App& app) {
  struct Options {
    std::string twin;
    bool json = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("info",
      "Show a twin's counts, extent, CRS, join statistics and the import report.\n"
      "With --json: one object with road_nodes, road_links, signals, buses, branches,\n"
      "substations, districts, crs, extent, joins, sources, report and warnings.\n"
      "Example: citytwin info city.twin --json | jq .road_links");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin)")->required();
  cmd->add_flag("--json", opt->json, "Print one JSON object on stdout");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    const Twin twin = read_snapshot(opt->twin);
    if (opt->json) {
      print_json(twin_summary_json(twin));
      return;
    }
    print_twin_summary(std::cout, twin);
    print_import_report(std::cout, twin.report);
    std::cout << "sources\n";
    for (const auto& s : twin.sources) std::cout << "  " << s.department << ": " << s.path << " [" << s.layer << "]\n";
  });
}

}  // namespace citytwin::app
