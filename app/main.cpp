// citytwin: the command-line entry point. Each subcommand registers itself
// (app/commands.hpp); errors are mapped to messages and exit codes here only.
#include <iostream>

#include "app/commands.hpp"
#include "app/mpi_world.hpp"
#include "core/common/errors.hpp"

int main(int argc, char** argv) {
  citytwin::app::MpiWorld mpi(argc, argv);  // MPI only when started by mpirun (issue 16 item 4)
  CLI::App app{
      "citytwin - a spatial digital twin of a city's roads, power grid and districts.\n"
      "It fuses the transport, energy and planning departments' layers into one model and\n"
      "predicts hour by hour road congestion and grid load, and how each pushes on the other.\n\n"
      "Typical session:\n"
      "  citytwin generate --links 20000 -o city/      # or bring your own layers\n"
      "  citytwin import city/manifest.toml -o city.twin\n"
      "  citytwin info city.twin\n"
      "  citytwin export city.twin -o city.gpkg        # open in QGIS\n",
      "citytwin"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "citytwin 0.1.0");

  citytwin::app::add_generate_command(app);
  citytwin::app::add_import_command(app);
  citytwin::app::add_info_command(app);
  citytwin::app::add_export_command(app);
  citytwin::app::add_powerflow_command(app);
  citytwin::app::add_contingency_command(app);
  citytwin::app::add_assign_command(app);
  citytwin::app::add_run_command(app);
  citytwin::app::add_compare_command(app);
  citytwin::app::add_sweep_command(app);
  citytwin::app::add_observe_command(app);
  citytwin::app::add_fit_command(app);
  citytwin::app::add_publish_command(app);
  citytwin::app::add_calibrate_command(app);
  citytwin::app::add_forecast_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const citytwin::Error& e) {
    std::cerr << "citytwin: error: " << e.what() << std::endl;
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "citytwin: internal error: " << e.what() << std::endl;
    return 70;
  }
  return 0;
}
