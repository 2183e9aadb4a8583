#include "python/src/forecast_bindings.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/forecast/forecast.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/observations/map_matching.hpp"
#include "geo/observations/observation_reader.hpp"
#include "geo/observations/observation_source.hpp"

namespace py = pybind11;

namespace citytwin::python {

namespace {

namespace fc = citytwin::forecast;
namespace obs = citytwin::observations;

// Observations given as arrays carry no date: they are all today's, on this day.
constexpr obs::LocalHour kArrayDay{2026, 1, 5, 0};

template <class T, class Get>
py::array_t<T> hourly(const std::vector<coupling::HourResult>& hours, std::size_t n, Get get) {
  py::array_t<T> a({static_cast<py::ssize_t>(hours.size()), static_cast<py::ssize_t>(n)});
  auto m = a.template mutable_unchecked<2>();
  for (std::size_t h = 0; h < hours.size(); ++h) {
    const auto& v = get(hours[h]);
    for (std::size_t i = 0; i < n; ++i) m(static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(i)) = i < v.size() ? static_cast<T>(v[i]) : T{};
  }
  return a;
}

template <class T>
py::array_t<T> matrix(const std::vector<std::vector<T>>& rows, std::size_t n) {
  py::array_t<T> a({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(n)});
  auto m = a.template mutable_unchecked<2>();
  for (std::size_t h = 0; h < rows.size(); ++h)
    for (std::size_t i = 0; i < n; ++i) m(static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(i)) = rows[h][i];
  return a;
}

template <class T>
py::array_t<T> vec(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// A column of a mapping of arrays, as doubles, of the given length (-1: any); errors name it.
std::vector<double> column(const py::dict& d, const char* table, const char* key, py::ssize_t length = -1) {
  if (!d.contains(key)) throw InvalidInput(std::string(table) + " has no '" + key + "' column", {.layer = table, .field = key});
  py::array_t<double, py::array::c_style | py::array::forcecast> a;
  try {
    a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(d[key]);
  } catch (const py::error_already_set&) {
  }
  if (!a || a.ndim() != 1) throw InvalidInput(std::string(table) + "['" + key + "'] must be a 1-D array of numbers", {.layer = table, .field = key});
  if (length >= 0 && a.size() != length)
    throw InvalidInput(std::string(table) + "['" + key + "'] has " + std::to_string(a.size()) + " values, other columns " + std::to_string(length),
                       {.layer = table, .field = key});
  std::vector<double> out(a.data(), a.data() + a.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!std::isfinite(out[i]))
      throw InvalidInput(std::string(table) + "['" + key + "'][" + std::to_string(i) + "] is not a finite number",
                         {.layer = table, .feature = static_cast<std::int64_t>(i), .field = key});
  return out;
}

int hour_at(const std::vector<double>& h, std::size_t i, const char* table) {
  if (h[i] != std::floor(h[i]) || h[i] < 0 || h[i] > 23)
    throw InvalidInput(std::string(table) + "['hour'][" + std::to_string(i) + "] = " + std::to_string(h[i]) + " is not a whole hour 0..23",
                       {.layer = table, .feature = static_cast<std::int64_t>(i), .field = "hour"});
  return static_cast<int>(h[i]);
}

// counts {"link", "hour", "vehicles"}: one station per counted link (already matched).
void counts_from_arrays(const Twin& twin, const py::dict& d, fc::Observations& o) {
  const auto link = column(d, "counts", "link");
  const auto n = static_cast<py::ssize_t>(link.size());
  const auto hour = column(d, "counts", "hour", n), vehicles = column(d, "counts", "vehicles", n);
  std::map<std::int64_t, std::string> names;
  for (std::size_t i = 0; i < link.size(); ++i) {
    if (link[i] != std::floor(link[i]) || link[i] < 0 || link[i] >= static_cast<double>(twin.roads.link_count()))
      throw InvalidInput("counts['link'][" + std::to_string(i) + "] = " + std::to_string(link[i]) + " is not a link of the twin (0.." +
                             std::to_string(twin.roads.link_count() - 1) + ")",
                         {.layer = "counts", .feature = static_cast<std::int64_t>(i), .field = "link"});
    if (vehicles[i] < 0)
      throw InvalidInput("counts['vehicles'][" + std::to_string(i) + "] is negative", {.layer = "counts", .feature = static_cast<std::int64_t>(i), .field = "vehicles"});
    obs::LocalHour t = kArrayDay;
    t.hour = hour_at(hour, i, "counts");
    const auto l = static_cast<std::int64_t>(link[i]);
    names.emplace(l, "link " + std::to_string(l));
    o.counts.push_back({names[l], {}, std::nullopt, t, vehicles[i], "", std::nullopt, static_cast<std::int64_t>(i)});
  }
  o.stations = obs::station_table(o.counts);
  for (const auto& s : o.stations.stations) o.station_link.push_back(std::stoll(s.name.substr(5)));
}

// loads {"substation" (ids or names), "hour", "p_mw"}.
void loads_from_arrays(const Twin& twin, const py::dict& d, fc::Observations& o) {
  if (!d.contains("substation")) throw InvalidInput("loads has no 'substation' column", {.layer = "loads", .field = "substation"});
  const py::list subs(d["substation"]);
  const auto n = static_cast<py::ssize_t>(subs.size());
  const auto hour = column(d, "loads", "hour", n), p = column(d, "loads", "p_mw", n);
  const std::size_t K = twin.grid.substation_count();
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    std::int64_t k = -1;
    const py::handle v = subs[static_cast<std::size_t>(i)];
    if (py::isinstance<py::str>(v)) {
      const auto name = v.cast<std::string>();
      for (std::size_t j = 0; j < K && k < 0; ++j)
        if (twin.grid.substation_name[j] == name) k = static_cast<std::int64_t>(j);
      if (k < 0) throw InvalidInput("loads['substation'][" + std::to_string(i) + "] = '" + name + "' is not a substation of the twin",
                                    {.layer = "loads", .feature = i, .field = "substation"});
    } else {
      double id = -1;
      try {
        id = v.cast<double>();
      } catch (const py::cast_error&) {
      }
      if (id != std::floor(id) || id < 0 || id >= static_cast<double>(K))
        throw InvalidInput("loads['substation'][" + std::to_string(i) + "] is not a substation id 0.." + std::to_string(K - 1),
                           {.layer = "loads", .feature = i, .field = "substation"});
      k = static_cast<std::int64_t>(id);
    }
    obs::LocalHour t = kArrayDay;
    t.hour = hour_at(hour, row, "loads");
    o.loads.push_back({static_cast<std::uint32_t>(k), t, p[row], std::nullopt, i});
  }
}

fc::Feeds feeds_of(const std::string& s) {
  if (s == "shared") return fc::Feeds::Shared;
  if (s == "without_traffic") return fc::Feeds::WithoutTraffic;
  if (s == "without_grid") return fc::Feeds::WithoutGrid;
  throw InvalidInput("feeds must be 'shared', 'without_traffic' or 'without_grid', not '" + s + "'", {.field = "feeds"});
}

py::dict forecast_dict(const Twin& twin, const fc::ForecastResult& f) {
  const std::size_t L = twin.roads.link_count(), B = twin.grid.branch_count(), K = twin.grid.substation_count();
  const std::size_t S = f.run.hours.empty() ? 0 : f.run.hours[0].signal_dark.size();
  const auto& hs = f.run.hours;
  py::dict d;
  d["feeds"] = fc::feeds_name(f.feeds);
  d["now"] = f.today.now;
  d["date"] = obs::local_hour_from_day_number(f.today.day, 0).iso().substr(0, 10);
  d["link_flow"] = hourly<float>(hs, L, [](const coupling::HourResult& h) -> const auto& { return h.link_flow; });
  d["link_speed_kph"] = hourly<float>(hs, L, [](const coupling::HourResult& h) -> const auto& { return h.link_speed_kph; });
  d["link_vc"] = hourly<float>(hs, L, [](const coupling::HourResult& h) -> const auto& { return h.link_vc; });
  d["branch_loading_pct"] = hourly<float>(hs, B, [](const coupling::HourResult& h) -> const auto& { return h.branch_loading_pct; });
  d["substation_utilisation"] = hourly<float>(hs, K, [](const coupling::HourResult& h) -> const auto& { return h.substation_utilisation; });
  d["signal_dark"] = hourly<bool>(hs, S, [](const coupling::HourResult& h) -> const auto& { return h.signal_dark; });
  d["substation_p_mw"] = matrix(f.substation_p_mw, K);
  d["substation_low_mw"] = matrix(f.substation_low_mw, K);
  d["substation_high_mw"] = matrix(f.substation_high_mw, K);
  {
    py::array_t<bool> a({static_cast<py::ssize_t>(f.substation_observed.size()), static_cast<py::ssize_t>(K)});
    auto m = a.mutable_unchecked<2>();
    for (std::size_t h = 0; h < f.substation_observed.size(); ++h)
      for (std::size_t k = 0; k < K; ++k) m(static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(k)) = f.substation_observed[h][k] != 0;
    d["substation_observed"] = a;
  }
  d["citywide_p_mw"] = vec(f.citywide_p_mw);
  d["citywide_low_mw"] = vec(f.citywide_low_mw);
  d["citywide_high_mw"] = vec(f.citywide_high_mw);
  std::vector<std::int32_t> ph;
  std::vector<double> pm, pl, pu;
  for (const auto& p : f.substation_peak) ph.push_back(p.hour), pm.push_back(p.mw), pl.push_back(p.low), pu.push_back(p.high);
  d["substation_peak_hour"] = vec(ph);
  d["substation_peak_mw"] = vec(pm);
  d["substation_peak_low_mw"] = vec(pl);
  d["substation_peak_high_mw"] = vec(pu);
  py::dict cp;
  cp["hour"] = f.citywide_peak.hour;
  cp["mw"] = f.citywide_peak.mw;
  cp["low_mw"] = f.citywide_peak.low;
  cp["high_mw"] = f.citywide_peak.high;
  d["citywide_peak"] = cp;
  d["link_band_relative"] = f.link_band_relative;
  const auto& a = f.adjustment;
  py::dict adj;
  adj["traffic_updated"] = a.traffic_updated;
  adj["grid_updated"] = a.grid_updated;
  adj["traffic_ratio"] = a.traffic_ratio;
  adj["district_traffic_ratio"] = vec(a.district_traffic_ratio);
  adj["district_stations"] = vec(a.district_stations);
  adj["station_ratio_spread"] = a.station_ratio_spread;
  adj["stations_used"] = a.stations_used;
  adj["load_ratio"] = a.load_ratio;
  adj["substation_level"] = vec(a.substation_level);
  adj["substation_spread"] = vec(a.substation_spread);
  adj["citywide_spread"] = a.citywide_spread;
  adj["district_load_factor"] = vec(a.district_load_factor);
  adj["ev_share_typical"] = a.ev_share_typical;
  adj["ev_share"] = a.ev_share;
  d["adjustment"] = adj;
  py::dict seen;
  seen["counts_used"] = f.today.counts.size();
  seen["counts_after_now"] = f.today.counts_after_now;
  seen["counts_other_days"] = f.today.counts_other_days;
  seen["counts_unmatched"] = f.today.counts_unmatched;
  seen["loads_used"] = f.today.loads.size();
  seen["loads_after_now"] = f.today.loads_after_now;
  seen["loads_other_days"] = f.today.loads_other_days;
  d["observations"] = seen;
  py::list alerts;
  for (const auto& al : f.alerts) {
    py::dict x;
    x["kind"] = fc::alert_kind_name(al.kind);
    x["element"] = al.element;
    x["first_hour"] = al.first_hour;
    x["hours"] = al.hours;
    x["worst"] = al.worst;
    x["reason"] = al.reason;
    alerts.append(x);
  }
  d["alerts"] = alerts;
  return d;
}

}  // namespace

void register_forecast_bindings(py::module_& m, TwinOf twin_of, ScenarioOf scenario_of) {
  m.def(
      "forecast",
      [twin_of, scenario_of](py::handle py_twin, py::handle py_scenario, py::object counts, py::object loads, int now, const std::string& feeds,
                             py::object date, double band_z, unsigned threads) {
        const Twin& twin = twin_of(py_twin);
        const coupling::Scenario* given = scenario_of(py_scenario);
        const coupling::Scenario scenario = given ? *given : coupling::Scenario{};
        fc::ForecastOptions fo;
        fo.feeds = feeds_of(feeds);
        fo.today.now = now;
        fo.band_z = band_z;
        if (!date.is_none()) {
          std::string why;
          const auto t = obs::parse_local_hour(date.cast<std::string>() + "T00:00", why);
          if (!t) throw InvalidInput("date must be YYYY-MM-DD: " + why, {.field = "date"});
          fo.today.day = t->day_number();
        }
        fc::Observations o;
        if (py::isinstance<py::dict>(counts)) {
          counts_from_arrays(twin, counts.cast<py::dict>(), o);
        } else if (!counts.is_none()) {
          o.counts = geo::read_counts(geo::observation_source(py::str(counts).cast<std::string>(), geo::ObservationKind::Counts), twin);
          o.stations = obs::station_table(o.counts);
          const LineIndex index = LineIndex::build(twin.roads.geometry);
          o.station_link = geo::match_stations(twin, index, o.stations.stations).station_links();
        }
        if (py::isinstance<py::dict>(loads)) loads_from_arrays(twin, loads.cast<py::dict>(), o);
        else if (!loads.is_none())
          o.loads = geo::read_substation_loads(geo::observation_source(py::str(loads).cast<std::string>(), geo::ObservationKind::Loads), twin);
        if (fo.feeds == fc::Feeds::WithoutTraffic) o.counts.clear(), o.stations = {}, o.station_link.clear();
        if (fo.feeds == fc::Feeds::WithoutGrid) o.loads.clear();
        fc::ForecastResult f;
        {
          py::gil_scoped_release release;
          ThreadLimit limit(threads);
          const fc::Today checked = fc::select_today(twin, o, fo.today);  // bad input before the simulations
          (void)checked;
          const fc::TypicalDay typical = fc::typical_day(twin, scenario, now);
          f = fc::run_forecast(twin, typical, o, fo);
        }
        return forecast_dict(twin, f);
      },
      py::arg("twin"), py::arg("scenario"), py::arg("counts"), py::arg("loads"), py::arg("now"), py::arg("feeds"), py::arg("date"),
      py::arg("band_z"), py::arg("threads"), "The rest of the day from today's observations up to `now` (core/forecast/forecast.hpp).");
}

}  // namespace citytwin::python
