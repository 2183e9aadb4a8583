#include "viewer/model/results.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "core/common/errors.hpp"
#include "geo/io/results_reader.hpp"
#include "viewer/model/scenario_runner.hpp"
#include "core/model/twin.hpp"

namespace citytwin::viewer {

HourlyArray::HourlyArray(std::size_t features, float fill) : n_(features), values_(features * kHours, fill) {}

std::span<const float> HourlyArray::hour(int h) const {
  return {values_.data() + std::size_t(h) * n_, n_};
}
std::span<float> HourlyArray::hour(int h) { return {values_.data() + std::size_t(h) * n_, n_}; }

namespace {

void check_one(const HourlyArray& a, std::size_t n, const char* what) {
  if (!a.empty() && a.features() != n)
    throw InvalidInput(std::string("results: ") + what + " has " + std::to_string(a.features()) +
                       " features but the twin has " + std::to_string(n));
}

void check_kpi(const std::vector<float>& v, const char* what) {
  if (!v.empty() && v.size() != std::size_t(kHours))
    throw InvalidInput(std::string("results: KPI ") + what + " has " + std::to_string(v.size()) +
                       " hours, expected 24");
}

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;  // numeric columns
};

// A small numeric CSV reader: header row, then numbers (empty or "nan" = NaN).
CsvTable read_csv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw IoError("cannot open results file", {.file = file.string()});
  CsvTable t;
  std::string line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (t.header.empty()) {
      t.header = cells;
      continue;
    }
    if (cells.size() != t.header.size())
      throw InvalidInput("results CSV row has " + std::to_string(cells.size()) + " cells, header has " +
                             std::to_string(t.header.size()),
                         {.file = file.string(), .line = line_no});
    std::vector<double> row(cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string& s = cells[c];
      if (s.empty() || s == "nan" || s == "NaN") {
        row[c] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), row[c]);
      if (ec != std::errc() || p != s.data() + s.size())
        throw InvalidInput("results CSV: not a number '" + s + "'",
                           {.file = file.string(), .field = t.header[c], .line = line_no});
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Fills the arrays named in `columns` (CSV column name -> array) from file.
void load_table(const std::filesystem::path& file, std::size_t n,
                const std::map<std::string, HourlyArray*>& columns) {
  if (!std::filesystem::exists(file)) return;
  const CsvTable t = read_csv(file);
  if (t.header.size() < 2 || t.header[0] != "hour")
    throw InvalidInput("results CSV must start with the columns hour,<id>", {.file = file.string()});
  std::vector<HourlyArray*> target(t.header.size(), nullptr);
  for (std::size_t c = 2; c < t.header.size(); ++c) {
    auto it = columns.find(t.header[c]);
    if (it == columns.end()) continue;  // unknown metric columns are ignored
    *it->second = HourlyArray(n, std::numeric_limits<float>::quiet_NaN());
    target[c] = it->second;
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const double h = row[0], id = row[1];
    if (!(h >= 0 && h < kHours) || !(id >= 0 && id < double(n)))
      throw InvalidInput("results CSV: hour or id out of range (hour " + std::to_string(h) + ", id " +
                             std::to_string(id) + ", " + std::to_string(n) + " features)",
                         {.file = file.string(), .feature = std::int64_t(r)});
    for (std::size_t c = 2; c < row.size(); ++c)
      if (target[c]) target[c]->at(int(h), std::size_t(id)) = float(row[c]);
  }
}

void write_table(const std::filesystem::path& file, const char* id_name,
                 const std::vector<std::pair<const char*, const HourlyArray*>>& cols) {
  std::vector<std::pair<const char*, const HourlyArray*>> present;
  std::size_t n = 0;
  for (auto& c : cols)
    if (!c.second->empty()) {
      present.push_back(c);
      n = c.second->features();
    }
  if (present.empty()) return;
  std::ofstream out(file);
  if (!out) throw IoError("cannot write results file", {.file = file.string()});
  out << "hour," << id_name;
  for (auto& c : present) out << ',' << c.first;
  out << '\n';
  for (int h = 0; h < kHours; ++h)
    for (std::size_t i = 0; i < n; ++i) {
      out << h << ',' << i;
      for (auto& c : present) {
        const float v = c.second->at(h, i);
        out << ',';
        if (std::isfinite(v)) out << v;
      }
      out << '\n';
    }
  if (!out) throw IoError("failed writing results file", {.file = file.string()});
}

}  // namespace

bool has_values_at(const Results& r, int h) {
  if (h < 0 || h >= kHours) return false;
  for (const HourlyArray* a : {&r.link_flow_vph, &r.link_speed_kph, &r.link_vc, &r.link_delay_s, &r.bus_utilisation_pct,
                               &r.bus_energised, &r.branch_loading_pct, &r.substation_loading_pct, &r.district_vehicle_km,
                               &r.district_ev_energy_kwh, &r.district_unserved_kwh})
    if (!a->empty())
      for (float v : a->hour(h))
        if (std::isfinite(v)) return true;
  for (const std::vector<float>* k : {&r.kpis.vehicle_hours, &r.kpis.delay_hours, &r.kpis.peak_load_mw,
                                      &r.kpis.overloaded_assets, &r.kpis.dark_signals, &r.kpis.unserved_mwh})
    if (std::size_t(h) < k->size() && std::isfinite((*k)[std::size_t(h)])) return true;
  return false;
}

int first_hour_with_values(const Results& r) {
  for (int h = 0; h < kHours; ++h)
    if (has_values_at(r, h)) return h;
  return -1;
}

void check_results(const Results& r, const Twin& twin) {
  const std::size_t links = twin.roads.link_count(), buses = twin.grid.bus_count(),
                    branches = twin.grid.branch_count(), subs = twin.grid.substation_count(),
                    districts = twin.districts.size();
  check_one(r.link_flow_vph, links, "link flow");
  check_one(r.link_speed_kph, links, "link speed");
  check_one(r.link_vc, links, "link v/c");
  check_one(r.link_delay_s, links, "link delay");
  check_one(r.bus_utilisation_pct, buses, "bus utilisation");
  check_one(r.bus_energised, buses, "bus energised");
  check_one(r.branch_loading_pct, branches, "branch loading");
  check_one(r.substation_loading_pct, subs, "substation loading");
  check_one(r.district_vehicle_km, districts, "district vehicle-km");
  check_one(r.district_ev_energy_kwh, districts, "district EV energy");
  check_one(r.district_unserved_kwh, districts, "district unserved energy");
  check_kpi(r.kpis.vehicle_hours, "vehicle_hours");
  check_kpi(r.kpis.delay_hours, "delay_hours");
  check_kpi(r.kpis.peak_load_mw, "peak_load_mw");
  check_kpi(r.kpis.overloaded_assets, "overloaded_assets");
  check_kpi(r.kpis.dark_signals, "dark_signals");
  check_kpi(r.kpis.unserved_mwh, "unserved_mwh");
}

Results load_results(const std::filesystem::path& path, const Twin& twin) {
  if (path.extension() == ".gpkg") {
    // A `citytwin run` / `assign` / `powerflow` results file for this twin.
    Results r = results_from_simulation(twin, geo::read_results(path, twin));
    r.label = path.stem().string();
    return r;
  }
  if (!std::filesystem::is_directory(path))
    throw IoError("results: expected a folder of CSV files", {.file = path.string()});
  Results r;
  r.label = path.filename().string();
  load_table(path / "links.csv", twin.roads.link_count(),
             {{"flow_vph", &r.link_flow_vph}, {"speed_kph", &r.link_speed_kph}, {"vc", &r.link_vc},
              {"delay_s", &r.link_delay_s}});
  load_table(path / "buses.csv", twin.grid.bus_count(),
             {{"utilisation_pct", &r.bus_utilisation_pct}, {"energised", &r.bus_energised}});
  load_table(path / "branches.csv", twin.grid.branch_count(), {{"loading_pct", &r.branch_loading_pct}});
  load_table(path / "substations.csv", twin.grid.substation_count(),
             {{"loading_pct", &r.substation_loading_pct}});
  load_table(path / "districts.csv", twin.districts.size(),
             {{"vehicle_km", &r.district_vehicle_km}, {"ev_energy_kwh", &r.district_ev_energy_kwh},
              {"unserved_kwh", &r.district_unserved_kwh}});
  const auto kpi_file = path / "kpis.csv";
  if (std::filesystem::exists(kpi_file)) {
    const CsvTable t = read_csv(kpi_file);
    std::map<std::string, std::vector<float>*> cols = {
        {"vehicle_hours", &r.kpis.vehicle_hours},   {"delay_hours", &r.kpis.delay_hours},
        {"peak_load_mw", &r.kpis.peak_load_mw},     {"overloaded_assets", &r.kpis.overloaded_assets},
        {"dark_signals", &r.kpis.dark_signals},     {"unserved_mwh", &r.kpis.unserved_mwh}};
    for (std::size_t c = 1; c < t.header.size(); ++c) {
      auto it = cols.find(t.header[c]);
      if (it == cols.end()) continue;
      it->second->assign(kHours, std::numeric_limits<float>::quiet_NaN());
      for (const auto& row : t.rows)
        if (row[0] >= 0 && row[0] < kHours) (*it->second)[std::size_t(row[0])] = float(row[c]);
    }
  }
  check_results(r, twin);
  return r;
}

void write_results_csv(const Results& r, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  write_table(dir / "links.csv", "link",
              {{"flow_vph", &r.link_flow_vph}, {"speed_kph", &r.link_speed_kph}, {"vc", &r.link_vc},
               {"delay_s", &r.link_delay_s}});
  write_table(dir / "buses.csv", "bus", {{"utilisation_pct", &r.bus_utilisation_pct}, {"energised", &r.bus_energised}});
  write_table(dir / "branches.csv", "branch", {{"loading_pct", &r.branch_loading_pct}});
  write_table(dir / "substations.csv", "substation", {{"loading_pct", &r.substation_loading_pct}});
  write_table(dir / "districts.csv", "district",
              {{"vehicle_km", &r.district_vehicle_km}, {"ev_energy_kwh", &r.district_ev_energy_kwh},
               {"unserved_kwh", &r.district_unserved_kwh}});
  const std::vector<std::pair<const char*, const std::vector<float>*>> kpis = {
      {"vehicle_hours", &r.kpis.vehicle_hours},   {"delay_hours", &r.kpis.delay_hours},
      {"peak_load_mw", &r.kpis.peak_load_mw},     {"overloaded_assets", &r.kpis.overloaded_assets},
      {"dark_signals", &r.kpis.dark_signals},     {"unserved_mwh", &r.kpis.unserved_mwh}};
  bool any = false;
  for (auto& k : kpis) any = any || !k.second->empty();
  if (!any) return;
  std::ofstream out(dir / "kpis.csv");
  out << "hour";
  for (auto& k : kpis)
    if (!k.second->empty()) out << ',' << k.first;
  out << '\n';
  for (int h = 0; h < kHours; ++h) {
    out << h;
    for (auto& k : kpis)
      if (!k.second->empty()) out << ',' << (*k.second)[std::size_t(h)];
    out << '\n';
  }
}

}  // namespace citytwin::viewer
