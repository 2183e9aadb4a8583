#include "geo/io/results_writer.hpp"

#include "core/coupling/hour_totals_fields.hpp"
#include "geo/io/crs.hpp"
#include "geo/io/vector_writer.hpp"

namespace citytwin::geo {

namespace {

std::vector<Point2> line_points(const LineColumn& c, std::size_t i) {
  std::vector<Point2> pts;
  for (std::size_t k = 0; k < c.points(i); ++k) pts.push_back(c.point(i, k));
  return pts;
}

// Provenance of each element: `source_id` is a row of the `sources` table
// (NULL: inferred by citytwin), `source_fid` the feature id in that layer.
const std::vector<FieldDef> kSourceFields = {{"source_id", OFTInteger64}, {"source_fid", OFTInteger64}};

std::vector<FieldDef> with_source(std::vector<FieldDef> fields) {
  fields.insert(fields.end(), kSourceFields.begin(), kSourceFields.end());
  return fields;
}

void set_source(LayerWriter& w, int first, const ProvenanceColumn& p, std::size_t i) {
  if (i >= p.size() || p.inferred(i)) {
    w.set_null(first);
    w.set_null(first + 1);
    return;
  }
  w.set(first, static_cast<std::int64_t>(p.source[i]));
  if (p.feature[i] >= 0) w.set(first + 1, static_cast<std::int64_t>(p.feature[i])); else w.set_null(first + 1);
}

// Registers `<name>` as a feature layer: a view joining the hourly table
// `<name>_data` to the geometry layer `<geometry>` on `<id>`. The geometry is
// stored once per element instead of once per element and hour.
void hourly_view(DatasetWriter& ds, const std::string& name, const std::string& geometry, const std::string& id,
                 const std::string& type, const std::vector<FieldDef>& fields) {
  std::string cols;
  for (const auto& f : fields) cols += ", d.\"" + f.name + "\"";
  ds.execute("CREATE INDEX \"idx_" + geometry + "_" + id + "\" ON \"" + geometry + "\" (\"" + id + "\")");
  ds.execute("CREATE VIEW \"" + name + "\" AS SELECT d.fid AS fid, g.geom AS geom" + cols + " FROM \"" + name + "_data\" d JOIN \"" +
             geometry + "\" g ON g.\"" + id + "\" = d.\"" + id + "\"");
  ds.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) SELECT '" + name + "', 'features', '" + name +
             "', srs_id FROM gpkg_contents WHERE table_name = '" + geometry + "'");
  ds.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) SELECT '" + name +
             "', 'geom', '" + type + "', srs_id, 0, 0 FROM gpkg_contents WHERE table_name = '" + geometry + "'");
}

}  // namespace

void write_results(const Twin& twin, const coupling::SimulationResult& res, const std::filesystem::path& gpkg, ResultLayers layers) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "twin CRS");
  DatasetWriter ds(gpkg);
  ds.set_metadata(kTwinNameMetadata, twin.name);
  const RoadNetwork& r = twin.roads;
  const PowerGrid& g = twin.grid;
  const Districts& d = twin.districts;
  const auto signal_nodes = twin.signal_nodes();

  // Citywide totals per hour: the scenario, then the totals the file holds.
  {
    std::vector<FieldDef> fields = {{"scenario", OFTString}};
    std::vector<const coupling::TotalField*> totals;
    for (const auto& f : coupling::hour_total_fields())
      if (f.in(coupling::kGpkg)) {
        fields.push_back({std::string(f.name), std::holds_alternative<double coupling::HourTotals::*>(f.member) ? OFTReal : OFTInteger});
        totals.push_back(&f);
      }
    auto& w = ds.add_layer("hours", wkbNone, nullptr, nullptr, fields);
    for (const auto& h : res.hours) {
      w.set(0, res.scenario);
      for (std::size_t k = 0; k < totals.size(); ++k)
        std::visit([&](auto m) { w.set(static_cast<int>(k + 1), h.totals.*m); }, totals[k]->member);
      w.no_geometry();
      w.write();
    }
  }

  // The departments' layers the twin came from (provenance, attribution).
  {
    auto& w = ds.add_layer("sources", wkbNone, nullptr, nullptr,
                           {{"source_id", OFTInteger64}, {"department", OFTString}, {"path", OFTString}, {"layer", OFTString}});
    for (std::size_t i = 0; i < twin.sources.size(); ++i) {
      w.set(0, static_cast<std::int64_t>(i));
      w.set(1, twin.sources[i].department);
      w.set(2, twin.sources[i].path);
      w.set(3, twin.sources[i].layer);
      w.no_geometry();
      w.write();
    }
  }

  // Geometry once per element, with the attributes a viewer of the file alone shows.
  if (layers.traffic) {
    auto& w = ds.add_layer("roads", wkbLineString, srs.get(), srs.get(),
                           with_source({{"link_id", OFTInteger64}, {"class", OFTString}, {"capacity_vph", OFTReal},
                                        {"from_node", OFTInteger64}, {"to_node", OFTInteger64}, {"length_m", OFTReal},
                                        {"free_flow_s", OFTReal}, {"lanes", OFTReal}, {"speed_kph", OFTReal}}));
    for (std::size_t l = 0; l < r.link_count(); ++l) {
      w.set(0, static_cast<std::int64_t>(l));
      w.set(1, std::string(road_class_name(r.road_class[l])));
      w.set(2, r.capacity_vph[l]);
      w.set(3, static_cast<std::int64_t>(r.link_from[l]));
      w.set(4, static_cast<std::int64_t>(r.link_to[l]));
      w.set(5, r.length_m[l]);
      w.set(6, r.free_flow_s[l]);
      w.set(7, static_cast<double>(r.lanes[l]));
      w.set(8, static_cast<double>(r.speed_kph[l]));
      set_source(w, 9, r.link_source, l);
      w.line(line_points(r.geometry, l));
      w.write();
    }
    auto& sg = ds.add_layer("signals", wkbPoint, srs.get(), srs.get(), {{"signal_id", OFTInteger64}, {"road_node", OFTInteger64}});
    for (std::size_t i = 0; i < signal_nodes.size(); ++i) {
      sg.set(0, static_cast<std::int64_t>(i));
      sg.set(1, static_cast<std::int64_t>(signal_nodes[i]));
      sg.point({r.node_x[signal_nodes[i]], r.node_y[signal_nodes[i]]});
      sg.write();
    }
  }
  if (layers.grid) {
    auto& b = ds.add_layer("buses", wkbPoint, srs.get(), srs.get(),
                           with_source({{"bus_id", OFTInteger64}, {"kv", OFTReal}, {"substation_id", OFTInteger64}}));
    for (std::size_t i = 0; i < g.bus_count(); ++i) {
      b.set(0, static_cast<std::int64_t>(i));
      b.set(1, g.bus_kv[i]);
      if (g.bus_substation[i] >= 0) b.set(2, static_cast<std::int64_t>(g.bus_substation[i])); else b.set_null(2);
      set_source(b, 3, g.bus_source, i);
      b.point({g.bus_x[i], g.bus_y[i]});
      b.write();
    }
    auto& br = ds.add_layer("branches", wkbLineString, srs.get(), srs.get(),
                            with_source({{"branch_id", OFTInteger64}, {"rating_mva", OFTReal}, {"from_bus", OFTInteger64},
                                         {"to_bus", OFTInteger64}, {"kind", OFTString}}));
    for (std::size_t i = 0; i < g.branch_count(); ++i) {
      br.set(0, static_cast<std::int64_t>(i));
      br.set(1, g.branch_rating_mva[i]);
      br.set(2, static_cast<std::int64_t>(g.branch_from[i]));
      br.set(3, static_cast<std::int64_t>(g.branch_to[i]));
      br.set(4, std::string(branch_kind_name(g.branch_kind[i])));
      set_source(br, 5, g.branch_source, i);
      br.line(line_points(g.branch_geometry, i));
      br.write();
    }
    auto& s = ds.add_layer("substations", wkbMultiPolygon, srs.get(), srs.get(),
                           with_source({{"substation_id", OFTInteger64}, {"name", OFTString}, {"capacity_mva", OFTReal},
                                        {"bus_id", OFTInteger64}}));
    for (std::size_t k = 0; k < g.substation_count(); ++k) {
      s.set(0, static_cast<std::int64_t>(k));
      s.set(1, g.substation_name[k]);
      s.set(2, g.substation_capacity_mva[k]);
      s.set(3, static_cast<std::int64_t>(g.substation_bus[k]));
      set_source(s, 4, g.substation_source, k);
      s.multipolygon(g.substation_shape, k);
      s.write();
    }
  }
  {
    auto& dw = ds.add_layer("districts", wkbMultiPolygon, srs.get(), srs.get(),
                            with_source({{"district_id", OFTInteger64}, {"name", OFTString}, {"population", OFTReal},
                                         {"households", OFTReal}, {"jobs", OFTReal}}));
    for (std::size_t i = 0; i < d.size(); ++i) {
      dw.set(0, static_cast<std::int64_t>(i));
      dw.set(1, d.name[i]);
      dw.set(2, d.population[i]);
      dw.set(3, d.households[i]);
      dw.set(4, d.jobs[i]);
      set_source(dw, 5, d.source, i);
      dw.multipolygon(d.shape, i);
      dw.write();
    }
  }

  // Hourly values, one row per element and hour; `<layer>_hourly` views add the geometry.
  const std::vector<FieldDef> road_fields = {{"link_id", OFTInteger64}, {"hour", OFTInteger}, {"flow", OFTReal}, {"time_s", OFTReal},
                                             {"speed_kph", OFTReal}, {"vc", OFTReal}, {"delay_veh_h", OFTReal}, {"capacity_factor", OFTReal}};
  const std::vector<FieldDef> bus_fields = {{"bus_id", OFTInteger64}, {"hour", OFTInteger}, {"load_mw", OFTReal}, {"energised", OFTInteger}};
  const std::vector<FieldDef> branch_fields = {{"branch_id", OFTInteger64}, {"hour", OFTInteger}, {"loading_pct", OFTReal}};
  const std::vector<FieldDef> sub_fields = {{"substation_id", OFTInteger64}, {"hour", OFTInteger}, {"load_mva", OFTReal},
                                            {"utilisation", OFTReal}, {"failed", OFTInteger}};
  const std::vector<FieldDef> district_fields = {{"district_id", OFTInteger64}, {"hour", OFTInteger}, {"vehicle_km", OFTReal},
                                                 {"vehicle_hours", OFTReal}, {"delay_hours", OFTReal}, {"load_mw", OFTReal},
                                                 {"unserved_mwh", OFTReal}, {"ev_mwh", OFTReal}};
  const std::vector<FieldDef> signal_fields = {{"signal_id", OFTInteger64}, {"hour", OFTInteger}, {"dark", OFTInteger}};
  if (layers.traffic) {
    auto& w = ds.add_layer("roads_hourly_data", wkbNone, nullptr, nullptr, road_fields);
    for (const auto& h : res.hours)
      for (std::size_t l = 0; l < r.link_count(); ++l) {
        w.set(0, static_cast<std::int64_t>(l));
        w.set(1, h.totals.hour);
        w.set(2, static_cast<double>(h.link_flow[l]));
        w.set(3, static_cast<double>(h.link_time_s[l]));
        w.set(4, static_cast<double>(h.link_speed_kph[l]));
        w.set(5, static_cast<double>(h.link_vc[l]));
        w.set(6, static_cast<double>(h.link_flow[l]) * std::max(0.0, h.link_time_s[l] - r.free_flow_s[l]) / 3600.0);
        w.set(7, static_cast<double>(h.link_capacity_factor[l]));
        w.no_geometry();
        w.write();
      }
    auto& sg = ds.add_layer("signals_hourly_data", wkbNone, nullptr, nullptr, signal_fields);
    for (const auto& h : res.hours)
      for (std::size_t i = 0; i < signal_nodes.size(); ++i) {
        sg.set(0, static_cast<std::int64_t>(i));
        sg.set(1, h.totals.hour);
        sg.set(2, i < h.signal_dark.size() ? static_cast<int>(h.signal_dark[i]) : 0);
        sg.no_geometry();
        sg.write();
      }
  }
  if (layers.grid) {
    auto& b = ds.add_layer("buses_hourly_data", wkbNone, nullptr, nullptr, bus_fields);
    auto& br = ds.add_layer("branches_hourly_data", wkbNone, nullptr, nullptr, branch_fields);
    auto& s = ds.add_layer("substations_hourly_data", wkbNone, nullptr, nullptr, sub_fields);
    for (const auto& h : res.hours) {
      const int hour = h.totals.hour;
      for (std::size_t i = 0; i < g.bus_count(); ++i) {
        b.set(0, static_cast<std::int64_t>(i));
        b.set(1, hour);
        b.set(2, static_cast<double>(h.bus_load_mw[i]));
        b.set(3, static_cast<int>(h.bus_energised[i]));
        b.no_geometry();
        b.write();
      }
      for (std::size_t i = 0; i < g.branch_count(); ++i) {
        br.set(0, static_cast<std::int64_t>(i));
        br.set(1, hour);
        br.set(2, static_cast<double>(h.branch_loading_pct[i]));
        br.no_geometry();
        br.write();
      }
      for (std::size_t k = 0; k < g.substation_count(); ++k) {
        s.set(0, static_cast<std::int64_t>(k));
        s.set(1, hour);
        s.set(2, static_cast<double>(h.substation_load_mva[k]));
        s.set(3, static_cast<double>(h.substation_utilisation[k]));
        s.set(4, static_cast<int>(h.substation_failed[k]));
        s.no_geometry();
        s.write();
      }
    }
  }
  {
    auto& dw = ds.add_layer("districts_hourly_data", wkbNone, nullptr, nullptr, district_fields);
    for (const auto& h : res.hours) {
      const int hour = h.totals.hour;
      for (std::size_t i = 0; i < d.size(); ++i) {
        dw.set(0, static_cast<std::int64_t>(i));
        dw.set(1, hour);
        dw.set(2, static_cast<double>(h.district_vkt[i]));
        dw.set(3, static_cast<double>(h.district_vht[i]));
        dw.set(4, static_cast<double>(h.district_delay_h[i]));
        dw.set(5, static_cast<double>(h.district_load_mw[i]));
        dw.set(6, static_cast<double>(h.district_unserved_mwh[i]));
        dw.set(7, static_cast<double>(h.district_ev_mwh[i]));
        dw.no_geometry();
        dw.write();
      }
    }
  }
  if (layers.traffic) {
    hourly_view(ds, "roads_hourly", "roads", "link_id", "LINESTRING", road_fields);
    hourly_view(ds, "signals_hourly", "signals", "signal_id", "POINT", signal_fields);
  }
  if (layers.grid) {
    hourly_view(ds, "buses_hourly", "buses", "bus_id", "POINT", bus_fields);
    hourly_view(ds, "branches_hourly", "branches", "branch_id", "LINESTRING", branch_fields);
    hourly_view(ds, "substations_hourly", "substations", "substation_id", "MULTIPOLYGON", sub_fields);
  }
  hourly_view(ds, "districts_hourly", "districts", "district_id", "MULTIPOLYGON", district_fields);
  ds.commit();
}

}  // namespace citytwin::geo
