#include "geo/io/results_reader.hpp"

#include <map>

#include "core/common/errors.hpp"
#include "geo/io/gdal_handles.hpp"

namespace citytwin::geo {

namespace {

struct Column {
  const char* field;
  std::vector<float> coupling::HourResult::*floats = nullptr;
  std::vector<std::uint8_t> coupling::HourResult::*flags = nullptr;
};

// Fills hour results from one `<layer>_hourly_data` table (if present).
void read_table(GDALDataset& ds, const std::string& file, const char* layer, const char* id_field, std::size_t count,
                const std::vector<Column>& columns, std::map<int, std::size_t>& hour_index,
                std::vector<coupling::HourResult>& hours) {
  OGRLayer* l = ds.GetLayerByName(layer);
  if (!l) return;
  OGRFeatureDefn* defn = l->GetLayerDefn();
  const int id = defn->GetFieldIndex(id_field), hour = defn->GetFieldIndex("hour");
  if (id < 0 || hour < 0) throw InvalidInput("results table lacks its id or hour field", {.file = file, .layer = layer});
  std::vector<int> idx;
  for (const auto& c : columns) {
    idx.push_back(defn->GetFieldIndex(c.field));
    if (idx.back() < 0) throw InvalidInput("results table lacks a field", {.file = file, .layer = layer, .field = c.field});
  }
  for (auto& h : hours)
    for (const auto& c : columns) {
      if (c.floats) (h.*c.floats).assign(count, 0.f);
      if (c.flags) (h.*c.flags).assign(count, 0);
    }
  for (FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
    const auto it = hour_index.find(f->GetFieldAsInteger(hour));
    const std::int64_t i = f->GetFieldAsInteger64(id);
    if (it == hour_index.end() || i < 0 || static_cast<std::size_t>(i) >= count)
      throw InvalidInput("row for element " + std::to_string(i) + " or its hour does not fit this twin (" + std::to_string(count) +
                             " elements): was the file written for another twin?",
                         {.file = file, .layer = layer, .feature = f->GetFID()});
    auto& h = hours[it->second];
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].floats) (h.*columns[k].floats)[i] = static_cast<float>(f->GetFieldAsDouble(idx[k]));
      if (columns[k].flags) (h.*columns[k].flags)[i] = static_cast<std::uint8_t>(f->GetFieldAsInteger(idx[k]));
    }
  }
}

}  // namespace

coupling::SimulationResult read_results(const std::filesystem::path& gpkg, const Twin& twin) {
  const std::string file = gpkg.string();
  DatasetPtr ds = open_vector(file);
  coupling::SimulationResult res;
  std::map<int, std::size_t> hour_index;
  {
    OGRLayer& l = require_layer(*ds, file, "hours");
    for (FeaturePtr f(l.GetNextFeature()); f; f.reset(l.GetNextFeature())) {
      coupling::HourResult h;
      auto& t = h.totals;
      res.scenario = f->GetFieldAsString("scenario");
      t.hour = f->GetFieldAsInteger("hour");
      t.vehicle_km = f->GetFieldAsDouble("vehicle_km");
      t.vehicle_hours = f->GetFieldAsDouble("vehicle_hours");
      t.delay_hours = f->GetFieldAsDouble("delay_hours");
      t.load_mw = f->GetFieldAsDouble("load_mw");
      t.unserved_energy_mwh = f->GetFieldAsDouble("unserved_energy_mwh");
      t.ev_energy_mwh = f->GetFieldAsDouble("ev_energy_mwh");
      t.overloaded_branches = f->GetFieldAsInteger("overloaded_branches");
      t.dark_signals = f->GetFieldAsInteger("dark_signals");
      t.failed_substations = f->GetFieldAsInteger("failed_substations");
      t.relative_gap = f->GetFieldAsDouble("relative_gap");
      t.coupling_rounds = f->GetFieldAsInteger("coupling_rounds");
      t.converged = f->GetFieldAsInteger("converged") != 0;
      if (t.hour < 0 || t.hour > 23 || hour_index.count(t.hour))
        throw InvalidInput("hour " + std::to_string(t.hour) + " is out of range or repeated", {.file = file, .layer = "hours", .feature = f->GetFID()});
      hour_index[t.hour] = res.hours.size();
      res.hours.push_back(std::move(h));
    }
  }
  bool any = false;
  for (const char* t : {"roads_hourly_data", "buses_hourly_data", "districts_hourly_data"}) any = any || ds->GetLayerByName(t);
  if (!any)
    throw InvalidInput("no hourly result tables (roads_hourly_data, buses_hourly_data, districts_hourly_data): not a results file "
                       "of this citytwin version; re-run it with citytwin run",
                       {.file = file});
  using H = coupling::HourResult;
  const auto signals = twin.signal_nodes().size();
  read_table(*ds, file, "roads_hourly_data", "link_id", twin.roads.link_count(),
             {{"flow", &H::link_flow}, {"time_s", &H::link_time_s}, {"speed_kph", &H::link_speed_kph}, {"vc", &H::link_vc},
              {"capacity_factor", &H::link_capacity_factor}},
             hour_index, res.hours);
  read_table(*ds, file, "signals_hourly_data", "signal_id", signals, {{"dark", nullptr, &H::signal_dark}}, hour_index, res.hours);
  read_table(*ds, file, "buses_hourly_data", "bus_id", twin.grid.bus_count(),
             {{"load_mw", &H::bus_load_mw}, {"energised", nullptr, &H::bus_energised}}, hour_index, res.hours);
  read_table(*ds, file, "branches_hourly_data", "branch_id", twin.grid.branch_count(), {{"loading_pct", &H::branch_loading_pct}},
             hour_index, res.hours);
  read_table(*ds, file, "substations_hourly_data", "substation_id", twin.grid.substation_count(),
             {{"load_mva", &H::substation_load_mva}, {"utilisation", &H::substation_utilisation}, {"failed", nullptr, &H::substation_failed}},
             hour_index, res.hours);
  read_table(*ds, file, "districts_hourly_data", "district_id", twin.districts.size(),
             {{"vehicle_km", &H::district_vkt}, {"vehicle_hours", &H::district_vht}, {"delay_hours", &H::district_delay_h},
              {"load_mw", &H::district_load_mw}, {"unserved_mwh", &H::district_unserved_mwh}, {"ev_mwh", &H::district_ev_mwh}},
             hour_index, res.hours);
  return res;
}

}  // namespace citytwin::geo
