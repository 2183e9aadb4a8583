// citytwin export: a twin snapshot -> GeoPackage for QGIS.
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "core/model/snapshot.hpp"
#include "geo/results/twin_export.hpp"

namespace citytwin::app {

void add_export_command(CLI::App& app) {
  struct Options {
    std::string twin, out;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("export",
      "Write the twin as a GeoPackage with layers roads, road_nodes, grid_buses, grid_branches,\n"
      "substations, districts and ev_chargers: every attribute plus its provenance\n"
      "(src_department, src_file, src_layer, src_fid, inferred). Opens in QGIS and ogrinfo.\n"
      "Example: citytwin export city.twin -o city.gpkg");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin)")->required();
  cmd->add_option("-o,--out", opt->out, "GeoPackage to write (.gpkg); written atomically")->required();
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    const Twin twin = read_snapshot(opt->twin);
    const auto n = geo::export_twin(twin, opt->out);
    std::cout << "citytwin export: " << opt->out << ": " << n.roads << " roads, " << n.road_nodes << " road nodes, " << n.buses
              << " buses, " << n.branches << " branches, " << n.substations << " substations, " << n.districts
              << " districts, " << n.chargers << " EV chargers\n";
  });
}

}  // namespace citytwin::app
