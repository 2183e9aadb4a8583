#include "geo/io/results_writer.hpp"

#include "geo/io/crs.hpp"
#include "geo/io/vector_writer.hpp"

namespace citytwin::geo {

namespace {
std::vector<Point2> line_points(const LineColumn& c, std::size_t i) {
  std::vector<Point2> pts;
  for (std::size_t k = 0; k < c.points(i); ++k) pts.push_back(c.point(i, k));
  return pts;
}
}  // namespace

void write_results(const Twin& twin, const coupling::SimulationResult& res, const std::filesystem::path& gpkg) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "twin CRS");
  DatasetWriter ds(gpkg);
  const RoadNetwork& r = twin.roads;
  const PowerGrid& g = twin.grid;
  const Districts& d = twin.districts;

  {
    auto& w = ds.add_layer("hours", wkbNone, nullptr, nullptr,
                           {{"scenario", OFTString}, {"hour", OFTInteger}, {"vehicle_km", OFTReal}, {"vehicle_hours", OFTReal},
                            {"delay_hours", OFTReal}, {"load_mw", OFTReal}, {"unserved_energy_mwh", OFTReal},
                            {"ev_energy_mwh", OFTReal}, {"overloaded_branches", OFTInteger}, {"dark_signals", OFTInteger},
                            {"failed_substations", OFTInteger}, {"relative_gap", OFTReal}, {"coupling_rounds", OFTInteger},
                            {"converged", OFTInteger}});
    for (const auto& h : res.hours) {
      const auto& t = h.totals;
      w.set(0, res.scenario);
      w.set(1, t.hour);
      w.set(2, t.vehicle_km);
      w.set(3, t.vehicle_hours);
      w.set(4, t.delay_hours);
      w.set(5, t.load_mw);
      w.set(6, t.unserved_energy_mwh);
      w.set(7, t.ev_energy_mwh);
      w.set(8, t.overloaded_branches);
      w.set(9, t.dark_signals);
      w.set(10, t.failed_substations);
      w.set(11, t.relative_gap);
      w.set(12, t.coupling_rounds);
      w.set(13, t.converged ? 1 : 0);
      w.no_geometry();
      w.write();
    }
  }
  {
    auto& w = ds.add_layer("roads_hourly", wkbLineString, srs.get(), srs.get(),
                           {{"link_id", OFTInteger64}, {"hour", OFTInteger}, {"class", OFTString}, {"flow", OFTReal},
                            {"time_s", OFTReal}, {"speed_kph", OFTReal}, {"vc", OFTReal}, {"delay_veh_h", OFTReal},
                            {"capacity_factor", OFTReal}});
    for (std::size_t l = 0; l < r.link_count(); ++l) {
      const auto pts = line_points(r.geometry, l);
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(l));
        w.set(1, h.totals.hour);
        w.set(2, std::string(road_class_name(r.road_class[l])));
        w.set(3, static_cast<double>(h.link_flow[l]));
        w.set(4, static_cast<double>(h.link_time_s[l]));
        w.set(5, static_cast<double>(h.link_speed_kph[l]));
        w.set(6, static_cast<double>(h.link_vc[l]));
        w.set(7, static_cast<double>(h.link_flow[l]) * std::max(0.0, h.link_time_s[l] - r.free_flow_s[l]) / 3600.0);
        w.set(8, static_cast<double>(h.link_capacity_factor[l]));
        w.line(pts);
        w.write();
      }
    }
  }
  {
    auto& w = ds.add_layer("buses_hourly", wkbPoint, srs.get(), srs.get(),
                           {{"bus_id", OFTInteger64}, {"hour", OFTInteger}, {"load_mw", OFTReal}, {"energised", OFTInteger}});
    for (std::size_t b = 0; b < g.bus_count(); ++b)
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(b));
        w.set(1, h.totals.hour);
        w.set(2, static_cast<double>(h.bus_load_mw[b]));
        w.set(3, static_cast<int>(h.bus_energised[b]));
        w.point({g.bus_x[b], g.bus_y[b]});
        w.write();
      }
  }
  {
    auto& w = ds.add_layer("branches_hourly", wkbLineString, srs.get(), srs.get(),
                           {{"branch_id", OFTInteger64}, {"hour", OFTInteger}, {"loading_pct", OFTReal}});
    for (std::size_t l = 0; l < g.branch_count(); ++l) {
      const auto pts = line_points(g.branch_geometry, l);
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(l));
        w.set(1, h.totals.hour);
        w.set(2, static_cast<double>(h.branch_loading_pct[l]));
        w.line(pts);
        w.write();
      }
    }
  }
  {
    auto& w = ds.add_layer("substations_hourly", wkbMultiPolygon, srs.get(), srs.get(),
                           {{"substation_id", OFTInteger64}, {"name", OFTString}, {"hour", OFTInteger}, {"load_mva", OFTReal},
                            {"utilisation", OFTReal}, {"failed", OFTInteger}});
    for (std::size_t k = 0; k < g.substation_count(); ++k)
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(k));
        w.set(1, g.substation_name[k]);
        w.set(2, h.totals.hour);
        w.set(3, static_cast<double>(h.substation_load_mva[k]));
        w.set(4, static_cast<double>(h.substation_utilisation[k]));
        w.set(5, static_cast<int>(h.substation_failed[k]));
        w.multipolygon(g.substation_shape, k);
        w.write();
      }
  }
  {
    auto& w = ds.add_layer("districts_hourly", wkbMultiPolygon, srs.get(), srs.get(),
                           {{"district_id", OFTInteger64}, {"name", OFTString}, {"hour", OFTInteger}, {"vehicle_km", OFTReal},
                            {"vehicle_hours", OFTReal}, {"delay_hours", OFTReal}, {"load_mw", OFTReal},
                            {"unserved_mwh", OFTReal}, {"ev_mwh", OFTReal}});
    for (std::size_t i = 0; i < d.size(); ++i)
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(i));
        w.set(1, d.name[i]);
        w.set(2, h.totals.hour);
        w.set(3, static_cast<double>(h.district_vkt[i]));
        w.set(4, static_cast<double>(h.district_vht[i]));
        w.set(5, static_cast<double>(h.district_delay_h[i]));
        w.set(6, static_cast<double>(h.district_load_mw[i]));
        w.set(7, static_cast<double>(h.district_unserved_mwh[i]));
        w.set(8, static_cast<double>(h.district_ev_mwh[i]));
        w.multipolygon(d.shape, i);
        w.write();
      }
  }
  {
    const auto nodes = twin.links.signal_node.empty() ? r.signals() : twin.links.signal_node;
    auto& w = ds.add_layer("signals_hourly", wkbPoint, srs.get(), srs.get(),
                           {{"signal_id", OFTInteger64}, {"road_node", OFTInteger64}, {"hour", OFTInteger}, {"dark", OFTInteger}});
    for (std::size_t s = 0; s < nodes.size(); ++s)
      for (const auto& h : res.hours) {
        w.set(0, static_cast<std::int64_t>(s));
        w.set(1, static_cast<std::int64_t>(nodes[s]));
        w.set(2, h.totals.hour);
        w.set(3, s < h.signal_dark.size() ? static_cast<int>(h.signal_dark[s]) : 0);
        w.point({r.node_x[nodes[s]], r.node_y[nodes[s]]});
        w.write();
      }
  }
  ds.commit();
}

}  // namespace citytwin::geo
