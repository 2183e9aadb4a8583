#include "viewer/model/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/model/twin.hpp"
#include "viewer/model/results.hpp"
#include "viewer/model/scenario_edits.hpp"

namespace citytwin::viewer {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

const char* layer_name(Layer l) {
  switch (l) {
    case Layer::Districts: return "districts";
    case Layer::Roads: return "roads";
    case Layer::Branches: return "branches";
    case Layer::Buses: return "buses";
    case Layer::Substations: return "substations";
    case Layer::Chargers: return "chargers";
    case Layer::Count: break;
  }
  return "?";
}

const char* layer_title(Layer l) {
  switch (l) {
    case Layer::Districts: return "Districts";
    case Layer::Roads: return "Roads";
    case Layer::Branches: return "Grid branches";
    case Layer::Buses: return "Grid buses";
    case Layer::Substations: return "Substations";
    case Layer::Chargers: return "EV chargers";
    case Layer::Count: break;
  }
  return "?";
}

std::size_t feature_count(const Twin& twin, Layer l) {
  switch (l) {
    case Layer::Districts: return twin.districts.size();
    case Layer::Roads: return twin.roads.link_count();
    case Layer::Branches: return twin.grid.branch_count();
    case Layer::Buses: return twin.grid.bus_count();
    case Layer::Substations: return twin.grid.substation_count();
    case Layer::Chargers: return twin.chargers.size();
    case Layer::Count: break;
  }
  return 0;
}

const char* view_name(View v) {
  switch (v) {
    case View::Baseline: return "baseline";
    case View::Scenario: return "scenario";
    case View::Diff: return "diff";
  }
  return "?";
}

bool parse_view(std::string_view s, View& out) {
  for (View v : {View::Baseline, View::Scenario, View::Diff})
    if (s == view_name(v)) {
      out = v;
      return true;
    }
  return false;
}

const std::vector<MetricInfo>& metric_catalogue() {
  using C = ColorMapId;
  static const std::vector<MetricInfo> list = {
      // roads
      {"class", "Road class", "", Layer::Roads, false, true, C::RoadClass, 0, 0},
      {"capacity", "Capacity", "veh/h", Layer::Roads, false, false, C::Viridis, 0, 0},
      {"speed_limit", "Speed limit", "km/h", Layer::Roads, false, false, C::Viridis, 0, 0},
      {"lanes", "Lanes", "", Layer::Roads, false, false, C::Viridis, 0, 0},
      {"vc", "Volume / capacity", "", Layer::Roads, true, false, C::Magma, 0, 1.2},
      {"flow", "Flow", "veh/h", Layer::Roads, true, false, C::Viridis, 0, 0},
      {"speed", "Speed", "km/h", Layer::Roads, true, false, C::Viridis, 0, 0},
      {"delay", "Delay", "s", Layer::Roads, true, false, C::Magma, 0, 0},
      // districts
      {"population", "Population", "people", Layer::Districts, false, false, C::Viridis, 0, 0},
      {"jobs", "Jobs", "jobs", Layer::Districts, false, false, C::Viridis, 0, 0},
      {"density", "Population density", "people/km2", Layer::Districts, false, false, C::Viridis, 0, 0},
      {"households", "Households", "", Layer::Districts, false, false, C::Viridis, 0, 0},
      {"vehicle_km", "Vehicle-km", "veh.km", Layer::Districts, true, false, C::Viridis, 0, 0},
      {"ev_energy", "EV charging energy", "kWh", Layer::Districts, true, false, C::Viridis, 0, 0},
      {"unserved", "Unserved energy", "kWh", Layer::Districts, true, false, C::Magma, 0, 0},
      // buses
      {"kv", "Voltage", "kV", Layer::Buses, false, false, C::Magma, 0, 0},
      {"energised", "Energised", "", Layer::Buses, false, true, C::Binary, 0, 0},
      {"utilisation", "Utilisation", "%", Layer::Buses, true, false, C::Magma, 0, 120},
      // branches
      {"rating", "Rating", "MVA", Layer::Branches, false, false, C::Magma, 0, 0},
      {"in_service", "In service", "", Layer::Branches, false, true, C::Binary, 0, 0},
      {"loading", "Loading", "%", Layer::Branches, true, false, C::Magma, 0, 120},
      // substations
      {"capacity", "Capacity", "MVA", Layer::Substations, false, false, C::Magma, 0, 0},
      {"in_service", "In service", "", Layer::Substations, false, true, C::Binary, 0, 0},
      {"loading", "Loading", "%", Layer::Substations, true, false, C::Magma, 0, 120},
      // chargers
      {"power", "Charging power", "kW", Layer::Chargers, false, false, C::Viridis, 0, 0},
      {"plugs", "Plugs", "", Layer::Chargers, false, false, C::Viridis, 0, 0},
  };
  return list;
}

std::vector<const MetricInfo*> metrics_for(Layer l) {
  std::vector<const MetricInfo*> out;
  for (const auto& m : metric_catalogue())
    if (m.layer == l) out.push_back(&m);
  return out;
}

const MetricInfo* find_metric(Layer l, std::string_view id) {
  for (const auto& m : metric_catalogue())
    if (m.layer == l && id == m.id) return &m;
  return nullptr;
}

const MetricInfo* find_metric(std::string_view id) {
  if (auto dot = id.find('.'); dot != std::string_view::npos) {
    const std::string_view layer = id.substr(0, dot);
    for (std::size_t l = 0; l < kLayerCount; ++l)
      if (layer == layer_name(Layer(l))) return find_metric(Layer(l), id.substr(dot + 1));
    return nullptr;
  }
  for (Layer l : {Layer::Roads, Layer::Districts, Layer::Buses, Layer::Branches, Layer::Substations, Layer::Chargers})
    if (const MetricInfo* m = find_metric(l, id)) return m;
  return nullptr;
}

std::vector<std::string> category_labels(const MetricInfo& m) {
  std::vector<std::string> out;
  if (m.cmap == ColorMapId::RoadClass) {
    for (std::size_t c = 0; c < std::size_t(RoadClass::Count); ++c) out.push_back(road_class_name(RoadClass(c)));
  } else if (m.cmap == ColorMapId::Binary) {
    out = {"no", "yes"};
  }
  return out;
}

ColorMap display_colormap(ColorMapId id, bool categorical) {
  ColorMap cm = ColorMap::get(id);
  // Keep the darkest tones off the dark map background (a window of a
  // perceptual map is still perceptual).
  if (!categorical && id == ColorMapId::Viridis) cm.set_window(0.12, 1.0);
  if (!categorical && id == ColorMapId::Magma) cm.set_window(0.35, 1.0);
  return cm;
}

namespace {

template <class V>
std::vector<double> as_double(const std::vector<V>& v) {
  return std::vector<double>(v.begin(), v.end());
}

std::vector<double> static_values(const MetricInfo& m, const Twin& t, const ScenarioState* st) {
  const std::string_view id = m.id;
  switch (m.layer) {
    case Layer::Roads: {
      const auto& r = t.roads;
      if (id == "class") {
        std::vector<double> v(r.link_count());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = double(r.road_class[i]);
        return v;
      }
      if (id == "capacity") {
        auto v = as_double(r.capacity_vph);
        if (st)
          for (std::size_t i = 0; i < v.size(); ++i) v[i] *= st->link_capacity_factor[i];
        return v;
      }
      if (id == "speed_limit") return as_double(r.speed_kph);
      if (id == "lanes") {
        auto v = as_double(r.lanes);
        if (st)
          for (std::size_t i = 0; i < v.size(); ++i) v[i] *= st->link_capacity_factor[i];
        return v;
      }
      break;
    }
    case Layer::Districts: {
      const auto& d = t.districts;
      if (id == "population") return d.population;
      if (id == "jobs") return d.jobs;
      if (id == "households") return d.households;
      if (id == "density") {
        std::vector<double> v(d.size(), kNaN);
        for (std::size_t i = 0; i < v.size(); ++i)
          if (i < d.area_m2.size() && d.area_m2[i] > 0) v[i] = d.population[i] / (d.area_m2[i] / 1e6);
        return v;
      }
      break;
    }
    case Layer::Buses: {
      const auto& g = t.grid;
      if (id == "kv") return g.bus_kv;
      if (id == "energised") {
        std::vector<double> v(g.bus_count());
        for (std::size_t i = 0; i < v.size(); ++i) {
          const bool on = i < g.bus_energised.size() ? g.bus_energised[i] != 0 : true;
          v[i] = (on && !(st && st->bus_deenergised[i])) ? 1.0 : 0.0;
        }
        return v;
      }
      break;
    }
    case Layer::Branches: {
      const auto& g = t.grid;
      if (id == "rating") return g.branch_rating_mva;
      if (id == "in_service") {
        std::vector<double> v(g.branch_count());
        for (std::size_t i = 0; i < v.size(); ++i) {
          const bool on = i < g.branch_in_service.size() ? g.branch_in_service[i] != 0 : true;
          v[i] = (on && !(st && st->branch_failed[i])) ? 1.0 : 0.0;
        }
        return v;
      }
      break;
    }
    case Layer::Substations: {
      const auto& g = t.grid;
      if (id == "capacity") {
        auto v = g.substation_capacity_mva;
        if (st)
          for (std::size_t i = 0; i < v.size(); ++i)
            if (st->substation_failed[i]) v[i] = 0;
        return v;
      }
      if (id == "in_service") {
        std::vector<double> v(g.substation_count(), 1.0);
        if (st)
          for (std::size_t i = 0; i < v.size(); ++i) v[i] = st->substation_failed[i] ? 0.0 : 1.0;
        return v;
      }
      break;
    }
    case Layer::Chargers: {
      const auto& c = t.chargers;
      if (id == "plugs") return as_double(c.plugs);
      if (id == "power") {
        std::vector<double> v(c.size());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = double(c.plugs[i]) * c.kw_per_plug[i];
        return v;
      }
      break;
    }
    default: break;
  }
  return std::vector<double>(feature_count(t, m.layer), kNaN);
}

// Robust data range: min .. 98th percentile (one huge district or road must
// not wash out the rest of the map).
std::pair<double, double> data_range(const std::vector<double>& v) {
  std::vector<double> f;
  f.reserve(v.size());
  for (double x : v)
    if (std::isfinite(x)) f.push_back(x);
  if (f.empty()) return {0, 1};
  const std::size_t k = std::size_t(double(f.size() - 1) * 0.98);
  std::nth_element(f.begin(), f.begin() + std::ptrdiff_t(k), f.end());
  double hi = f[k];
  const double lo = *std::min_element(f.begin(), f.end());
  if (hi <= lo) hi = *std::max_element(f.begin(), f.end());
  if (hi <= lo) hi = lo + 1;
  return {lo, hi};
}

}  // namespace

std::optional<Quantity> hourly_quantity(const MetricInfo& m) {
  const std::string_view id = m.id;
  switch (m.layer) {
    case Layer::Roads:
      if (id == "vc") return Quantity::LinkVc;
      if (id == "flow") return Quantity::LinkFlow;
      if (id == "speed") return Quantity::LinkSpeed;
      if (id == "delay") return Quantity::LinkDelay;
      break;
    case Layer::Districts:
      if (id == "vehicle_km") return Quantity::DistrictVehicleKm;
      if (id == "ev_energy") return Quantity::DistrictEvEnergy;
      if (id == "unserved") return Quantity::DistrictUnserved;
      break;
    case Layer::Buses:
      if (id == "utilisation") return Quantity::BusUtilisation;
      if (id == "energised") return Quantity::BusEnergised;
      break;
    case Layer::Branches:
      if (id == "loading") return Quantity::BranchLoading;
      break;
    case Layer::Substations:
      if (id == "loading") return Quantity::SubstationLoading;
      break;
    default: break;
  }
  return std::nullopt;
}

std::vector<double> metric_values(const MetricInfo& m, const MetricInputs& in, bool scenario_state_wanted, int hour,
                                  bool* available) {
  const Twin& t = *in.twin;
  hour = std::clamp(hour, 0, kHours - 1);
  if (available) *available = true;
  if (m.hourly) {
    const Results* r = scenario_state_wanted ? in.scenario : in.baseline;
    const std::optional<Quantity> q = hourly_quantity(m);
    if (!r || !q) {
      if (available) *available = false;
      return std::vector<double>(feature_count(t, m.layer), kNaN);
    }
    return quantity_values(*q, t, *r, hour, feature_count(t, m.layer));
  }
  if (scenario_state_wanted && in.edits) {
    const ScenarioState st = scenario_state(*in.edits, t, hour);
    return static_values(m, t, &st);
  }
  return static_values(m, t, nullptr);
}

MetricField evaluate_metric(const MetricInfo& m, const MetricInputs& in, int hour, View view) {
  MetricField f;
  f.metric = &m;
  f.view = view;
  f.cmap = m.cmap;
  if (view == View::Diff) {
    bool a1 = true, a2 = true;
    const auto base = metric_values(m, in, false, hour, &a1);
    const auto scen = metric_values(m, in, true, hour, &a2);
    f.available = a1 && a2;
    f.values.resize(base.size());
    double maxabs = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
      f.values[i] = scen[i] - base[i];
      if (std::isfinite(f.values[i])) maxabs = std::max(maxabs, std::abs(f.values[i]));
    }
    if (m.categorical) {
      // A change of category is shown as -1 (lost) / 0 / +1 (gained) on the diverging map.
      for (double& v : f.values)
        if (std::isfinite(v)) v = v > 0 ? 1 : (v < 0 ? -1 : 0);
      maxabs = 1;
    }
    if (maxabs == 0) maxabs = 1;
    f.lo = -maxabs;
    f.hi = maxabs;
    f.diverging = true;
    f.cmap = ColorMapId::Diverging;
    f.note = "scenario - baseline";
    if (!a2 && a1) f.note = "no scenario results: run the scenario first";
  } else {
    f.values = metric_values(m, in, view == View::Scenario, hour, &f.available);
    if (m.categorical) {
      f.lo = 0;
      f.hi = 255;
    } else if (m.hi > m.lo) {
      f.lo = m.lo;
      f.hi = m.hi;
    } else {
      // The colour range covers baseline and scenario alike, so switching
      // views compares like with like.
      auto [lo, hi] = data_range(f.values);
      if (in.edits && !m.hourly) {
        auto [lo2, hi2] = data_range(metric_values(m, in, view != View::Scenario, hour));
        lo = std::min(lo, lo2);
        hi = std::max(hi, hi2);
      }
      f.lo = lo;
      f.hi = hi;
    }
  }
  if (!f.available && f.note.empty())
    f.note = m.hourly ? "hourly metric: no results loaded (--results, or run a scenario)" : "not available";
  f.summarise();
  return f;
}

void MetricField::summarise() {
  any_nodata = false;
  categories_present.clear();
  const bool cat = metric && metric->categorical && !diverging;
  if (cat) categories_present.assign(category_labels(*metric).size(), false);
  for (double v : values) {
    if (!std::isfinite(v)) {
      any_nodata = true;
    } else if (cat && v >= 0 && std::size_t(v) < categories_present.size()) {
      categories_present[std::size_t(v)] = true;
    }
  }
}

std::vector<float> MetricField::coords() const {
  std::vector<float> out(values.size());
  const bool cat = metric && metric->categorical && !diverging;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) out[i] = kNoData;
    else if (cat) out[i] = category_coord(std::size_t(std::clamp(v, 0.0, 255.0)));
    else out[i] = normalise(v, lo, hi);
  }
  return out;
}

Rgba MetricField::color(std::size_t i) const {
  const double v = values[i];
  if (!std::isfinite(v)) return kNoDataColor;
  const bool cat = metric && metric->categorical && !diverging;
  const ColorMap cm = display_colormap(cmap, cat);
  if (cat) return cm.category(std::size_t(std::clamp(v, 0.0, 255.0)));
  // the renderer quantises to the 256-texel LUT; do the same here
  const float t = normalise(v, lo, hi);
  return cm.lut()[std::size_t(std::lround(t * 255.0f))];
}

}  // namespace citytwin::viewer
