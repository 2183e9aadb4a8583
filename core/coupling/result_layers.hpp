#pragma once
// The hourly tables of a results GeoPackage (`<layer>_hourly_data`), each
// column described once: written by geo::write_results (one row per element
// and hour, after the element id and the hour), joined to their geometry
// layer by the `<layer>_hourly` views, and read back by geo::read_results.
#include <cstdint>
#include <string>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/layer_schema.hpp"

namespace citytwin::coupling {

struct HourlyColumn {
  std::string name;
  schema::ColumnKind kind = schema::ColumnKind::Real;  // Real (floats, derived) or Int (flags)
  std::string unit;
  std::string doc;
  // The value of element i: one of the hour's arrays (read back), or derived (written only).
  std::vector<float> HourResult::*floats = nullptr;
  std::vector<std::uint8_t> HourResult::*flags = nullptr;
  double (*derived)(const Twin&, const HourResult&, std::size_t) = nullptr;

  double value(const Twin& twin, const HourResult& h, std::size_t i) const;
};

struct HourlyTable {
  std::string layer;  // the geometry layer; the table is `<layer>_hourly_data`, the view `<layer>_hourly`
  std::string id;     // element id column, as in the geometry layer
  schema::GeometryKind geometry = schema::GeometryKind::None;
  schema::Half half = schema::Half::Both;
  std::size_t (*count)(const Twin&) = nullptr;
  std::vector<HourlyColumn> columns;  // after the id and `hour`

  std::string table() const { return layer + "_hourly_data"; }
  std::string view() const { return layer + "_hourly"; }
};

// In the order the tables are written.
const std::vector<HourlyTable>& hourly_tables();

}  // namespace citytwin::coupling
