#include "core/coupling/result_layers.hpp"

#include <algorithm>

namespace citytwin::coupling {

double HourlyColumn::value(const Twin& twin, const HourResult& h, std::size_t i) const {
  if (floats) return static_cast<double>((h.*floats)[i]);
  if (flags) {
    const auto& v = h.*flags;
    return i < v.size() ? v[i] : 0;  // signals of a grid-only run: none dark
  }
  return derived(twin, h, i);
}

namespace {

using H = HourResult;
using schema::ColumnKind;
using schema::GeometryKind;
using schema::Half;

HourlyColumn real(std::string name, std::string unit, std::string doc, std::vector<float> H::*v) {
  return {.name = std::move(name), .kind = ColumnKind::Real, .unit = std::move(unit), .doc = std::move(doc), .floats = v};
}
HourlyColumn flag(std::string name, std::string doc, std::vector<std::uint8_t> H::*v) {
  return {.name = std::move(name), .kind = ColumnKind::Int, .doc = std::move(doc), .flags = v};
}

// Vehicle hours above free-flow time on the link.
double link_delay(const Twin& t, const H& h, std::size_t l) {
  return static_cast<double>(h.link_flow[l]) * std::max(0.0, h.link_time_s[l] - t.roads.free_flow_s[l]) / 3600.0;
}

std::vector<HourlyTable> make_tables() {
  return {
      {.layer = "roads", .id = "link_id", .geometry = GeometryKind::LineString, .half = Half::Traffic,
       .count = [](const Twin& t) { return t.roads.link_count(); },
       .columns = {real("flow", "veh/h", "assigned flow", &H::link_flow), real("time_s", "s", "congested travel time", &H::link_time_s),
                   real("speed_kph", "km/h", "congested speed", &H::link_speed_kph), real("vc", "", "volume / capacity", &H::link_vc),
                   {.name = "delay_veh_h", .unit = "veh-h", .doc = "vehicle hours above free-flow time", .derived = link_delay},
                   real("capacity_factor", "", "capacity multiplier (dark signals)", &H::link_capacity_factor)}},
      {.layer = "signals", .id = "signal_id", .geometry = GeometryKind::Point, .half = Half::Traffic,
       .count = [](const Twin& t) { return t.signal_nodes().size(); },
       .columns = {flag("dark", "1: dark after its battery backup", &H::signal_dark)}},
      {.layer = "buses", .id = "bus_id", .geometry = GeometryKind::Point, .half = Half::Grid,
       .count = [](const Twin& t) { return t.grid.bus_count(); },
       .columns = {real("load_mw", "MW", "active load", &H::bus_load_mw), flag("energised", "1: connected to a slack", &H::bus_energised)}},
      {.layer = "branches", .id = "branch_id", .geometry = GeometryKind::LineString, .half = Half::Grid,
       .count = [](const Twin& t) { return t.grid.branch_count(); },
       .columns = {real("loading_pct", "%", "flow / rating", &H::branch_loading_pct)}},
      {.layer = "substations", .id = "substation_id", .geometry = GeometryKind::MultiPolygon, .half = Half::Grid,
       .count = [](const Twin& t) { return t.grid.substation_count(); },
       .columns = {real("load_mva", "MVA", "apparent load", &H::substation_load_mva),
                   real("utilisation", "fraction of rating", "load / capacity", &H::substation_utilisation),
                   flag("failed", "1: out of service (outage or trip)", &H::substation_failed)}},
      {.layer = "districts", .id = "district_id", .geometry = GeometryKind::MultiPolygon, .half = Half::Both,
       .count = [](const Twin& t) { return t.districts.size(); },
       .columns = {real("vehicle_km", "veh-km", "travelled on its links", &H::district_vkt),
                   real("vehicle_hours", "veh-h", "travelled on its links", &H::district_vht),
                   real("delay_hours", "veh-h", "above free-flow time on its links", &H::district_delay_h),
                   real("load_mw", "MW", "electric load incl. EV", &H::district_load_mw),
                   real("unserved_mwh", "MWh", "its share of unserved load", &H::district_unserved_mwh),
                   real("ev_mwh", "MWh", "EV charging energy", &H::district_ev_mwh)}},
  };
}

}  // namespace

const std::vector<HourlyTable>& hourly_tables() {
  static const std::vector<HourlyTable> tables = make_tables();
  return tables;
}

}  // namespace citytwin::coupling
