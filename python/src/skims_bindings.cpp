#include "python/src/skims_bindings.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/coupling/road_skims.hpp"

namespace py = pybind11;

namespace citytwin::python {

namespace {

// Row h of a C-contiguous [hours, links] float32 array.
std::vector<float> row(const py::array_t<float, py::array::c_style | py::array::forcecast>& a, py::ssize_t h) {
  const auto n = static_cast<std::size_t>(a.shape(1));
  std::vector<float> v(n);
  if (n) std::memcpy(v.data(), a.data(h, 0), n * sizeof(float));
  return v;
}

py::dict skims(const Twin& twin, const py::array_t<float, py::array::c_style | py::array::forcecast>& link_time_s,
               const py::array_t<float, py::array::c_style | py::array::forcecast>& link_capacity_factor, double value_of_time_per_h,
               double cost_per_km) {
  const auto links = static_cast<py::ssize_t>(twin.roads.link_count());
  if (link_time_s.ndim() != 2 || link_capacity_factor.ndim() != 2 || link_time_s.shape(1) != links ||
      link_capacity_factor.shape(1) != links || link_time_s.shape(0) != link_capacity_factor.shape(0))
    throw InvalidInput("skims: link_time_s and link_capacity_factor must both be [hour, link] arrays with the twin's " +
                       std::to_string(links) + " links");
  const traffic::SkimCostParameters costs{.value_of_time_per_h = value_of_time_per_h, .cost_per_km = cost_per_km};
  const py::ssize_t hours = link_time_s.shape(0);
  const auto Z = static_cast<py::ssize_t>(twin.roads.zone_node.size());
  std::vector<traffic::SkimMatrices> done;
  {
    py::gil_scoped_release release;
    for (py::ssize_t h = 0; h < hours; ++h)
      done.push_back(coupling::road_skims(twin.roads, row(link_time_s, h), row(link_capacity_factor, h), costs));
  }
  py::dict out;
  py::array_t<std::int32_t> zones(Z);
  for (py::ssize_t z = 0; z < Z; ++z) zones.mutable_data()[z] = static_cast<std::int32_t>(z + 1);
  out["zone"] = zones;
  for (const auto& q : traffic::kSkimQuantities) {
    py::array_t<double> a({hours, Z, Z});
    for (py::ssize_t h = 0; h < hours; ++h) {
      const auto& v = done[static_cast<std::size_t>(h)].*q.values;
      std::memcpy(a.mutable_data(h, 0, 0), v.data(), v.size() * sizeof(double));
    }
    out[q.name] = a;
  }
  return out;
}

}  // namespace

void register_skims(py::module_& m, TwinOf twin_of) {
  m.def(
      "skims",
      [twin_of](py::handle twin, const py::array_t<float, py::array::c_style | py::array::forcecast>& link_time_s,
                const py::array_t<float, py::array::c_style | py::array::forcecast>& link_capacity_factor, double value_of_time_per_h,
                double cost_per_km) { return skims(twin_of(twin), link_time_s, link_capacity_factor, value_of_time_per_h, cost_per_km); },
      py::arg("twin"), py::arg("link_time_s"), py::arg("link_capacity_factor"), py::arg("value_of_time_per_h"), py::arg("cost_per_km"),
      "Zone-to-zone skims of each row (hour) of [hour, link] link times and capacity factors: a dict with zone (1..Z)\n"
      "and time_min, distance_km, cost as float64 [hour, origin, destination] arrays (inf where no path).");
}

}  // namespace citytwin::python
