// citytwin._core.calibrate: `citytwin calibrate` for Python. Observations come
// as columns (NumPy arrays or lists; python/citytwin/__init__.py takes pandas
// DataFrames or dicts apart into them), are checked row by row like the file
// readers do (errors name the table, row and column), positions go from
// WGS 84 lon/lat into the twin's CRS, stations are map-matched through the
// R-tree, and the calibration runs without the GIL.
#include "python/src/calibrate_bindings.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/calibration/calibrate_twin.hpp"
#include "core/calibration/calibration_report.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/model/snapshot.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/observations/map_matching.hpp"

namespace py = pybind11;
using citytwin::InvalidInput;

namespace {

std::vector<double> numbers(const py::handle& column, const std::string& table, const std::string& name, std::size_t rows) {
  const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(column);
  if (!a) throw InvalidInput(table + ": column '" + name + "' is not numeric", {.layer = table, .field = name});
  if (a.ndim() != 1 || static_cast<std::size_t>(a.shape(0)) != rows)
    throw InvalidInput(table + ": column '" + name + "' has " + std::to_string(a.size()) + " values, not " + std::to_string(rows),
                       {.layer = table, .field = name});
  return {a.data(), a.data() + rows};
}

std::vector<std::string> texts(const py::handle& column) {
  std::vector<std::string> out;
  for (const auto& v : column) out.push_back(py::str(v).cast<std::string>());
  return out;
}

[[noreturn]] void bad(const std::string& table, std::size_t row, const std::string& field, const std::string& why) {
  throw InvalidInput(table + " row " + std::to_string(row) + ", column '" + field + "': " + why,
                     {.layer = table, .feature = static_cast<std::int64_t>(row), .field = field});
}

citytwin::observations::LocalHour hour_of(const std::string& text, const std::string& table, std::size_t row) {
  std::string why;
  const auto t = citytwin::observations::parse_local_hour(text, why);
  if (!t) bad(table, row, "time", "'" + text + "' is not an ISO 8601 hour start (" + why + ")");
  return *t;
}

std::vector<citytwin::observations::TrafficCount> counts_from(const py::dict& c, const citytwin::Twin& twin) {
  const std::string table = "counts";
  for (const char* k : {"station", "lon", "lat", "time", "vehicles"})
    if (!c.contains(k)) throw InvalidInput("counts: missing column '" + std::string(k) + "'", {.layer = table, .field = k});
  const auto station = texts(c["station"]), time = texts(c["time"]);
  const std::size_t n = station.size();
  if (time.size() != n) throw InvalidInput("counts: column 'time' has " + std::to_string(time.size()) + " values, not " + std::to_string(n), {.layer = table, .field = "time"});
  const auto lon = numbers(c["lon"], table, "lon", n), lat = numbers(c["lat"], table, "lat", n), veh = numbers(c["vehicles"], table, "vehicles", n);
  const auto bearing = c.contains("bearing") ? numbers(c["bearing"], table, "bearing", n) : std::vector<double>(n, NAN);
  namespace geo = citytwin::geo;
  const auto target = geo::parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "the twin's CRS");
  const auto to_twin = geo::make_transform(*geo::parse_crs("EPSG:4326", "counts lon/lat"), *target);
  std::vector<citytwin::observations::TrafficCount> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(std::abs(lon[i]) <= 180)) bad(table, i, "lon", "not a longitude");
    if (!(std::abs(lat[i]) <= 90)) bad(table, i, "lat", "not a latitude");
    if (!std::isfinite(veh[i])) bad(table, i, "vehicles", "not a finite number");
    if (veh[i] < 0) bad(table, i, "vehicles", "negative count");
    if (std::isfinite(bearing[i]) && !(bearing[i] >= 0 && bearing[i] <= 360)) bad(table, i, "bearing", "not in 0..360 degrees");
    citytwin::Point2 p{lon[i], lat[i]};
    if (!geo::transform_point(*to_twin, p)) bad(table, i, "lon", "position cannot be transformed into the twin's CRS");
    citytwin::observations::TrafficCount t;
    t.station = station[i];
    t.position = p;
    if (std::isfinite(bearing[i])) t.bearing_deg = bearing[i];
    t.time = hour_of(time[i], table, i);
    t.vehicles = veh[i];
    t.row = static_cast<std::int64_t>(i);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<citytwin::observations::GridMeasurement> loads_from(const py::dict& c, const citytwin::Twin& twin) {
  const std::string table = "loads";
  for (const char* k : {"substation", "time", "p_mw"})
    if (!c.contains(k)) throw InvalidInput("loads: missing column '" + std::string(k) + "'", {.layer = table, .field = k});
  const auto sub = texts(c["substation"]), time = texts(c["time"]);
  const std::size_t n = sub.size();
  const auto p = numbers(c["p_mw"], table, "p_mw", n);
  if (time.size() != n) throw InvalidInput("loads: column 'time' has " + std::to_string(time.size()) + " values, not " + std::to_string(n), {.layer = table, .field = "time"});
  std::map<std::string, std::uint32_t> by_name;
  const auto& names = twin.grid.substation_name;
  for (std::uint32_t k = 0; k < names.size(); ++k) by_name.emplace(names[k], k);
  std::vector<citytwin::observations::GridMeasurement> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t k = 0;
    if (auto it = by_name.find(sub[i]); it != by_name.end()) k = it->second;
    else {
      // By id (0-based, as in results files).
      std::size_t used = 0;
      long long id = -1;
      try {
        id = std::stoll(sub[i], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != sub[i].size() || id < 0 || static_cast<std::size_t>(id) >= names.size())
        bad(table, i, "substation", "'" + sub[i] + "' is neither a substation name nor an id of the twin (" + std::to_string(names.size()) + " substations)");
      k = static_cast<std::uint32_t>(id);
    }
    if (!std::isfinite(p[i])) bad(table, i, "p_mw", "not a finite number");
    out.push_back({k, hour_of(time[i], table, i), p[i], std::nullopt, static_cast<std::int64_t>(i)});
  }
  return out;
}

py::dict calibrate(const std::string& twin_path, const std::string& out, const py::object& counts, const py::object& loads,
                   const std::string& scenario_path, double holdout_share, std::uint64_t seed, const std::string& day_type,
                   const std::string& report_path, unsigned threads) {
  const citytwin::Twin twin = citytwin::read_snapshot(twin_path);
  citytwin::coupling::Scenario scenario;
  if (!scenario_path.empty()) scenario = citytwin::geo::load_scenario(scenario_path, twin);
  citytwin::calibration::CalibrateOptions o;
  o.holdout_share = holdout_share;
  o.seed = seed;
  if (!citytwin::observations::parse_day_type(day_type, o.fit.day_type))
    throw InvalidInput("day_type must be 'weekday' or 'weekend', not '" + day_type + "'", {.field = "day_type"});
  o.source = "Python observations; scenario: " + scenario.name + "; " + day_type + " profile";
  std::vector<citytwin::observations::TrafficCount> c;
  std::vector<citytwin::observations::GridMeasurement> l;
  if (!counts.is_none()) c = counts_from(counts.cast<py::dict>(), twin);
  if (!loads.is_none()) l = loads_from(loads.cast<py::dict>(), twin);
  citytwin::calibration::ReportContext ctx{twin_path, out, counts.is_none() ? "" : "(Python)", loads.is_none() ? "" : "(Python)", scenario.name};
  ctx.count_records = c.size();
  ctx.load_records = l.size();
  nlohmann::json report;
  {
    py::gil_scoped_release release;
    citytwin::ThreadLimit limit(threads);
    const auto stations = citytwin::observations::station_table(c);
    std::vector<std::int64_t> links;
    if (!c.empty()) {
      const auto index = citytwin::LineIndex::build(twin.roads.geometry);
      const auto m = citytwin::geo::match_stations(twin, index, stations.stations);
      links = m.station_links();
      ctx.ambiguous = m.ambiguous;
      ctx.rejected = m.rejected;
    }
    const auto result = citytwin::calibration::calibrate_twin(twin, scenario, c, stations, links, l, o);
    report = citytwin::calibration::calibration_report_json(result, stations, o, ctx);
    citytwin::write_snapshot(result.twin, out);
    if (!report_path.empty())
      citytwin::write_atomically(report_path, [&](const std::filesystem::path& tmp) {
        std::ofstream f(tmp);
        f << report.dump(2) << "\n";
        f.close();
        if (!f) throw citytwin::IoError("write failed", {.file = tmp.string()});
      });
  }
  return py::module_::import("json").attr("loads")(report.dump()).cast<py::dict>();
}

}  // namespace

void register_calibrate_bindings(py::module_& m) {
  m.def("calibrate", &calibrate, py::arg("twin_path"), py::arg("out"), py::arg("counts"), py::arg("loads"), py::arg("scenario_path"),
        py::arg("holdout_share"), py::arg("seed"), py::arg("day_type"), py::arg("report_path"), py::arg("threads"),
        "The twin calibrated to counts and meter loads given as columns (see citytwin.calibrate); returns the report.");
}
