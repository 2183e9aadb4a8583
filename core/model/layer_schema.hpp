#pragma once
// A file layer of the twin described once: its columns (name, kind, unit,
// doc), how each value is got from the twin and, for layers read back, how it
// is set. `citytwin export`, the results writer and the results reader loop
// over these descriptions instead of naming fields by position; geo/ maps a
// ColumnKind to its OGR field type in one place. No GDAL here.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "core/model/provenance.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::schema {

enum class ColumnKind : std::uint8_t {
  Real,   // double
  Int,    // 32-bit integer: flags (0 / 1), counts
  Int64,  // element ids and references
  Text,
};

enum class GeometryKind : std::uint8_t { None, Point, LineString, MultiPolygon };

// One value of a row: NULL, a real, an integer or a text.
using Cell = std::variant<std::monostate, double, std::int64_t, std::string>;

double cell_real(const Cell& c);          // NULL: NaN
std::int64_t cell_int(const Cell& c, std::int64_t if_null);
std::string cell_text(const Cell& c);     // NULL: ""

// Which half of a run a results layer belongs to (`assign` writes traffic
// only, `powerflow` the grid only, `run` both).
enum class Half : std::uint8_t { Traffic, Grid, Both };

// Rows per layer of the file being read (references are checked against them).
using RowCounts = std::map<std::string, std::size_t>;

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::Real;
  std::string unit;
  std::string doc;
  std::function<Cell(const Twin&, std::size_t)> get;
  // Reading back: sets element i (rows come in id order 0..n-1) from its
  // cell; NULL, or every row's when the file lacks the column. May throw
  // InvalidInput (the reader adds file, layer, feature and field). Empty:
  // the column is written only.
  std::function<void(Twin&, std::size_t, const Cell&)> set;
  bool required = false;  // a file without the column is refused; else its absence is recorded as "<layer>.<name>"
  // A reference to another element: the reader checks 0 <= value < bound.
  std::function<std::size_t(const Twin& so_far, const RowCounts& rows)> bound;
  bool nullable = false;   // a reference that may be NULL

  Column renamed(std::string to) const {
    Column c = *this;
    c.name = std::move(to);
    return c;
  }
};

// The geometry of one element for the writer: a point, a line of a
// LineColumn or a feature of a PolygonColumn.
struct ShapeRef {
  Point2 point{};
  const LineColumn* lines = nullptr;
  const PolygonColumn* polygons = nullptr;
  std::size_t index = 0;
};

// The geometry of one element as read: the part for the layer's kind is set.
struct Shape {
  Point2 point{};
  std::vector<Point2> line;
  std::vector<std::vector<std::vector<Point2>>> polygons;  // polygons of rings
};

struct Layer {
  std::string name;
  GeometryKind geometry = GeometryKind::None;
  Half half = Half::Both;
  std::string id;  // the element id column (0..n-1), written first
  std::function<std::size_t(const Twin&)> count;
  std::vector<Column> columns;  // after the id
  std::function<ShapeRef(const Twin&, std::size_t)> shape;

  // Reading back (results files).
  std::function<void(Twin&, std::size_t, Shape&&)> set_shape;  // empty: the geometry is not read
  // The provenance the results file holds as source_id / source_fid.
  std::function<ProvenanceColumn&(Twin&)> provenance;
  // After the rows: derived values, neutral values for what the file does
  // not hold, each recorded in `missing` as "<layer>.<field>".
  std::function<void(Twin&, std::set<std::string>& missing)> complete;
  bool missing_when_absent = true;  // an absent layer is recorded as missing
};

// Grows v to hold index i (readers set rows in id order).
template <class T>
T& element(std::vector<T>& v, std::size_t i) {
  if (v.size() <= i) v.resize(i + 1);
  return v[i];
}

}  // namespace citytwin::schema
