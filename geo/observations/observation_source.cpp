#include "geo/observations/observation_source.hpp"

#include <map>
#include <set>

#include "core/common/errors.hpp"
#include "geo/gdal/source_policy.hpp"
#include "geo/import/toml_file.hpp"

namespace citytwin::geo {

const char* observation_kind_key(ObservationKind k) {
  switch (k) {
    case ObservationKind::Counts: return "counts";
    case ObservationKind::Loads: return "loads";
    case ObservationKind::BranchLoads: return "branch_loads";
    case ObservationKind::Charging: return "charging";
  }
  return "?";
}

namespace {
const std::set<std::string>& attributes(ObservationKind k) {
  static const std::map<ObservationKind, std::set<std::string>> a = {
      {ObservationKind::Counts, {"station", "lon", "lat", "bearing", "time", "vehicles", "class", "speed_kmh"}},
      {ObservationKind::Loads, {"substation", "time", "p_mw", "q_mvar"}},
      {ObservationKind::BranchLoads, {"branch", "time", "p_mw"}},
      {ObservationKind::Charging, {"station", "time", "energy_kwh", "sessions"}},
  };
  return a.at(k);
}

std::string text(const TomlChecks& checks, const toml::table& t, const std::string& key) {
  const toml::node* n = t.get(key);
  if (!n) return "";
  if (!n->is_string()) checks.fail(*n, "'" + key + "' must be a string");
  return n->value<std::string>().value();
}
}  // namespace

LayerSpec observation_source(const std::string& path, ObservationKind kind) {
  const std::string key = observation_kind_key(kind);
  LayerSpec spec;
  spec.key = key;
  if (std::filesystem::path(path).extension() != ".toml") {
    spec.source = path;
    return spec;
  }
  const toml::table doc = read_toml_file(path, "observation manifest");
  const TomlChecks checks(path);
  checks.only_keys(doc, {"counts", "loads", "branch_loads", "charging"}, "the observation manifest");
  const toml::node* n = doc.get(key);
  if (!n) throw InvalidInput("the observation manifest has no [" + key + "] table", {.file = path});
  if (!n->is_table()) checks.fail(*n, "'" + key + "' must be a table");
  const toml::table& t = *n->as_table();
  checks.only_keys(t, {"source", "source_kind", "layer", "where", "sql", "crs", "fields"}, key);
  spec.line = t.source().begin.line;
  spec.source = text(checks, t, "source");
  if (spec.source.empty()) checks.fail(t, "[" + key + "] needs 'source' (an OGR data source: file path or connection string)");
  // A database (the platform's PostGIS tables) or network source only where declared, as in the source manifest.
  if (const toml::node* k = t.get("source_kind"); k && !parse_source_kind(text(checks, t, "source_kind"), spec.source_kind))
    checks.fail(*k, "'source_kind' must be \"file\", \"archive\", \"database\" or \"network\"");
  // Relative file paths are relative to the manifest (as in the source manifest).
  if (spec.source.find(':') == std::string::npos && std::filesystem::path(spec.source).is_relative())
    spec.source = (std::filesystem::path(path).parent_path() / spec.source).lexically_normal().string();
  try {
    check_source(spec.source, spec.source_kind, key);
  } catch (const InvalidInput& e) {
    checks.fail(*t.get("source"), "'" + spec.source + "': " + e.message());
  }
  spec.layer = text(checks, t, "layer");
  spec.where = text(checks, t, "where");
  spec.sql = text(checks, t, "sql");
  spec.crs = text(checks, t, "crs");
  if (!spec.sql.empty() && (!spec.layer.empty() || !spec.where.empty()))
    checks.fail(t, "[" + key + "] gives 'sql' together with 'layer'/'where'; use one or the other");
  if (const toml::node* f = t.get("fields")) {
    if (!f->is_table()) checks.fail(*f, "'fields' must be a table");
    checks.only_keys(*f->as_table(), attributes(kind), key + ".fields");
    for (const auto& [k, v] : *f->as_table()) {
      if (!v.is_string()) checks.fail(v, "field mapping '" + std::string(k.str()) + "' must name a source column (a string)");
      spec.fields[std::string(k.str())] = v.value<std::string>().value();
    }
  }
  return spec;
}

}  // namespace citytwin::geo
