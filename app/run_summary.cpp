#include "app/run_summary.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/hour_totals_fields.hpp"

namespace citytwin::app {

namespace {

using coupling::DayTotal;
using coupling::TotalField;

nlohmann::json json_value(const TotalField& f, const coupling::HourTotals& t) {
  return std::visit([&](auto m) { return nlohmann::json(t.*m); }, f.member);
}

void csv_value(std::ostream& out, const TotalField& f, const coupling::HourTotals& t) {
  std::visit(
      [&](auto m) {
        if constexpr (std::is_same_v<std::remove_reference_t<decltype(t.*m)>, bool>) out << (t.*m ? 1 : 0);
        else out << t.*m;
      },
      f.member);
}

// hours.csv's totals: the legacy columns in their order, then the others in list order.
std::vector<const TotalField*> csv_fields() {
  std::vector<const TotalField*> out;
  const auto fields = coupling::hour_total_fields();
  for (std::string_view name : coupling::legacy_csv_total_order())
    for (const auto& f : fields)
      if (f.name == name && f.in(coupling::kCsv)) out.push_back(&f);
  for (const auto& f : fields)
    if (f.in(coupling::kCsv) && std::find(out.begin(), out.end(), &f) == out.end()) out.push_back(&f);
  return out;
}

// What managed charging changed: the same scenario's run without it against this one.
nlohmann::json managed_charging_json(const coupling::ManagedChargingReport& m) {
  nlohmann::json subs = nlohmann::json::array();
  for (std::size_t k = 0; k < m.substations.size(); ++k) {
    const auto& s = m.substations[k];
    subs.push_back({{"substation_id", k}, {"unmanaged_peak_mva", s.unmanaged_mva}, {"unmanaged_peak_hour", s.unmanaged_hour},
                    {"managed_peak_mva", s.managed_mva}, {"managed_peak_hour", s.managed_hour}, {"peak_shaved_mva", s.shaved_mva()},
                    {"over_headroom_mwh", s.over_headroom_mwh}, {"over_headroom_hours", s.over_headroom_hours}});
  }
  return {{"unmanaged_peak_mw", m.unmanaged_peak_mw}, {"unmanaged_peak_hour", m.unmanaged_peak_hour},
          {"managed_peak_mw", m.managed_peak_mw}, {"managed_peak_hour", m.managed_peak_hour}, {"peak_shaved_mw", m.peak_shaved_mw()},
          {"flexible_mwh", m.flexible_mwh}, {"shifted_mwh", m.shifted_mwh}, {"sessions", m.sessions},
          {"sessions_delayed", m.sessions_delayed}, {"sessions_late", m.sessions_late}, {"late_mwh", m.late_mwh},
          {"over_headroom_mwh", m.over_headroom_mwh}, {"substations_over_headroom", m.substations_over_headroom},
          {"branch_overload_hours", {{"unmanaged", m.unmanaged_branch_overload_hours}, {"managed", m.managed_branch_overload_hours}}},
          {"unserved_mwh", {{"unmanaged", m.unmanaged_unserved_mwh}, {"managed", m.managed_unserved_mwh}}},
          {"dark_signal_hours", {{"unmanaged", m.unmanaged_dark_signal_hours}, {"managed", m.managed_dark_signal_hours}}},
          {"substations", subs}};
}

}  // namespace

nlohmann::json run_summary_json(const coupling::SimulationResult& res) {
  nlohmann::json hours = nlohmann::json::array();
  nlohmann::json day = nlohmann::json::object();
  for (const auto& f : coupling::hour_total_fields())
    if (f.in(coupling::kJson) && f.day != DayTotal::None) day[std::string(f.json_key())] = f.day == DayTotal::All ? nlohmann::json(true) : nlohmann::json(0.0);
  double peak = 0;
  int peak_hour = -1;
  std::vector<std::uint8_t> branch_hit, signal_hit, sub_hit;
  for (const auto& h : res.hours) {
    const auto& t = h.totals;
    nlohmann::json hour = nlohmann::json::object();
    for (const auto& f : coupling::hour_total_fields()) {
      if (!f.in(coupling::kJson)) continue;
      const std::string key(f.json_key());
      hour[key] = json_value(f, t);
      if (f.day == DayTotal::None) continue;
      auto& d = day[key];
      switch (f.day) {
        case DayTotal::Sum: d = d.get<double>() + f.value(t); break;
        case DayTotal::Max: d = std::max(d.get<double>(), f.value(t)); break;
        case DayTotal::All: d = d.get<bool>() && f.value(t) != 0; break;
        case DayTotal::None: break;
      }
    }
    hours.push_back(std::move(hour));
    if (t.load_mw > peak) peak = t.load_mw, peak_hour = t.hour;
    branch_hit.resize(h.branch_loading_pct.size(), 0);
    for (std::size_t l = 0; l < h.branch_loading_pct.size(); ++l) branch_hit[l] |= h.branch_loading_pct[l] > 100.f;
    signal_hit.resize(h.signal_dark.size(), 0);
    for (std::size_t s = 0; s < h.signal_dark.size(); ++s) signal_hit[s] |= h.signal_dark[s];
    sub_hit.resize(h.substation_failed.size(), 0);
    for (std::size_t k = 0; k < h.substation_failed.size(); ++k) sub_hit[k] |= h.substation_failed[k];
  }
  // Over the day, elements that were ever overloaded, dark or failed (not the sum of the hours' counts).
  auto count = [](const std::vector<std::uint8_t>& v) { return static_cast<int>(std::count(v.begin(), v.end(), 1)); };
  day["peak_hour"] = peak_hour;
  day["overloaded_branches"] = count(branch_hit);
  day["dark_signals"] = count(signal_hit);
  day["failed_substations"] = count(sub_hit);
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : res.parameters) parameters[name] = value;
  for (const auto& [name, spelling] : res.parameter_choices) parameters[name] = spelling;
  nlohmann::json feedback = nlohmann::json::array();
  for (const auto& f : res.feedback)
    feedback.push_back({{"loop", f.loop}, {"am_hour", f.am_hour}, {"pm_hour", f.pm_hour}, {"peak_vehicle_hours", f.peak_vehicle_hours},
                        {"trip_table_change_pct", f.change_pct}});
  nlohmann::json out = {{"scenario", res.scenario},
                        {"parameters", parameters},
                        {"demand", {{"source", res.demand_source}, {"feedback", feedback}}},
                        {"hours", hours},
                        {"totals", day},
                        {"phase_seconds",
                         {{"demand", res.seconds.demand}, {"assignment", res.seconds.assignment}, {"ev_charging", res.seconds.ev},
                          {"power_flow", res.seconds.power_flow}, {"failures", res.seconds.failures}}}};
  if (res.managed_charging) out["managed_charging"] = managed_charging_json(*res.managed_charging);
  return out;
}

void write_run_side_files(const nlohmann::json& summary, const coupling::SimulationResult& res, const std::filesystem::path& gpkg) {
  auto stem = gpkg;
  stem.replace_extension();
  write_atomically(stem.string() + ".summary.json", [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp);
    f << summary.dump(2) << "\n";
    if (!f) throw IoError("cannot write", {.file = tmp.string()});
  });
  write_atomically(stem.string() + ".hours.csv", [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp);
    const auto fields = csv_fields();
    f << "scenario";
    for (const TotalField* c : fields) f << ',' << c->name;
    f << '\n' << std::setprecision(10);
    for (const auto& h : res.hours) {
      f << '"' << res.scenario << '"';
      for (const TotalField* c : fields) {
        f << ',';
        csv_value(f, *c, h.totals);
      }
      f << '\n';
    }
    if (!f) throw IoError("cannot write", {.file = tmp.string()});
  });
}

void print_run_summary(std::ostream& out, const nlohmann::json& s, const std::string& gpkg) {
  const auto& t = s["totals"];
  out << std::fixed << std::setprecision(1) << "scenario       " << s["scenario"].get<std::string>() << "\n"
      << "traffic        " << t["vehicle_km"].get<double>() << " veh-km, " << t["vehicle_hours"].get<double>() << " veh-h, "
      << t["delay_hours"].get<double>() << " h delay\n"
      << "grid           peak " << t["peak_load_mw"].get<double>() << " MW at " << t["peak_hour"].get<int>() << ":00, "
      << t["overloaded_branches"].get<int>() << " overloaded branches, " << t["failed_substations"].get<int>()
      << " failed substations, " << t["unserved_energy_mwh"].get<double>() << " MWh unserved\n"
      << "cross-domain   " << t["dark_signals"].get<int>() << " signals dark, " << t["ev_energy_mwh"].get<double>()
      << " MWh EV charging\n"
      << "converged      " << (t["converged"].get<bool>() ? "every hour" : "NOT every hour (see hours.csv)") << "\n";
  if (s.contains("managed_charging")) {
    const auto& m = s["managed_charging"];
    out << "managed EV     peak " << m["unmanaged_peak_mw"].get<double>() << " -> " << m["managed_peak_mw"].get<double>() << " MW ("
        << m["peak_shaved_mw"].get<double>() << " MW shaved), " << m["shifted_mwh"].get<double>() << " MWh shifted, "
        << m["sessions_delayed"].get<double>() << " of " << m["sessions"].get<double>() << " sessions delayed, "
        << m["sessions_late"].get<double>() << " late; without -> with: " << m["branch_overload_hours"]["unmanaged"].get<int>() << " -> "
        << m["branch_overload_hours"]["managed"].get<int>() << " branch overload hours, " << m["unserved_mwh"]["unmanaged"].get<double>()
        << " -> " << m["unserved_mwh"]["managed"].get<double>() << " MWh unserved, " << m["dark_signal_hours"]["unmanaged"].get<int>()
        << " -> " << m["dark_signal_hours"]["managed"].get<int>() << " dark signal-hours, " << m["over_headroom_mwh"].get<double>()
        << " MWh above substation headroom\n";
  }
  out
      << "wrote          " << gpkg << " (+ .summary.json, .hours.csv)\n";
  out.unsetf(std::ios::floatfield);
  out << std::setprecision(6);
}

}  // namespace citytwin::app
