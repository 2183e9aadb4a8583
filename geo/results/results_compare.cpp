#include "geo/results/results_compare.hpp"

#include <algorithm>

#include <cmath>

#include "core/common/errors.hpp"
#include "geo/gdal/gdal_handles.hpp"

namespace citytwin::geo {

namespace {

struct LayerMetrics {
  const char* layer;
  const char* id_field;
  std::vector<const char*> metrics;
};
const std::vector<LayerMetrics> kLayers = {
    {"roads_hourly", "link_id", {"flow", "vc", "speed_kph", "delay_veh_h"}},
    {"buses_hourly", "bus_id", {"load_mw", "energised"}},
    {"branches_hourly", "branch_id", {"loading_pct"}},
    {"substations_hourly", "substation_id", {"load_mva", "utilisation", "failed"}},
    {"districts_hourly", "district_id", {"vehicle_km", "vehicle_hours", "delay_hours", "load_mw", "unserved_mwh", "ev_mwh"}},
    {"signals_hourly", "signal_id", {"dark"}},
};

using Key = std::pair<std::int64_t, int>;  // id, hour

std::map<Key, std::vector<double>> read_layer(GDALDataset& ds, const std::string& file, const LayerMetrics& spec) {
  OGRLayer& l = require_layer(ds, file, spec.layer);
  std::vector<int> idx;
  for (const char* m : spec.metrics) {
    idx.push_back(l.GetLayerDefn()->GetFieldIndex(m));
    if (idx.back() < 0) throw InvalidInput("results layer lacks a field; was it written by citytwin run?", {.file = file, .layer = spec.layer, .field = m});
  }
  const int id = l.GetLayerDefn()->GetFieldIndex(spec.id_field), hour = l.GetLayerDefn()->GetFieldIndex("hour");
  if (id < 0 || hour < 0) throw InvalidInput("results layer lacks its id or hour field", {.file = file, .layer = spec.layer});
  std::map<Key, std::vector<double>> out;
  l.ResetReading();
  for (FeaturePtr f(l.GetNextFeature()); f; f.reset(l.GetNextFeature())) {
    std::vector<double> v;
    for (int i : idx) v.push_back(f->GetFieldAsDouble(i));
    out[{f->GetFieldAsInteger64(id), f->GetFieldAsInteger(hour)}] = std::move(v);
  }
  return out;
}

void read_hours(GDALDataset& ds, const std::string& file, std::map<int, std::map<std::string, double>>& out, std::string& scenario,
                std::vector<std::string>& metrics) {
  OGRLayer& l = require_layer(ds, file, "hours");
  OGRFeatureDefn* defn = l.GetLayerDefn();
  for (const char* f : {"hour", "scenario"})
    if (defn->GetFieldIndex(f) < 0)
      throw InvalidInput("the hours table lacks a field; was it written by citytwin run?", {.file = file, .layer = "hours", .field = f});
  metrics.clear();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const std::string name = defn->GetFieldDefn(i)->GetNameRef();
    if (name != "scenario" && name != "hour") metrics.push_back(name);
  }
  for (FeaturePtr f(l.GetNextFeature()); f; f.reset(l.GetNextFeature())) {
    scenario = f->GetFieldAsString("scenario");
    auto& row = out[f->GetFieldAsInteger("hour")];
    for (const auto& m : metrics) row[m] = f->GetFieldAsDouble(m.c_str());
  }
}

}  // namespace

Comparison compare_results(const std::filesystem::path& base_path, const std::filesystem::path& other_path) {
  const std::string bf = base_path.string(), of = other_path.string();
  DatasetPtr a = open_vector(bf), b = open_vector(of);
  Comparison c;
  read_hours(*a, bf, c.base_hours, c.base_scenario, c.metrics);
  std::vector<std::string> other_metrics;
  read_hours(*b, of, c.other_hours, c.other_scenario, other_metrics);
  // The same columns in both: a renamed or missing one is named, not a lookup failure later.
  const auto lacks = [](const std::vector<std::string>& list, const std::string& m) {
    return std::find(list.begin(), list.end(), m) == list.end();
  };
  for (const auto& m : c.metrics)
    if (lacks(other_metrics, m))
      throw InvalidInput("the hours table lacks a column that " + bf + " has (renamed or from another citytwin version?)",
                         {.file = of, .layer = "hours", .field = m});
  for (const auto& m : other_metrics)
    if (lacks(c.metrics, m))
      throw InvalidInput("the hours table lacks a column that " + of + " has (renamed or from another citytwin version?)",
                         {.file = bf, .layer = "hours", .field = m});
  for (const auto& spec : kLayers) {
    // `assign` and `powerflow` results hold only their half of the layers.
    const bool in_a = a->GetLayerByName(spec.layer) != nullptr, in_b = b->GetLayerByName(spec.layer) != nullptr;
    if (!in_a && !in_b) continue;
    const auto x = read_layer(*a, bf, spec), y = read_layer(*b, of, spec);
    if (x.size() != y.size())
      throw InvalidInput("the two runs have different " + std::string(spec.layer) + " (" + std::to_string(x.size()) + " vs " +
                             std::to_string(y.size()) + " rows): were they run on the same twin and hours?",
                         {.file = of, .layer = spec.layer});
    for (const auto& [key, values] : x) {
      auto it = y.find(key);
      if (it == y.end()) throw InvalidInput("element " + std::to_string(key.first) + " hour " + std::to_string(key.second) + " missing", {.file = of, .layer = spec.layer});
      ++c.compared_elements;
      for (std::size_t m = 0; m < values.size(); ++m) {
        if (values[m] == it->second[m]) continue;
        c.elements.push_back({spec.layer, spec.metrics[m], key.first, key.second, values[m], it->second[m]});
      }
    }
  }
  return c;
}

}  // namespace citytwin::geo
