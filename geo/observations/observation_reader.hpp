#pragma once
// Reads observations from CSV or any OGR layer (see observation_source.hpp
// and datasets/observations/README.md for the columns). Column names are the
// documented defaults (matched case-insensitively) unless the source's field
// mapping names others. Counts' lon/lat columns (WGS 84, or the source's
// `crs`) or, without them, the layer's point geometry are transformed into
// the twin's CRS. Times are ISO 8601 hour starts, local.
//
// Every problem is an InvalidInput naming the file (line for CSV, feature
// id otherwise) and the column: a missing column, an unparseable time or
// number, a negative count / energy / session number, an unknown substation
// or branch, a station whose rows disagree on position or bearing. Values
// that parse but are suspicious (duplicates, implausible size, gaps) are
// for the quality checks (core/observations/quality.hpp), which count them.
#include <vector>

#include "core/model/twin.hpp"
#include "core/observations/observations.hpp"
#include "geo/gdal/layer_spec.hpp"

namespace citytwin::geo {

std::vector<observations::TrafficCount> read_counts(const LayerSpec& spec, const Twin& twin);
// Substations by the twin's name or, failing that, its id (0-based, as in results files).
std::vector<observations::GridMeasurement> read_substation_loads(const LayerSpec& spec, const Twin& twin);
// Branches by id (0-based, as in results files).
std::vector<observations::GridMeasurement> read_branch_loads(const LayerSpec& spec, const Twin& twin);
std::vector<observations::ChargingRecord> read_charging(const LayerSpec& spec);

}  // namespace citytwin::geo
