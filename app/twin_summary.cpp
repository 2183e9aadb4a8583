#include "app/twin_summary.hpp"

#include <algorithm>
#include <iomanip>

namespace citytwin::app {

namespace {
struct JoinStats {
  std::size_t links_in_districts = 0, districts_served = 0, signals_powered = 0;
  double population = 0, jobs = 0, road_km = 0;
};
JoinStats join_stats(const Twin& t) {
  JoinStats s;
  for (auto d : t.links.link_district) s.links_in_districts += d >= 0;
  for (std::size_t i = 0; i + 1 < t.links.district_sub_offsets.size(); ++i)
    s.districts_served += t.links.district_sub_offsets[i + 1] > t.links.district_sub_offsets[i];
  for (auto b : t.links.signal_bus) s.signals_powered += b != 0xFFFFFFFFu;
  for (double p : t.districts.population) s.population += p;
  for (double j : t.districts.jobs) s.jobs += j;
  for (std::size_t l = 0; l < t.roads.link_count(); ++l)
    if (t.roads.road_class[l] != RoadClass::Connector) s.road_km += t.roads.length_m[l] / 1000.0;
  return s;
}
std::size_t count_connectors(const RoadNetwork& r) {
  return static_cast<std::size_t>(std::count(r.road_class.begin(), r.road_class.end(), RoadClass::Connector));
}
}  // namespace

nlohmann::json twin_summary_json(const Twin& t) {
  const JoinStats s = join_stats(t);
  const Box2 e = t.extent();
  nlohmann::json warnings = nlohmann::json::array();
  nlohmann::json report = nlohmann::json::array();
  for (const auto& entry : t.report.entries) {
    report.push_back({{"what", entry.what}, {"layer", entry.layer}, {"count", entry.count}, {"reason", entry.reason}});
    if (entry.what == "warning") warnings.push_back(entry.layer + ": " + std::to_string(entry.count) + " " + entry.reason);
  }
  return {
      {"name", t.name},
      {"crs", t.crs},
      {"extent", {e.min_x, e.min_y, e.max_x, e.max_y}},
      {"road_nodes", t.roads.node_count()},
      {"road_links", t.roads.link_count()},
      {"connector_links", count_connectors(t.roads)},
      {"road_km", s.road_km},
      {"signals", t.roads.signals().size()},
      {"zones", t.roads.zone_node.size()},
      {"buses", t.grid.bus_count()},
      {"branches", t.grid.branch_count()},
      {"substations", t.grid.substation_count()},
      {"districts", t.districts.size()},
      {"ev_chargers", t.chargers.size()},
      {"population", s.population},
      {"jobs", s.jobs},
      {"joins",
       {{"links_in_districts", s.links_in_districts},
        {"districts_served", s.districts_served},
        {"signals_powered", s.signals_powered},
        {"service_rule", service_rule_name(t.links.service_rule)}}},
      {"sources", [&] {
         nlohmann::json a = nlohmann::json::array();
         for (const auto& src : t.sources) a.push_back({{"department", src.department}, {"path", src.path}, {"layer", src.layer}});
         return a;
       }()},
      {"report", report},
      {"warnings", warnings},
  };
}

void print_twin_summary(std::ostream& out, const Twin& t) {
  const JoinStats s = join_stats(t);
  const Box2 e = t.extent();
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::fixed << std::setprecision(1);
  out << "city        " << t.name << "  (" << t.crs << ")\n"
      << "extent      " << e.min_x << ", " << e.min_y << " .. " << e.max_x << ", " << e.max_y << "  ("
      << (e.max_x - e.min_x) / 1000 << " x " << (e.max_y - e.min_y) / 1000 << " km)\n"
      << "roads       " << t.roads.node_count() << " nodes, " << t.roads.link_count() << " directed links ("
      << count_connectors(t.roads) << " zone connectors), " << s.road_km << " directed km, " << t.roads.signals().size() << " signals\n"
      << "grid        " << t.grid.bus_count() << " buses, " << t.grid.branch_count() << " branches, "
      << t.grid.substation_count() << " substations\n"
      << "districts   " << t.districts.size() << " (population " << s.population << ", jobs " << s.jobs << "), "
      << t.chargers.size() << " EV chargers\n"
      << "joins       " << s.links_in_districts << "/" << t.roads.link_count() << " links in a district, "
      << s.districts_served << "/" << t.districts.size() << " districts served (" << service_rule_name(t.links.service_rule)
      << "), " << s.signals_powered << "/" << t.links.signal_bus.size() << " signals powered\n";
  out.flags(flags);
  out.precision(precision);
}

void print_import_report(std::ostream& out, const ImportReport& report) {
  if (report.entries.empty()) {
    out << "report      nothing skipped or inferred\n";
    return;
  }
  out << "report\n";
  for (const auto& e : report.entries)
    out << "  " << std::left << std::setw(9) << e.what << std::setw(18) << e.layer << std::right << std::setw(9) << e.count
        << "  " << e.reason << "\n";
}

}  // namespace citytwin::app
