// citytwin import: department layers (via a manifest) -> one twin snapshot.
#include <chrono>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/twin_summary.hpp"
#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "geo/io/manifest.hpp"
#include "geo/io/twin_import.hpp"

namespace citytwin::app {

void add_import_command(CLI::App& app) {
  struct Options {
    std::string manifest, out;
    unsigned threads = 0;
    bool json = false, lenient = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("import",
      "Build the twin from the departments' layers named in a manifest and write a snapshot.\n"
      "Every layer is read through GDAL (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV with WKT,\n"
      "PostGIS ...), transformed into one metric CRS (UTM zone of the roads unless the manifest names\n"
      "one), turned into a routable road graph, a grid and districts, and tied together by spatial\n"
      "joins. Prints a validation report: counts, skipped features with reasons, inferred values.\n"
      "Bad features stop the import with file, layer, feature id and field, unless --lenient.\n"
      "Manifest format: datasets/manifests/README.md.\n"
      "Example: citytwin import city/manifest.toml -o city.twin");
  cmd->add_option("manifest", opt->manifest, "Source manifest (.toml)")->required();
  cmd->add_option("-o,--out", opt->out, "Snapshot to write (.twin); written atomically")->required();
  cmd->add_flag("--lenient", opt->lenient, "Skip and count invalid features instead of failing");
  cmd->add_flag("--json", opt->json, "Print the summary and report as one JSON object");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    ThreadLimit limit(opt->threads);
    const auto t0 = std::chrono::steady_clock::now();
    geo::Manifest manifest = geo::load_manifest(opt->manifest);
    if (opt->lenient) manifest.lenient = true;
    geo::ImportSummary summary;
    const Twin twin = geo::import_twin(manifest, &summary);
    write_snapshot(twin, opt->out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (opt->json) {
      auto j = twin_summary_json(twin);
      j["snapshot"] = opt->out;
      j["seconds"] = seconds;
      j["phase_seconds"] = {{"roads", summary.seconds_roads}, {"other_layers", summary.seconds_other_layers}, {"joins", summary.seconds_joins}};
      print_json(j);
      return;
    }
    print_twin_summary(std::cout, twin);
    print_import_report(std::cout, twin.report);
    std::cout << "wrote       " << opt->out << " in " << seconds << " s (roads " << summary.seconds_roads << " s, other layers "
              << summary.seconds_other_layers << " s, joins " << summary.seconds_joins << " s)\n";
  });
}

}  // namespace citytwin::app
