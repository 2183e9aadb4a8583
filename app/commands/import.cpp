// citytwin import: department layers (via a manifest) -> one twin snapshot.
#include <chrono>
#include <iostream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/twin_summary.hpp"
#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "geo/import/manifest.hpp"
#include "geo/import/twin_import.hpp"
#include "geo/osm/osm_import.hpp"
#include "geo/osm/osm_reader.hpp"

namespace citytwin::app {

void add_import_command(CLI::App& app) {
  struct Options {
    std::string manifest, out;
    unsigned threads = 0;
    bool json = false, lenient = false;
    geo::osm::OsmImportOptions osm;  // for .osm.pbf / .osm inputs
    double population_total = -1, jobs_total = -1;
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
      "An OpenStreetMap extract (.osm.pbf or .osm) is imported directly: drivable highways, the power\n"
      "grid (completed at distribution level where OSM is sparse) and admin boundaries as districts;\n"
      "tags, defaults and what is inferred: datasets/osm/README.md. (c) OpenStreetMap contributors.\n"
      "Example: citytwin import city/manifest.toml -o city.twin\n"
      "         citytwin import malta.osm.pbf -o malta.twin --population-total 475000");
  cmd->add_option("manifest", opt->manifest, "Source manifest (.toml), or an OpenStreetMap extract (.osm.pbf, .osm)")->required();
  cmd->add_option("-o,--out", opt->out, "Snapshot to write (.twin); written atomically")->required();
  cmd->add_flag("--lenient", opt->lenient, "Skip and count invalid features instead of failing");
  cmd->add_flag("--json", opt->json, "Print the summary and report as one JSON object");
  add_threads_option(*cmd, opt->threads);
  auto* osm = cmd->add_option_group("OpenStreetMap", "Options for .osm.pbf / .osm inputs");
  osm->add_option("--admin-level", opt->osm.admin_level,
                  "boundary=administrative admin_level used as districts (default: automatic, the level whose 5-300 "
                  "polygons best cover the roads)");
  osm->add_option("--population-total", opt->population_total,
                  "Residents to apportion over districts without a population tag, by residential building footprint "
                  "area (fallback: road length)");
  osm->add_option("--jobs-total", opt->jobs_total,
                  "Jobs to apportion by non-residential building footprint area (default: 0.45 x population)");
  osm->add_flag("--include-service", opt->osm.include_service, "Treat highway=service roads as drivable");
  osm->add_flag("--keep-all-components", opt->osm.keep_all_components,
                "Keep road islands outside the largest strongly connected component (default: dropped and reported)");
  osm->add_option("--grid-snap", opt->osm.grid_snap_m, "Metres within which power line ends snap to substations and each other")
      ->capture_default_str();
  osm->add_option("--service-distance", opt->osm.service_distance_m,
                  "A district with no substation this many metres from its load centre gets an inferred distribution "
                  "substation fed from the nearest supply substation")
      ->capture_default_str();
  osm->add_option("--distribution-kv", opt->osm.distribution_kv, "Voltage of inferred distribution substations (kV)")->capture_default_str();
  osm->add_option("--default-kv", opt->osm.default_kv, "Voltage of lines and substations when nothing tells (kV)")->capture_default_str();
  osm->add_option("--connectors", opt->osm.connectors_per_zone, "Centroid connectors per district zone")->capture_default_str();
  cmd->callback([opt] {
    ThreadLimit limit(opt->threads);
    const auto t0 = std::chrono::steady_clock::now();
    if (geo::osm::looks_like_osm(opt->manifest)) {
      if (opt->population_total >= 0) opt->osm.population_total = opt->population_total;
      if (opt->jobs_total >= 0) opt->osm.jobs_total = opt->jobs_total;
      geo::osm::OsmImportSummary summary;
      const Twin twin = geo::osm::import_osm(opt->manifest, opt->osm, &summary);
      write_snapshot(twin, opt->out);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const nlohmann::json phases = {{"read", summary.seconds_read},         {"gdal_pass", summary.seconds_gdal},
                                     {"roads", summary.seconds_roads},
                                     {"districts", summary.seconds_districts}, {"grid", summary.seconds_grid},
                                     {"joins", summary.seconds_joins}};
      if (opt->json) {
        auto j = twin_summary_json(twin);
        j["snapshot"] = opt->out;
        j["seconds"] = seconds;
        j["phase_seconds"] = phases;
        j["osm"] = {{"osmconf", summary.osmconf},
                    {"admin_level", summary.admin_level},
                    {"admin_level_automatic", summary.admin_level_automatic},
                    {"population_method", summary.population_method},
                    {"jobs_method", summary.jobs_method},
                    {"drivable_ways", summary.drivable_ways},
                    {"signals_in_file", summary.signals_in_file},
                    {"signals_matched", summary.signals_matched},
                    {"kept_length_share", summary.drivable_directed_m > 0 ? summary.kept_directed_m / summary.drivable_directed_m : 0.0},
                    {"inferred_substations", summary.inferred_substations},
                    {"grid_islands", summary.grid_islands}};
        print_json(j);
        return;
      }
      print_twin_summary(std::cout, twin);
      print_import_report(std::cout, twin.report);
      std::cout << "districts   admin_level " << summary.admin_level << (summary.admin_level_automatic ? " (automatic)" : "")
                << "; population: " << summary.population_method << "\n"
                << "roads       " << summary.drivable_ways << " drivable ways, "
                << (summary.drivable_directed_m > 0 ? 100 * summary.kept_directed_m / summary.drivable_directed_m : 0.0)
                << " % of their length kept in the largest strongly connected component\n"
                << "wrote       " << opt->out << " in " << seconds << " s " << phases.dump() << "\n"
                << "map data    (c) OpenStreetMap contributors, ODbL\n";
      return;
    }
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
