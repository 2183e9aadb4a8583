#pragma once
// One layer to read: its data source, layer or SQL, CRS and the mapping of the
// twin's attributes onto its fields. A manifest table (geo/import/manifest.hpp)
// or an observation source (geo/observations) fills it; geo/gdal's
// LayerReader reads it, so the reader does not depend on the manifest.
#include <cstdint>
#include <map>
#include <string>

#include "geo/gdal/source_policy.hpp"

namespace citytwin::geo {

struct LayerSpec {
  std::string key;          // manifest table: "roads", "signals", "grid.buses", ...
  std::string department;   // transport / energy / planning
  std::string source;       // OGR data source string; relative paths resolved against the manifest
  std::string layer;        // layer name (optional when `sql` is given or the source has one layer)
  std::string where;        // optional OGR attribute filter
  std::string sql;          // optional OGR SQL statement (replaces `layer`)
  std::string crs;          // CRS to assume when the layer has none
  SourceKind source_kind = SourceKind::File;  // what `source` may be (geo/gdal/source_policy.hpp)
  std::map<std::string, std::string> fields;  // twin attribute -> source field name
  std::map<std::string, std::string> units;   // twin attribute -> unit
  std::int64_t line = 0;    // manifest line, for messages

  std::string display_layer() const { return sql.empty() ? layer : "SQL: " + sql; }
  const std::string* field(const std::string& attribute) const {
    auto it = fields.find(attribute);
    return it == fields.end() ? nullptr : &it->second;
  }
  std::string unit(const std::string& attribute, const std::string& fallback) const {
    auto it = units.find(attribute);
    return it == units.end() ? fallback : it->second;
  }
};

}  // namespace citytwin::geo
