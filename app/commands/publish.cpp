// citytwin publish: departments' layers, or a run's results, into the shared
// PostGIS platform (schemas and roles: scripts/pg/platform.sql).
#include <iostream>
#include <map>
#include <set>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "geo/import/manifest.hpp"
#include "geo/gdal/postgis.hpp"
#include "geo/results/postgis_publish.hpp"

namespace citytwin::app {

namespace {

// The manifest's layers grouped by department (= schema), each source layer once.
std::map<std::string, std::vector<geo::TableCopy>> department_tables(const geo::Manifest& m, const std::set<std::string>& only) {
  std::map<std::string, std::vector<geo::TableCopy>> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto* spec : {&m.roads, &m.signals, &m.substations, &m.buses, &m.lines, &m.districts, &m.chargers}) {
    if (!*spec) continue;
    const geo::LayerSpec& s = **spec;
    if (!only.empty() && !only.count(s.department)) continue;
    const SourceLocation at{.file = m.path.string(), .layer = s.key, .line = s.line};
    if (geo::is_postgis_source(s.source)) throw InvalidInput("[" + s.key + "] is already read from a database; publish copies files", at);
    if (!s.sql.empty() || s.layer.empty())
      throw InvalidInput("[" + s.key + "] must name its source layer with 'layer' (publish copies whole layers, not SQL results)", at);
    if (!seen.insert({s.source, s.layer}).second) continue;
    out[s.department].push_back({s.source, s.layer, s.layer});
  }
  for (const auto& d : only)
    if (!out.count(d)) throw InvalidInput("the manifest has no layer of department '" + d + "'", {.file = m.path.string()});
  return out;
}

}  // namespace

void add_publish_command(CLI::App& app) {
  struct Options {
    std::string manifest, results, name, db = "PG:";
    std::vector<std::string> departments;
    unsigned threads = 0;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("publish",
      "Load layers into the shared PostGIS platform, all or nothing (one transaction each).\n"
      "With a manifest: each department's layers (e.g. what `citytwin generate` wrote) into its own\n"
      "schema (transport, energy, planning), tables named after the source layers, replacing earlier\n"
      "ones; datasets/manifests/postgis.toml then imports the twin from there.\n"
      "With --results: a run's GeoPackage into schema twin as tables and views <name>_<layer>.\n"
      "The connected role needs the rights (scripts/pg/platform.sql): a department writes only its\n"
      "schema, the twin role only twin. Credentials come from PGUSER/PGPASSWORD/PGSERVICE or a pgpass\n"
      "file, never from the connection string. A local platform: scripts/pg-cluster.sh start.\n"
      "Example: PGUSER=citytwin_energy citytwin publish city/manifest.toml --department energy\n"
      "         PGUSER=citytwin_twin citytwin publish --results baseline.gpkg");
  cmd->add_option("manifest", opt->manifest, "Source manifest (.toml) whose file layers to publish");
  cmd->add_option("--department", opt->departments, "Publish only this department's layers (repeatable; default: all)");
  cmd->add_option("--results", opt->results, "Publish this results GeoPackage (citytwin run/assign) into schema twin instead");
  cmd->add_option("--name", opt->name, "Name of the results set (table prefix; default: the file's name, e.g. baseline)");
  cmd->add_option("--db", opt->db, "GDAL PostgreSQL connection, without password (default PG: = libpq's PGHOST, PGPORT, PGDATABASE ...)")
      ->capture_default_str();
  cmd->add_flag("--json", opt->json, "Print what was published as one JSON object");
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt] {
    nlohmann::json tables = nlohmann::json::array();
    auto report = [&](const geo::PublishedTable& t) {
      tables.push_back({{"table", t.schema + "." + t.table}, {"features", t.features}});
      if (!opt->json) std::cout << "published   " << t.schema << "." << t.table << " (" << t.features << " features)\n";
    };
    if (opt->results.empty() == opt->manifest.empty())
      throw InvalidInput("give either a manifest (departments' layers) or --results FILE (a run's results), not both or neither");
    if (!opt->results.empty()) {
      const std::string name = opt->name.empty() ? geo::default_results_name(opt->results) : opt->name;
      const auto r = geo::publish_results(opt->db, opt->results, name);
      for (const auto& t : r.tables) report(t);
      if (opt->json) print_json({{"results", r.name}, {"tables", tables}, {"views", r.views}});
      else for (const auto& v : r.views) std::cout << "published   " << v << " (view)\n";
      return;
    }
    const geo::Manifest m = geo::load_manifest(opt->manifest);
    const std::set<std::string> only(opt->departments.begin(), opt->departments.end());
    for (const auto& [department, copies] : department_tables(m, only))
      for (const auto& t : geo::publish_tables(opt->db, department, copies)) report(t);
    if (opt->json) print_json({{"tables", tables}});
  });
}

}  // namespace citytwin::app
