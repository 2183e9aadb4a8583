#include "app/run_summary.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

namespace citytwin::app {

nlohmann::json run_summary_json(const coupling::SimulationResult& res) {
  nlohmann::json hours = nlohmann::json::array();
  double vht = 0, delay = 0, vkt = 0, peak = 0, unserved = 0, ev = 0;
  int peak_hour = -1;
  bool converged = true;
  std::vector<std::uint8_t> branch_hit, signal_hit, sub_hit;
  for (const auto& h : res.hours) {
    const auto& t = h.totals;
    hours.push_back({{"hour", t.hour}, {"vehicle_km", t.vehicle_km}, {"vehicle_hours", t.vehicle_hours}, {"delay_hours", t.delay_hours},
                     {"peak_load_mw", t.load_mw}, {"overloaded_branches", t.overloaded_branches}, {"dark_signals", t.dark_signals},
                     {"failed_substations", t.failed_substations}, {"unserved_energy_mwh", t.unserved_energy_mwh},
                     {"ev_energy_mwh", t.ev_energy_mwh}, {"relative_gap", t.relative_gap}, {"coupling_rounds", t.coupling_rounds},
                     {"demand_vehicles", t.demand_vehicles}, {"disconnected_vehicles", t.disconnected_vehicles},
                     {"carried_in_vehicles", t.carried_in_vehicles}, {"carried_over_vehicles", t.carried_over_vehicles},
                     {"queued_sessions", t.queued_sessions}, {"mean_queue_wait_h", t.mean_queue_wait_h},
                     {"converged", t.converged}});
    vht += t.vehicle_hours;
    delay += t.delay_hours;
    vkt += t.vehicle_km;
    unserved += t.unserved_energy_mwh;
    ev += t.ev_energy_mwh;
    if (t.load_mw > peak) peak = t.load_mw, peak_hour = t.hour;
    converged = converged && t.converged;
    branch_hit.resize(h.branch_loading_pct.size(), 0);
    for (std::size_t l = 0; l < h.branch_loading_pct.size(); ++l) branch_hit[l] |= h.branch_loading_pct[l] > 100.f;
    signal_hit.resize(h.signal_dark.size(), 0);
    for (std::size_t s = 0; s < h.signal_dark.size(); ++s) signal_hit[s] |= h.signal_dark[s];
    sub_hit.resize(h.substation_failed.size(), 0);
    for (std::size_t k = 0; k < h.substation_failed.size(); ++k) sub_hit[k] |= h.substation_failed[k];
  }
  auto count = [](const std::vector<std::uint8_t>& v) { return static_cast<int>(std::count(v.begin(), v.end(), 1)); };
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : res.parameters) parameters[name] = value;
  for (const auto& [name, spelling] : res.parameter_choices) parameters[name] = spelling;
  nlohmann::json feedback = nlohmann::json::array();
  for (const auto& f : res.feedback)
    feedback.push_back({{"loop", f.loop}, {"am_hour", f.am_hour}, {"pm_hour", f.pm_hour}, {"peak_vehicle_hours", f.peak_vehicle_hours},
                        {"trip_table_change_pct", f.change_pct}});
  return {{"scenario", res.scenario},
          {"parameters", parameters},
          {"demand", {{"source", res.demand_source}, {"feedback", feedback}}},
          {"hours", hours},
          {"totals",
           {{"vehicle_km", vkt}, {"vehicle_hours", vht}, {"delay_hours", delay}, {"peak_load_mw", peak}, {"peak_hour", peak_hour},
            {"overloaded_branches", count(branch_hit)}, {"dark_signals", count(signal_hit)}, {"failed_substations", count(sub_hit)},
            {"unserved_energy_mwh", unserved}, {"ev_energy_mwh", ev}, {"converged", converged}}},
          {"phase_seconds",
           {{"demand", res.seconds.demand}, {"assignment", res.seconds.assignment}, {"ev_charging", res.seconds.ev},
            {"power_flow", res.seconds.power_flow}, {"failures", res.seconds.failures}}}};
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
    f << "scenario,hour,vehicle_km,vehicle_hours,delay_hours,load_mw,overloaded_branches,dark_signals,failed_substations,"
         "unserved_energy_mwh,ev_energy_mwh,relative_gap,coupling_rounds,demand_vehicles,carried_in_vehicles,carried_over_vehicles,"
         "queued_sessions,mean_queue_wait_h,converged\n";
    f << std::setprecision(10);
    for (const auto& h : res.hours) {
      const auto& t = h.totals;
      f << '"' << res.scenario << "\"," << t.hour << ',' << t.vehicle_km << ',' << t.vehicle_hours << ',' << t.delay_hours << ','
        << t.load_mw << ',' << t.overloaded_branches << ',' << t.dark_signals << ',' << t.failed_substations << ','
        << t.unserved_energy_mwh << ',' << t.ev_energy_mwh << ',' << t.relative_gap << ',' << t.coupling_rounds << ','
        << t.demand_vehicles << ',' << t.carried_in_vehicles << ',' << t.carried_over_vehicles << ',' << t.queued_sessions << ','
        << t.mean_queue_wait_h << ',' << (t.converged ? 1 : 0) << '\n';
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
      << "converged      " << (t["converged"].get<bool>() ? "every hour" : "NOT every hour (see hours.csv)") << "\n"
      << "wrote          " << gpkg << " (+ .summary.json, .hours.csv)\n";
  out.unsetf(std::ios::floatfield);
  out << std::setprecision(6);
}

}  // namespace citytwin::app
