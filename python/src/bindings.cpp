// citytwin._core: the pybind11 bindings behind the `citytwin` Python package
// (python/citytwin/__init__.py is the public face). Static twin attributes are
// read-only NumPy views on the twin's columns; simulation results are copied
// once into [hour, element] arrays. The simulation runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/coupling/hour_totals_fields.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/scenario/scenario_toml.hpp"
#include "geo/scenario/scenario_writer.hpp"
#include "geo/import/toml_file.hpp"
#include "python/src/frame_bindings.hpp"
#include "python/src/forecast_bindings.hpp"
#include "python/src/skims_bindings.hpp"
#include "python/src/calibrate_bindings.hpp"

namespace py = pybind11;
using citytwin::Twin;
namespace coupling = citytwin::coupling;

namespace {

// ---------------------------------------------------------------- arrays

void make_readonly(py::array& a) { a.attr("setflags")(py::arg("write") = false); }

// A read-only 1-D view on a column; `base` (the Python twin) keeps it alive.
template <class T>
py::array column_view(const std::vector<T>& v, py::handle base) {
  py::array a(py::dtype::of<T>(), {static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(T))}, v.data(), base);
  make_readonly(a);
  return a;
}

// Enum columns (one byte each) as uint8 views.
template <class E>
py::array enum_view(const std::vector<E>& v, py::handle base) {
  static_assert(sizeof(E) == 1);
  py::array a(py::dtype::of<std::uint8_t>(), {static_cast<py::ssize_t>(v.size())}, {py::ssize_t{1}},
              reinterpret_cast<const std::uint8_t*>(v.data()), base);
  make_readonly(a);
  return a;
}

template <class T>
py::array_t<T> copy_array(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// ---------------------------------------------------------------- objects

struct PyTwin {
  std::shared_ptr<const Twin> twin;
  std::string path;
  std::vector<std::uint32_t> signal_node;  // the order of HourResult::signal_dark
};

struct PyScenario {
  std::shared_ptr<const coupling::Scenario> scenario;
  std::shared_ptr<const Twin> resolved_for;  // the twin the ids refer to
};

// The [parameters] of a scenario being built in Python: a coupling::Scenario
// of which only the listed parameter fields are used, each set through its
// field (type and range checked there, errors naming the field).
struct PyParameters {
  coupling::Scenario values;
};

PyTwin load_twin(const std::string& path) {
  PyTwin t;
  {
    py::gil_scoped_release release;
    t.twin = std::make_shared<const Twin>(citytwin::read_snapshot(path));
  }
  t.path = path;
  t.signal_node = t.twin->signal_nodes();
  return t;
}

// ---------------------------------------------------------------- parameters (from the field list)

using ScenarioField = citytwin::Field<coupling::Scenario>;

const ScenarioField& parameter_field(const std::string& name) {
  const auto& fields = coupling::scenario_parameter_fields();
  const ScenarioField* f = citytwin::find_field(fields, name);
  if (!f) throw citytwin::InvalidInput("unknown parameter '" + name + "'; known: " + citytwin::field_names(fields));
  return *f;
}

// A field's value as Python sees it: float, int, bool or the enum's spelling.
py::object parameter_value(const ScenarioField& f, const coupling::Scenario& s) {
  const double v = f.get(s);
  switch (f.kind) {
    case citytwin::FieldKind::Integer: return py::int_(static_cast<long long>(v));
    case citytwin::FieldKind::Bool: return py::bool_(v != 0);
    case citytwin::FieldKind::Enum: return py::str(f.text(v));
    case citytwin::FieldKind::Real: break;
  }
  return py::float_(v);
}

// A Python value into the field (bool before int: Python's bool is an int).
void set_parameter(coupling::Scenario& s, const ScenarioField& f, const py::handle& value) {
  citytwin::FieldInput in;
  if (py::isinstance<py::bool_>(value) || py::isinstance(value, py::module_::import("numpy").attr("bool_"))) in = value.cast<bool>();
  else if (py::isinstance<py::str>(value)) in = value.cast<std::string>();
  else if (py::hasattr(value, "__index__") || py::isinstance<py::float_>(value) ||
           py::isinstance(value, py::module_::import("numbers").attr("Real")))
    in = py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>();
  else
    throw citytwin::InvalidInput("'" + f.name + "' takes " + (f.kind == citytwin::FieldKind::Bool ? std::string("true or false")
                                                            : f.kind == citytwin::FieldKind::Enum ? f.range_text()
                                                                                                  : std::string("a number")) +
                                 ", not " + py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  f.assign(s, in);
}

// Every listed parameter, or only those that differ from their default.
py::dict parameter_dict(const coupling::Scenario& s, bool changed_only = false) {
  py::dict d;
  for (const auto& f : coupling::scenario_parameter_fields())
    if (!changed_only || f.get(s) != f.default_value()) d[py::str(f.name)] = parameter_value(f, s);
  return d;
}

py::list parameter_field_list() {
  py::list out;
  for (const auto& f : coupling::scenario_parameter_fields()) {
    py::dict d;
    d["name"] = f.name;
    d["kind"] = citytwin::field_kind_name(f.kind);
    d["unit"] = f.unit;
    d["min"] = f.min;
    d["max"] = f.max;
    d["default"] = parameter_value(f, coupling::Scenario{});
    d["doc"] = f.doc;
    py::list choices;
    for (const auto& c : f.choices) choices.append(c.name);
    d["choices"] = choices;
    out.append(d);
  }
  return out;
}

// ---------------------------------------------------------------- scenarios as objects

// A Python value as a TOML value, by type (never by text): keys and strings
// stay data, so no value can become another key. `put` receives a bool,
// std::string, std::int64_t, double or toml::array; None puts nothing.
struct ArrayPut {  // one type for every nesting level (a lambda would make each level a new template)
  toml::array* a;
  template <class X>
  void operator()(X&& x) const {
    a->push_back(std::forward<X>(x));
  }
};

template <class Put>
void put_value(const py::handle& v, const std::string& key, Put&& put) {
  if (v.is_none()) return;
  if (py::isinstance<py::bool_>(v) || py::isinstance(v, py::module_::import("numpy").attr("bool_"))) {
    put(v.cast<bool>());
  } else if (py::isinstance<py::str>(v)) {
    put(v.cast<std::string>());
  } else if (py::hasattr(v, "__index__")) {
    put(py::int_(py::reinterpret_borrow<py::object>(v)).cast<std::int64_t>());
  } else if (py::isinstance(v, py::module_::import("numbers").attr("Real"))) {
    put(py::float_(py::reinterpret_borrow<py::object>(v)).cast<double>());
  } else if (py::isinstance<py::sequence>(v) || py::hasattr(v, "__array__")) {
    toml::array a;
    for (const py::handle item : py::iter(v)) put_value(item, key, ArrayPut{&a});
    put(std::move(a));
  } else {
    throw py::type_error("cannot put " + py::repr(v).cast<std::string>() + " (" +
                         py::str(py::type::of(v).attr("__name__")).cast<std::string>() + ") into a scenario as '" + key + "'");
  }
}

// [[table]] entries from a list of dicts.
toml::array table_array(const py::list& entries, const char* what) {
  toml::array out;
  for (const py::handle e : entries) {
    if (!py::isinstance<py::dict>(e)) throw py::type_error(std::string("each of ") + what + " must be a dict");
    toml::table t;
    for (const auto& [k, v] : e.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k)) throw py::type_error(std::string("the keys of ") + what + " must be strings");
      const std::string key = k.cast<std::string>();
      put_value(v, key, [&](auto&& x) { t.insert_or_assign(key, std::forward<decltype(x)>(x)); });
    }
    out.push_back(std::move(t));
  }
  return out;
}

// The scenario file's document, built from the Python Scenario's parts.
toml::table scenario_document(const std::string& name, const py::object& description, const py::object& od_matrix, const PyParameters& p,
                              const py::list& outages, const py::list& link_changes, const py::list& growth) {
  toml::table root;
  root.insert("name", name);
  if (!description.is_none()) root.insert("description", description.cast<std::string>());
  if (!od_matrix.is_none()) root.insert("od_matrix", od_matrix.cast<std::string>());
  if (toml::table params = citytwin::geo::parameters_table(p.values); !params.empty()) root.insert("parameters", std::move(params));
  const std::pair<const char*, const py::list*> parts[] = {{"link_changes", &link_changes}, {"outages", &outages}, {"growth", &growth}};
  for (const auto& [key, list] : parts)
    if (!list->empty()) root.insert(key, table_array(*list, key));
  return root;
}

// Errors of an in-memory scenario name the Python scenario instead of a file.
template <class F>
auto labelled(const std::string& label, F&& f) {
  try {
    return f();
  } catch (const citytwin::InvalidInput& e) {
    throw citytwin::InvalidInput(label + ": " + e.message());
  }
}

PyScenario resolve_scenario(const std::string& name, const py::object& description, const py::object& od_matrix, const PyParameters& p,
                            const py::list& outages, const py::list& link_changes, const py::list& growth, const PyTwin& twin,
                            const std::string& label) {
  const toml::table doc = scenario_document(name, description, od_matrix, p, outages, link_changes, growth);
  PyScenario s;
  s.scenario = std::make_shared<const coupling::Scenario>(
      labelled(label, [&] { return citytwin::geo::scenario_from_table(doc, label, std::filesystem::current_path(), *twin.twin); }));
  s.resolved_for = twin.twin;
  return s;
}

// A scenario file resolved against a twin, with the Python object's parameters in place of the file's.
PyScenario with_parameters(const PyScenario& resolved, const PyParameters& p, const std::string& label) {
  auto s = std::make_shared<coupling::Scenario>(*resolved.scenario);
  for (const auto& f : coupling::scenario_parameter_fields()) f.put(*s, f.get(p.values));
  labelled(label, [&] {
    coupling::check_parameters(s->coupling);
    return 0;
  });
  return PyScenario{s, resolved.resolved_for};
}

py::list scenario_outages(const coupling::Scenario& s) {
  py::list out;
  for (const auto& o : s.outages) {
    py::object repair = std::isinf(o.repair_hours) ? py::object(py::none()) : py::object(py::float_(o.repair_hours));
    out.append(py::make_tuple(coupling::asset_kind_name(o.kind), o.id, o.from_hour, repair));
  }
  return out;
}

py::list scenario_link_changes(const coupling::Scenario& s) {
  py::list out;
  for (const auto& c : s.link_changes) {
    py::dict d;
    d["links"] = copy_array(c.links);
    d["capacity_factor"] = c.capacity_factor;
    d["from_hour"] = c.from_hour;
    d["to_hour"] = c.to_hour;
    out.append(d);
  }
  return out;
}

// ---------------------------------------------------------------- results

template <class T, class Out = T>
py::array_t<Out> stack(const std::vector<coupling::HourResult>& hours, std::vector<T> coupling::HourResult::*field, std::size_t n) {
  py::array_t<Out> a({static_cast<py::ssize_t>(hours.size()), static_cast<py::ssize_t>(n)});
  Out* p = a.mutable_data();
  for (std::size_t h = 0; h < hours.size(); ++h) {
    const std::vector<T>& v = hours[h].*field;
    if (v.size() != n)
      throw citytwin::Error("internal: hour " + std::to_string(hours[h].totals.hour) + " has " + std::to_string(v.size()) +
                            " values where the twin has " + std::to_string(n) + " elements");
    for (std::size_t i = 0; i < n; ++i) p[h * n + i] = static_cast<Out>(v[i]);
  }
  return a;
}

template <class T>
py::array_t<T> totals_column(const std::vector<coupling::HourResult>& hours, T coupling::HourTotals::*field) {
  py::array_t<T> a(static_cast<py::ssize_t>(hours.size()));
  for (std::size_t h = 0; h < hours.size(); ++h) a.mutable_data()[h] = hours[h].totals.*field;
  return a;
}

py::dict results_dict(const PyTwin& t, const coupling::SimulationResult& r) {
  using H = coupling::HourResult;
  const Twin& tw = *t.twin;
  const auto& hs = r.hours;
  const std::size_t nl = tw.roads.link_count(), nb = tw.grid.bus_count(), nbr = tw.grid.branch_count(),
                    ns = tw.grid.substation_count(), nd = tw.roads.zone_node.size(), nsig = t.signal_node.size();
  py::dict d;
  d["scenario"] = r.scenario;
  std::vector<int> hour_list;
  for (const auto& h : hs) hour_list.push_back(h.totals.hour);
  d["hours"] = hour_list;
  py::dict a;
  a["link_flow"] = stack(hs, &H::link_flow, nl);
  a["link_time_s"] = stack(hs, &H::link_time_s, nl);
  a["link_vc"] = stack(hs, &H::link_vc, nl);
  a["link_speed_kph"] = stack(hs, &H::link_speed_kph, nl);
  a["link_capacity_factor"] = stack(hs, &H::link_capacity_factor, nl);
  a["bus_load_mw"] = stack(hs, &H::bus_load_mw, nb);
  a["bus_energised"] = stack<std::uint8_t, bool>(hs, &H::bus_energised, nb);
  a["branch_loading_pct"] = stack(hs, &H::branch_loading_pct, nbr);
  a["substation_load_mva"] = stack(hs, &H::substation_load_mva, ns);
  a["substation_utilisation"] = stack(hs, &H::substation_utilisation, ns);
  a["substation_failed"] = stack<std::uint8_t, bool>(hs, &H::substation_failed, ns);
  a["signal_dark"] = stack<std::uint8_t, bool>(hs, &H::signal_dark, nsig);
  a["district_vkt"] = stack(hs, &H::district_vkt, nd);
  a["district_vht"] = stack(hs, &H::district_vht, nd);
  a["district_delay_h"] = stack(hs, &H::district_delay_h, nd);
  a["district_unserved_mwh"] = stack(hs, &H::district_unserved_mwh, nd);
  a["district_ev_mwh"] = stack(hs, &H::district_ev_mwh, nd);
  a["district_load_mw"] = stack(hs, &H::district_load_mw, nd);
  d["arrays"] = a;
  py::dict tot;
  for (const auto& f : coupling::hour_total_fields())
    if (f.in(coupling::kPython)) std::visit([&](auto m) { tot[py::str(std::string(f.name))] = totals_column(hs, m); }, f.member);
  d["totals"] = tot;
  py::dict sec;
  sec["demand"] = r.seconds.demand;
  sec["assignment"] = r.seconds.assignment;
  sec["ev_charging"] = r.seconds.ev;
  sec["power_flow"] = r.seconds.power_flow;
  sec["failures"] = r.seconds.failures;
  d["phase_seconds"] = sec;
  return d;
}

py::dict run(const PyTwin& twin, const PyScenario* scenario, const std::vector<int>& hours, unsigned threads, py::object progress) {
  if (scenario && scenario->resolved_for != twin.twin)
    throw citytwin::InvalidInput("the scenario was resolved against another twin (its link, bus and district ids refer to that one)");
  const coupling::Scenario baseline;
  const coupling::Scenario& s = scenario ? *scenario->scenario : baseline;
  coupling::SimulationOptions options;
  options.hours = hours;
  // Once per coupling round: take the GIL, honour Ctrl-C and call the Python progress callback.
  options.on_progress = [&progress](const coupling::Progress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!progress.is_none()) progress(p.hour, p.hours_done, p.hours_total, p.round);
  };
  coupling::SimulationResult result;
  {
    py::gil_scoped_release release;
    citytwin::ThreadLimit limit(threads);
    result = coupling::simulate(*twin.twin, s, options);
  }
  return results_dict(twin, result);
}

std::string twin_repr(const PyTwin& t) {
  const Twin& w = *t.twin;
  std::ostringstream o;
  o << "<citytwin.Twin '" << w.name << "' (" << w.crs << "): " << w.roads.node_count() << " nodes, " << w.roads.link_count()
    << " links, " << t.signal_node.size() << " signals, " << w.grid.bus_count() << " buses, " << w.grid.branch_count() << " branches, "
    << w.grid.substation_count() << " substations, " << w.districts.size() << " districts, " << w.chargers.size() << " chargers>";
  return o.str();
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "citytwin C++ core (use the `citytwin` package, not this module directly)";

  // Errors: the citytwin::Error hierarchy as Python exceptions carrying the message
  // (file, line, layer, feature, field included). The type objects are kept for the
  // life of the process (never released at exit, when the interpreter may be gone);
  // PyErr_SetString works with every pybind11 from 2.10 (Debian 12) to 3.x (PyPI).
  static PyObject* error = py::exception<citytwin::Error>(m, "Error", PyExc_RuntimeError).release().ptr();
  static PyObject* invalid = py::exception<citytwin::InvalidInput>(m, "InvalidInput", PyExc_ValueError).release().ptr();
  static PyObject* io = py::exception<citytwin::IoError>(m, "IoError", PyExc_OSError).release().ptr();
  static PyObject* not_converged = py::exception<citytwin::NotConverged>(m, "NotConverged", error).release().ptr();
  static PyObject* backend = py::exception<citytwin::BackendUnavailable>(m, "BackendUnavailable", error).release().ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const citytwin::InvalidInput& e) {
      PyErr_SetString(invalid, e.what());
    } catch (const citytwin::IoError& e) {
      PyErr_SetString(io, e.what());
    } catch (const citytwin::NotConverged& e) {
      PyErr_SetString(not_converged, e.what());
    } catch (const citytwin::BackendUnavailable& e) {
      PyErr_SetString(backend, e.what());
    } catch (const citytwin::Error& e) {
      PyErr_SetString(error, e.what());
    }
  });

  py::class_<PyTwin>(m, "Twin", "A city's roads, grid and districts in one metric CRS, loaded from a .twin snapshot.")
      .def_property_readonly("path", [](const PyTwin& t) { return t.path; })
      .def_property_readonly("name", [](const PyTwin& t) { return t.twin->name; })
      .def_property_readonly("crs", [](const PyTwin& t) { return t.twin->crs; }, "e.g. 'EPSG:32633'")
      .def_property_readonly("crs_wkt", [](const PyTwin& t) { return t.twin->crs_wkt; })
      .def_property_readonly("extent", [](const PyTwin& t) {
        const auto b = t.twin->extent();
        return py::make_tuple(b.min_x, b.min_y, b.max_x, b.max_y);
      }, "(min_x, min_y, max_x, max_y) in the twin's CRS")
      .def_property_readonly("sources", [](const PyTwin& t) {
        py::list out;
        for (const auto& s : t.twin->sources) {
          py::dict d;
          d["department"] = s.department;
          d["path"] = s.path;
          d["layer"] = s.layer;
          out.append(d);
        }
        return out;
      }, "the department layers that fed the twin (provenance index = position)")
      .def_property_readonly("import_report", [](const PyTwin& t) {
        py::list out;
        for (const auto& e : t.twin->report.entries) out.append(py::make_tuple(e.what, e.layer, e.count, e.reason));
        return out;
      }, "(what, layer, count, reason) for everything the import skipped or inferred")
      // counts
      .def_property_readonly("node_count", [](const PyTwin& t) { return t.twin->roads.node_count(); })
      .def_property_readonly("link_count", [](const PyTwin& t) { return t.twin->roads.link_count(); })
      .def_property_readonly("signal_count", [](const PyTwin& t) { return t.signal_node.size(); })
      .def_property_readonly("bus_count", [](const PyTwin& t) { return t.twin->grid.bus_count(); })
      .def_property_readonly("branch_count", [](const PyTwin& t) { return t.twin->grid.branch_count(); })
      .def_property_readonly("substation_count", [](const PyTwin& t) { return t.twin->grid.substation_count(); })
      .def_property_readonly("district_count", [](const PyTwin& t) { return t.twin->roads.zone_node.size(); })
      .def_property_readonly("charger_count", [](const PyTwin& t) { return t.twin->chargers.size(); })
      // road nodes
      .def_property_readonly("node_x", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.node_x, self); })
      .def_property_readonly("node_y", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.node_y, self); })
      .def_property_readonly("node_signal", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.node_signal, self); })
      // road links
      .def_property_readonly("link_from", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.link_from, self); })
      .def_property_readonly("link_to", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.link_to, self); })
      .def_property_readonly("link_length_m", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.length_m, self); })
      .def_property_readonly("link_free_flow_s", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.free_flow_s, self); })
      .def_property_readonly("link_capacity_vph", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.capacity_vph, self); })
      .def_property_readonly("link_lanes", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.lanes, self); })
      .def_property_readonly("link_speed_limit_kph", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.speed_kph, self); })
      .def_property_readonly("link_class_code", [](py::object self) { return enum_view(self.cast<const PyTwin&>().twin->roads.road_class, self); },
                             "index into road_class_names")
      .def_property_readonly("link_district", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->links.link_district, self); },
                             "district of each link, -1 outside all districts")
      .def_property_readonly("zone_node", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->roads.zone_node, self); },
                             "road node of each district's centroid")
      .def_property_readonly("signal_node", [](py::object self) { return column_view(self.cast<const PyTwin&>().signal_node, self); },
                             "road node of each signal (the order of signal_dark)")
      .def_property_readonly("signal_bus", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->links.signal_bus, self); })
      // grid
      .def_property_readonly("base_mva", [](const PyTwin& t) { return t.twin->grid.base_mva; })
      .def_property_readonly("bus_x", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.bus_x, self); })
      .def_property_readonly("bus_y", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.bus_y, self); })
      .def_property_readonly("bus_kv", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.bus_kv, self); })
      .def_property_readonly("bus_type", [](py::object self) { return enum_view(self.cast<const PyTwin&>().twin->grid.bus_type, self); },
                             "1 PQ, 2 PV, 3 slack, 4 isolated")
      .def_property_readonly("bus_substation", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.bus_substation, self); },
                             "substation of each bus, -1 if none")
      .def_property_readonly("branch_from", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.branch_from, self); })
      .def_property_readonly("branch_to", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.branch_to, self); })
      .def_property_readonly("branch_rating_mva", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.branch_rating_mva, self); })
      .def_property_readonly("branch_in_service", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.branch_in_service, self); })
      .def_property_readonly("substation_names", [](const PyTwin& t) { return t.twin->grid.substation_name; })
      .def_property_readonly("substation_x", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.substation_x, self); })
      .def_property_readonly("substation_y", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.substation_y, self); })
      .def_property_readonly("substation_capacity_mva", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.substation_capacity_mva, self); })
      .def_property_readonly("substation_bus", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->grid.substation_bus, self); })
      // districts
      .def_property_readonly("district_names", [](const PyTwin& t) { return t.twin->districts.name; })
      .def_property_readonly("district_population", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.population, self); })
      .def_property_readonly("district_households", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.households, self); })
      .def_property_readonly("district_jobs", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.jobs, self); })
      .def_property_readonly("district_area_m2", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.area_m2, self); })
      .def_property_readonly("district_x", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.centroid_x, self); })
      .def_property_readonly("district_y", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->districts.centroid_y, self); })
      // EV chargers
      .def_property_readonly("charger_x", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->chargers.x, self); })
      .def_property_readonly("charger_y", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->chargers.y, self); })
      .def_property_readonly("charger_plugs", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->chargers.plugs, self); })
      .def_property_readonly("charger_kw_per_plug", [](py::object self) { return column_view(self.cast<const PyTwin&>().twin->chargers.kw_per_plug, self); })
      .def("__repr__", &twin_repr);

  m.attr("road_class_names") = [] {
    py::tuple t(static_cast<std::size_t>(citytwin::RoadClass::Count));
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = citytwin::road_class_name(static_cast<citytwin::RoadClass>(i));
    return t;
  }();

  py::class_<PyParameters> params(m, "Parameters",
                                  "A scenario's [parameters]: one property per parameter of the field list, type and range checked on set.");
  params.def(py::init<>())
      .def("get", [](const PyParameters& p, const std::string& name) { return parameter_value(parameter_field(name), p.values); },
           py::arg("name"))
      .def("set", [](PyParameters& p, const std::string& name, py::handle value) { set_parameter(p.values, parameter_field(name), value); },
           py::arg("name"), py::arg("value"))
      .def("as_dict", [](const PyParameters& p) { return parameter_dict(p.values); }, "every parameter's value")
      .def("changed", [](const PyParameters& p) { return parameter_dict(p.values, true); }, "the parameters that differ from their default")
      .def("copy", [](const PyParameters& p) { return p; });
  for (const auto& f : coupling::scenario_parameter_fields()) {
    const std::string name = f.name;
    params.def_property(
        f.name.c_str(), [name](const PyParameters& p) { return parameter_value(parameter_field(name), p.values); },
        [name](PyParameters& p, py::handle v) { set_parameter(p.values, parameter_field(name), v); }, f.doc.c_str());
  }

  py::class_<PyScenario>(m, "ResolvedScenario", "A scenario with its names and geometry resolved to one twin's ids.")
      .def_property_readonly("name", [](const PyScenario& s) { return s.scenario->name; })
      .def_property_readonly("parameters", [](const PyScenario& s) { return parameter_dict(*s.scenario); })
      .def_property_readonly("parameter_values", [](const PyScenario& s) { return PyParameters{*s.scenario}; },
                             "the parameters as a Parameters object")
      .def_property_readonly("outages", [](const PyScenario& s) { return scenario_outages(*s.scenario); })
      .def_property_readonly("link_changes", [](const PyScenario& s) { return scenario_link_changes(*s.scenario); })
      .def_property_readonly("population_growth", [](const PyScenario& s) { return copy_array(s.scenario->population_growth); })
      .def_property_readonly("jobs_growth", [](const PyScenario& s) { return copy_array(s.scenario->jobs_growth); })
      .def("save", [](const PyScenario& s, const std::string& path) { citytwin::geo::write_scenario_file(path, *s.scenario, *s.resolved_for); },
           py::arg("path"), "Write as a scenario file (atomically), in the twin's ids and names.");

  m.def("load", &load_twin, py::arg("path"), "Read a .twin snapshot (OSError if unreadable, ValueError if corrupt).");
  m.def("load_scenario", [](const std::string& path, const PyTwin& twin) {
        PyScenario s;
        s.scenario = std::make_shared<const coupling::Scenario>(citytwin::geo::load_scenario(path, *twin.twin));
        s.resolved_for = twin.twin;
        return s;
      }, py::arg("path"), py::arg("twin"));
  m.def("parameter_fields", &parameter_field_list, "name, kind, unit, min, max, default, doc and choices of every scenario parameter");
  m.def("baseline_parameters", [] { return parameter_dict(coupling::Scenario{}); });
  m.def("resolve_scenario", &resolve_scenario, py::arg("name"), py::arg("description"), py::arg("od_matrix"), py::arg("parameters"),
        py::arg("outages"), py::arg("link_changes"), py::arg("growth"), py::arg("twin"), py::arg("label"),
        "The scenario's parts resolved against `twin` by the scenario-file reader (errors start with `label`).");
  m.def("scenario_toml", [](const std::string& name, const py::object& description, const py::object& od_matrix, const PyParameters& p,
                            const py::list& outages, const py::list& link_changes, const py::list& growth) {
        return citytwin::geo::toml_text(scenario_document(name, description, od_matrix, p, outages, link_changes, growth));
      }, py::arg("name"), py::arg("description"), py::arg("od_matrix"), py::arg("parameters"), py::arg("outages"),
        py::arg("link_changes"), py::arg("growth"), "The scenario's parts as a scenario file (toml++ serialisation).");
  m.def("file_toml_with_parameters", [](const std::string& path, const PyParameters& p) {
        toml::table root = citytwin::geo::read_toml_file(path, "scenario file");
        root.erase("parameters");
        if (toml::table table = citytwin::geo::parameters_table(p.values); !table.empty()) root.insert("parameters", std::move(table));
        return citytwin::geo::toml_text(root);
      }, py::arg("path"), py::arg("parameters"), "A scenario file's text with its [parameters] replaced.");
  m.def("with_parameters", &with_parameters, py::arg("resolved"), py::arg("parameters"), py::arg("label"));
  m.def("run", &run, py::arg("twin"), py::arg("scenario"), py::arg("hours"), py::arg("threads"), py::arg("progress"));
  citytwin::python::register_frame_bindings(m, [](py::handle t) -> const Twin& { return *t.cast<const PyTwin&>().twin; });
  citytwin::python::register_forecast_bindings(m, [](py::handle t) -> const Twin& { return *t.cast<const PyTwin&>().twin; }, [](py::handle s) -> const coupling::Scenario* { return s.is_none() ? nullptr : s.cast<const PyScenario&>().scenario.get(); });
  citytwin::python::register_skims(m, [](py::handle t) -> const Twin& { return *t.cast<const PyTwin&>().twin; });
  register_calibrate_bindings(m);
}
