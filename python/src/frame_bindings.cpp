// The columns behind `Twin.frame(layer)` and `Results.frame(layer)` (pandas /
// GeoPandas, python/citytwin/__init__.py). Each layer's columns come from the
// one description the files use (core/model/twin_layers.hpp for the twin's
// layers, core/coupling/result_layers.hpp for the hourly tables), so a frame
// has the same columns as the layer or table of a results GeoPackage. Every
// column is one NumPy array that owns its data (text columns: a list of str);
// the hourly columns that are a Results array are that array, not a copy.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/coupling/result_layers.hpp"
#include "core/model/layer_schema.hpp"
#include "core/model/twin_layers.hpp"
#include "python/src/frame_bindings.hpp"

namespace py = pybind11;

namespace citytwin::python {

namespace {

namespace schema = citytwin::schema;
using H = coupling::HourResult;

// The twin behind a Python Twin (bindings.cpp's PyTwin, opaque here).
const Twin& twin_of(const py::handle& py_twin, const TwinAccess& access) { return access(py_twin); }

const char* kind_name(schema::ColumnKind k) {
  switch (k) {
    case schema::ColumnKind::Real: return "real";
    case schema::ColumnKind::Int: return "int";
    case schema::ColumnKind::Int64: return "int64";
    case schema::ColumnKind::Text: return "text";
  }
  return "real";
}

const char* geometry_name(schema::GeometryKind g) {
  switch (g) {
    case schema::GeometryKind::None: return "none";
    case schema::GeometryKind::Point: return "point";
    case schema::GeometryKind::LineString: return "linestring";
    case schema::GeometryKind::MultiPolygon: return "multipolygon";
  }
  return "none";
}

// The twin's layers: those of a results GeoPackage, then the export's others.
std::vector<schema::Layer> frame_layers(const Twin& twin) {
  std::vector<schema::Layer> out = schema::results_twin_layers();
  for (auto& l : schema::export_layers(twin)) {
    bool known = false;
    for (const auto& k : out) known = known || k.name == l.name;
    if (!known) out.push_back(std::move(l));
  }
  return out;
}

const schema::Layer& find_layer(const std::vector<schema::Layer>& layers, const std::string& name) {
  std::string known;
  for (const auto& l : layers) {
    if (l.name == name) return l;
    known += (known.empty() ? "" : ", ") + l.name;
  }
  throw InvalidInput("no twin layer '" + name + "'; the layers are: " + known);
}

// One column: (name, kind, values, mask or None). Integer columns with NULLs
// carry a bool mask (True: NULL) for pandas' nullable integer arrays; reals
// hold NaN for NULL; text columns are a list of str (None for NULL).
py::tuple column_values(const Twin& twin, const schema::Column& c, std::size_t n) {
  using K = schema::ColumnKind;
  py::object mask = py::none();
  py::object values;
  if (c.kind == K::Real) {
    py::array_t<double> a(static_cast<py::ssize_t>(n));
    double* p = a.mutable_data();
    for (std::size_t i = 0; i < n; ++i) p[i] = schema::cell_real(c.get(twin, i));
    values = a;
  } else if (c.kind == K::Text) {
    py::list l(n);
    for (std::size_t i = 0; i < n; ++i) {
      const schema::Cell cell = c.get(twin, i);
      if (std::holds_alternative<std::monostate>(cell)) l[i] = py::none();
      else l[i] = py::str(schema::cell_text(cell));
    }
    values = l;
  } else {
    auto fill = [&](auto* p) {
      std::vector<bool> null(n, false);
      bool any = false;
      for (std::size_t i = 0; i < n; ++i) {
        const schema::Cell cell = c.get(twin, i);
        null[i] = std::holds_alternative<std::monostate>(cell);
        any = any || null[i];
        p[i] = static_cast<std::remove_pointer_t<decltype(p)>>(schema::cell_int(cell, 0));
      }
      if (any) {
        py::array_t<bool> m(static_cast<py::ssize_t>(n));
        for (std::size_t i = 0; i < n; ++i) m.mutable_data()[i] = null[i];
        mask = m;
      }
    };
    if (c.kind == K::Int) {
      py::array_t<std::int32_t> a(static_cast<py::ssize_t>(n));
      fill(a.mutable_data());
      values = a;
    } else {
      py::array_t<std::int64_t> a(static_cast<py::ssize_t>(n));
      fill(a.mutable_data());
      values = a;
    }
  }
  return py::make_tuple(c.name, kind_name(c.kind), values, mask);
}

py::dict layer_columns(const Twin& twin, const std::string& name) {
  const auto layers = frame_layers(twin);
  const schema::Layer& layer = find_layer(layers, name);
  const std::size_t n = layer.count(twin);
  py::array_t<std::int64_t> ids(static_cast<py::ssize_t>(n));
  for (std::size_t i = 0; i < n; ++i) ids.mutable_data()[i] = static_cast<std::int64_t>(i);
  py::list columns;
  for (const auto& c : layer.columns) columns.append(column_values(twin, c, n));
  py::dict d;
  d["layer"] = layer.name;
  d["id"] = layer.id;
  d["ids"] = ids;
  d["columns"] = columns;
  d["geometry"] = geometry_name(layer.geometry);
  return d;
}

// A layer's geometry as flat arrays in the GeoArrow layout shapely's
// from_ragged_array takes: x, y and, for lines, one offsets array
// (feature -> coordinates); for multipolygons three (ring -> coordinates,
// polygon -> rings, feature -> polygons). Points: x, y only.
py::dict layer_geometry(const Twin& twin, const std::string& name) {
  const auto layers = frame_layers(twin);
  const schema::Layer& layer = find_layer(layers, name);
  if (layer.geometry == schema::GeometryKind::None) throw InvalidInput("the twin layer '" + name + "' has no geometry");
  const std::size_t n = layer.count(twin);
  std::vector<double> x, y;
  std::vector<std::int64_t> coord_off{0}, ring_off{0}, poly_off{0};
  for (std::size_t i = 0; i < n; ++i) {
    const schema::ShapeRef s = layer.shape(twin, i);
    switch (layer.geometry) {
      case schema::GeometryKind::Point:
        x.push_back(s.point.x);
        y.push_back(s.point.y);
        break;
      case schema::GeometryKind::LineString: {
        const LineColumn& lc = *s.lines;
        for (auto k = lc.offsets[s.index]; k < lc.offsets[s.index + 1]; ++k) x.push_back(lc.x[k]), y.push_back(lc.y[k]);
        coord_off.push_back(static_cast<std::int64_t>(x.size()));
        break;
      }
      case schema::GeometryKind::MultiPolygon: {
        const PolygonColumn& pc = *s.polygons;
        for (auto p = pc.polygon_offsets[s.index]; p < pc.polygon_offsets[s.index + 1]; ++p) {
          for (auto r = pc.ring_offsets[p]; r < pc.ring_offsets[p + 1]; ++r) {
            for (auto k = pc.coord_offsets[r]; k < pc.coord_offsets[r + 1]; ++k) x.push_back(pc.x[k]), y.push_back(pc.y[k]);
            coord_off.push_back(static_cast<std::int64_t>(x.size()));
          }
          ring_off.push_back(static_cast<std::int64_t>(coord_off.size() - 1));
        }
        poly_off.push_back(static_cast<std::int64_t>(ring_off.size() - 1));
        break;
      }
      case schema::GeometryKind::None: break;
    }
  }
  auto arr = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
    if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
  };
  py::dict d;
  d["type"] = geometry_name(layer.geometry);
  d["x"] = arr(x);
  d["y"] = arr(y);
  py::list offsets;
  if (layer.geometry == schema::GeometryKind::LineString) offsets.append(arr(coord_off));
  if (layer.geometry == schema::GeometryKind::MultiPolygon) {
    offsets.append(arr(coord_off));
    offsets.append(arr(ring_off));
    offsets.append(arr(poly_off));
  }
  d["offsets"] = offsets;
  return d;
}

// The Results array (bindings.cpp's names, python Results.FIELDS) holding an hourly column.
struct FloatArray {
  std::vector<float> H::*member;
  const char* name;
};
struct FlagArray {
  std::vector<std::uint8_t> H::*member;
  const char* name;
};
const FloatArray kFloatArrays[] = {
    {&H::link_flow, "link_flow"}, {&H::link_time_s, "link_time_s"}, {&H::link_vc, "link_vc"}, {&H::link_speed_kph, "link_speed_kph"},
    {&H::link_capacity_factor, "link_capacity_factor"}, {&H::bus_load_mw, "bus_load_mw"}, {&H::branch_loading_pct, "branch_loading_pct"},
    {&H::substation_load_mva, "substation_load_mva"}, {&H::substation_utilisation, "substation_utilisation"},
    {&H::district_vkt, "district_vkt"}, {&H::district_vht, "district_vht"}, {&H::district_delay_h, "district_delay_h"},
    {&H::district_unserved_mwh, "district_unserved_mwh"}, {&H::district_ev_mwh, "district_ev_mwh"}, {&H::district_load_mw, "district_load_mw"},
};
const FlagArray kFlagArrays[] = {
    {&H::bus_energised, "bus_energised"}, {&H::substation_failed, "substation_failed"}, {&H::signal_dark, "signal_dark"},
};

const char* array_name(const coupling::HourlyColumn& c) {
  for (const auto& f : kFloatArrays)
    if (c.floats == f.member) return f.name;
  for (const auto& f : kFlagArrays)
    if (c.flags == f.member) return f.name;
  return nullptr;
}

// An hourly table's columns from a run's arrays ([hour, element] each):
// (name, kind, values [hours * elements, hour-major], None). Stored columns
// are the arrays raveled (views); derived ones are computed from them.
py::dict hourly_columns(const Twin& twin, const std::string& name, const py::dict& arrays) {
  const coupling::HourlyTable* table = nullptr;
  std::string known;
  for (const auto& t : coupling::hourly_tables()) {
    if (t.layer == name) table = &t;
    known += (known.empty() ? "" : ", ") + t.layer;
  }
  if (!table) throw InvalidInput("no hourly results table '" + name + "'; the tables are: " + known);
  const std::size_t n = table->count(twin);
  py::list columns;
  // Derived columns need an HourResult: filled, once, from this table's stored columns.
  std::vector<H> hours;
  auto stored = [&](const coupling::HourlyColumn& c) -> py::array {
    const char* a = array_name(c);
    if (!a) throw Error("internal: the hourly column " + name + "." + c.name + " has no Results array");
    py::array arr = arrays[py::str(a)];
    if (arr.ndim() != 2 || static_cast<std::size_t>(arr.shape(1)) != n)
      throw Error("internal: Results array " + std::string(a) + " is not [hour, " + std::to_string(n) + "]");
    return arr;
  };
  for (const auto& c : table->columns) {
    if (!c.derived) {
      columns.append(py::make_tuple(c.name, kind_name(c.kind), stored(c).attr("reshape")(-1), py::none()));
      continue;
    }
    if (hours.empty()) {
      for (const auto& s : table->columns) {
        if (s.derived) continue;
        py::array arr = stored(s);
        if (hours.empty()) hours.resize(static_cast<std::size_t>(arr.shape(0)));
        for (std::size_t h = 0; h < hours.size(); ++h) {
          if (s.floats) {
            const auto view = py::array_t<float, py::array::c_style | py::array::forcecast>(arr[py::int_(h)]);
            (hours[h].*s.floats).assign(view.data(), view.data() + n);
          } else {
            const auto view = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>(arr[py::int_(h)]);
            (hours[h].*s.flags).assign(view.data(), view.data() + n);
          }
        }
      }
    }
    py::array_t<double> v(static_cast<py::ssize_t>(hours.size() * n));
    for (std::size_t h = 0; h < hours.size(); ++h)
      for (std::size_t i = 0; i < n; ++i) v.mutable_data()[h * n + i] = c.value(twin, hours[h], i);
    columns.append(py::make_tuple(c.name, kind_name(c.kind), v, py::none()));
  }
  py::dict d;
  d["layer"] = table->layer;
  d["id"] = table->id;
  d["count"] = n;
  d["columns"] = columns;
  return d;
}

}  // namespace

void register_frame_bindings(py::module_& m, TwinAccess access) {
  m.def("frame_layers", [access](py::object twin) {
        py::list out;
        for (const auto& l : frame_layers(twin_of(twin, access))) out.append(l.name);
        return out;
      }, py::arg("twin"), "the twin layers Twin.frame takes (a results GeoPackage's, then the export's others)");
  m.def("hourly_tables", [] {
        py::list out;
        for (const auto& t : coupling::hourly_tables()) out.append(t.layer);
        return out;
      }, "the hourly results tables Results.frame takes");
  m.def("layer_columns", [access](py::object twin, const std::string& layer) { return layer_columns(twin_of(twin, access), layer); },
        py::arg("twin"), py::arg("layer"));
  m.def("layer_geometry", [access](py::object twin, const std::string& layer) { return layer_geometry(twin_of(twin, access), layer); },
        py::arg("twin"), py::arg("layer"));
  m.def("hourly_columns", [access](py::object twin, const std::string& layer, const py::dict& arrays) {
        return hourly_columns(twin_of(twin, access), layer, arrays);
      }, py::arg("twin"), py::arg("layer"), py::arg("arrays"));
}

}  // namespace citytwin::python
