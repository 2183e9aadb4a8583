#include "geo/io/twin_export.hpp"

#include "geo/io/crs.hpp"
#include "geo/io/vector_writer.hpp"

namespace citytwin::geo {

namespace {

const std::vector<FieldDef> kProvenanceFields = {
    {"src_department", OFTString}, {"src_file", OFTString}, {"src_layer", OFTString}, {"src_fid", OFTInteger64}, {"inferred", OFTInteger}};

std::vector<FieldDef> with_provenance(std::vector<FieldDef> fields) {
  fields.insert(fields.end(), kProvenanceFields.begin(), kProvenanceFields.end());
  return fields;
}

// Writes the provenance of entity i into the fields after `first`.
void set_provenance(LayerWriter& w, int first, const Twin& twin, const ProvenanceColumn& p, std::size_t i) {
  if (p.inferred(i)) {
    w.set(first, std::string("citytwin"));
    w.set_null(first + 1);
    w.set_null(first + 2);
    w.set_null(first + 3);
    w.set(first + 4, 1);
    return;
  }
  const SourceLayer& s = twin.sources.at(p.source[i]);
  w.set(first, s.department);
  w.set(first + 1, s.path);
  w.set(first + 2, s.layer);
  w.set(first + 3, static_cast<std::int64_t>(p.feature[i]));
  w.set(first + 4, 0);
}

const char* bus_type_name(BusType t) {
  switch (t) {
    case BusType::PQ: return "PQ";
    case BusType::PV: return "PV";
    case BusType::Slack: return "slack";
    case BusType::Isolated: return "isolated";
  }
  return "?";
}
}  // namespace

ExportCounts export_twin(const Twin& twin, const std::filesystem::path& gpkg) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "twin CRS");
  DatasetWriter ds(gpkg);
  ExportCounts n;

  const RoadNetwork& r = twin.roads;
  {
    auto& w = ds.add_layer("roads", wkbLineString, srs.get(), srs.get(),
                           with_provenance({{"link_id", OFTInteger64}, {"from_node", OFTInteger64}, {"to_node", OFTInteger64},
                                            {"class", OFTString}, {"length_m", OFTReal}, {"free_flow_s", OFTReal},
                                            {"capacity_vph", OFTReal}, {"lanes", OFTReal}, {"speed_kph", OFTReal},
                                            {"toll", OFTReal}, {"bpr_alpha", OFTReal}, {"bpr_beta", OFTReal},
                                            {"district", OFTInteger64}}));
    std::vector<Point2> pts;
    for (std::size_t l = 0; l < r.link_count(); ++l) {
      w.set(0, static_cast<std::int64_t>(l));
      w.set(1, static_cast<std::int64_t>(r.link_from[l]));
      w.set(2, static_cast<std::int64_t>(r.link_to[l]));
      w.set(3, std::string(road_class_name(r.road_class[l])));
      w.set(4, r.length_m[l]);
      w.set(5, r.free_flow_s[l]);
      w.set(6, r.capacity_vph[l]);
      w.set(7, static_cast<double>(r.lanes[l]));
      w.set(8, static_cast<double>(r.speed_kph[l]));
      w.set(9, r.toll[l]);
      w.set(10, static_cast<double>(r.bpr_alpha[l]));
      w.set(11, static_cast<double>(r.bpr_beta[l]));
      if (l < twin.links.link_district.size() && twin.links.link_district[l] >= 0)
        w.set(12, static_cast<std::int64_t>(twin.links.link_district[l]));
      else
        w.set_null(12);
      set_provenance(w, 13, twin, r.link_source, l);
      pts.clear();
      for (std::size_t k = 0; k < r.geometry.points(l); ++k) pts.push_back(r.geometry.point(l, k));
      w.line(pts);
      w.write();
      ++n.roads;
    }
  }
  {
    std::vector<std::int64_t> zone_of(r.node_count(), -1);
    for (std::size_t z = 0; z < r.zone_node.size(); ++z) zone_of[r.zone_node[z]] = static_cast<std::int64_t>(z);
    auto& w = ds.add_layer("road_nodes", wkbPoint, srs.get(), srs.get(),
                           with_provenance({{"node_id", OFTInteger64}, {"signal", OFTInteger}, {"zone", OFTInteger64}}));
    for (std::size_t v = 0; v < r.node_count(); ++v) {
      w.set(0, static_cast<std::int64_t>(v));
      w.set(1, static_cast<int>(r.node_signal[v]));
      if (zone_of[v] >= 0) w.set(2, zone_of[v]); else w.set_null(2);
      set_provenance(w, 3, twin, r.node_source, v);
      w.point({r.node_x[v], r.node_y[v]});
      w.write();
      ++n.road_nodes;
    }
  }
  const PowerGrid& g = twin.grid;
  {
    auto& w = ds.add_layer("grid_buses", wkbPoint, srs.get(), srs.get(),
                           with_provenance({{"bus_id", OFTInteger64}, {"kv", OFTReal}, {"type", OFTString},
                                            {"energised", OFTInteger}, {"substation", OFTInteger64}}));
    for (std::size_t b = 0; b < g.bus_count(); ++b) {
      w.set(0, static_cast<std::int64_t>(b));
      w.set(1, g.bus_kv[b]);
      w.set(2, std::string(bus_type_name(g.bus_type[b])));
      w.set(3, static_cast<int>(g.bus_energised[b]));
      if (g.bus_substation[b] >= 0) w.set(4, static_cast<std::int64_t>(g.bus_substation[b])); else w.set_null(4);
      set_provenance(w, 5, twin, g.bus_source, b);
      w.point({g.bus_x[b], g.bus_y[b]});
      w.write();
      ++n.buses;
    }
  }
  {
    auto& w = ds.add_layer("grid_branches", wkbLineString, srs.get(), srs.get(),
                           with_provenance({{"branch_id", OFTInteger64}, {"from_bus", OFTInteger64}, {"to_bus", OFTInteger64},
                                            {"kind", OFTString}, {"r_pu", OFTReal}, {"x_pu", OFTReal}, {"b_pu", OFTReal},
                                            {"rating_mva", OFTReal}, {"in_service", OFTInteger}}));
    std::vector<Point2> pts;
    for (std::size_t l = 0; l < g.branch_count(); ++l) {
      w.set(0, static_cast<std::int64_t>(l));
      w.set(1, static_cast<std::int64_t>(g.branch_from[l]));
      w.set(2, static_cast<std::int64_t>(g.branch_to[l]));
      w.set(3, std::string(branch_kind_name(g.branch_kind[l])));
      w.set(4, g.branch_r[l]);
      w.set(5, g.branch_x[l]);
      w.set(6, g.branch_b[l]);
      w.set(7, g.branch_rating_mva[l]);
      w.set(8, static_cast<int>(g.branch_in_service[l]));
      set_provenance(w, 9, twin, g.branch_source, l);
      pts.clear();
      for (std::size_t k = 0; k < g.branch_geometry.points(l); ++k) pts.push_back(g.branch_geometry.point(l, k));
      w.line(pts);
      w.write();
      ++n.branches;
    }
  }
  {
    auto& w = ds.add_layer("substations", wkbMultiPolygon, srs.get(), srs.get(),
                           with_provenance({{"substation_id", OFTInteger64}, {"name", OFTString}, {"capacity_mva", OFTReal},
                                            {"bus", OFTInteger64}}));
    for (std::size_t k = 0; k < g.substation_count(); ++k) {
      w.set(0, static_cast<std::int64_t>(k));
      w.set(1, g.substation_name[k]);
      w.set(2, g.substation_capacity_mva[k]);
      w.set(3, static_cast<std::int64_t>(g.substation_bus[k]));
      set_provenance(w, 4, twin, g.substation_source, k);
      w.multipolygon(g.substation_shape, k);
      w.write();
      ++n.substations;
    }
  }
  const Districts& d = twin.districts;
  {
    auto& w = ds.add_layer("districts", wkbMultiPolygon, srs.get(), srs.get(),
                           with_provenance({{"district_id", OFTInteger64}, {"name", OFTString}, {"population", OFTReal},
                                            {"households", OFTReal}, {"jobs", OFTReal}, {"jobs_retail", OFTReal},
                                            {"jobs_service", OFTReal}, {"jobs_other", OFTReal}, {"area_m2", OFTReal},
                                            {"substations", OFTString}}));
    const CrossLinks& x = twin.links;
    for (std::size_t i = 0; i < d.size(); ++i) {
      w.set(0, static_cast<std::int64_t>(i));
      w.set(1, d.name[i]);
      w.set(2, d.population[i]);
      w.set(3, d.households[i]);
      w.set(4, d.jobs[i]);
      w.set(5, d.jobs_retail[i]);
      w.set(6, d.jobs_service[i]);
      w.set(7, d.jobs_other[i]);
      w.set(8, d.area_m2[i]);
      // "substation:share;..." so QGIS shows the service split in one field.
      std::string serving;
      if (i + 1 < x.district_sub_offsets.size()) {
        for (auto k = x.district_sub_offsets[i]; k < x.district_sub_offsets[i + 1]; ++k) {
          if (!serving.empty()) serving += ";";
          char share[32];
          std::snprintf(share, sizeof share, "%.4f", x.district_sub_share[k]);
          serving += std::to_string(x.district_sub[k]) + ":" + share;
        }
      }
      w.set(9, serving);
      set_provenance(w, 10, twin, d.source, i);
      w.multipolygon(d.shape, i);
      w.write();
      ++n.districts;
    }
  }
  {
    const EvChargers& c = twin.chargers;
    auto& w = ds.add_layer("ev_chargers", wkbPoint, srs.get(), srs.get(),
                           with_provenance({{"charger_id", OFTInteger64}, {"plugs", OFTInteger}, {"kw_per_plug", OFTReal},
                                            {"bus", OFTInteger64}, {"road_node", OFTInteger64}}));
    for (std::size_t i = 0; i < c.size(); ++i) {
      w.set(0, static_cast<std::int64_t>(i));
      w.set(1, static_cast<int>(c.plugs[i]));
      w.set(2, c.kw_per_plug[i]);
      auto set_ref = [&](int field, const std::vector<std::uint32_t>& v) {
        if (i < v.size() && v[i] != 0xFFFFFFFFu) w.set(field, static_cast<std::int64_t>(v[i])); else w.set_null(field);
      };
      set_ref(3, twin.links.charger_bus);
      set_ref(4, twin.links.charger_node);
      set_provenance(w, 5, twin, c.source, i);
      w.point({c.x[i], c.y[i]});
      w.write();
      ++n.chargers;
    }
  }
  ds.commit();
  return n;
}

}  // namespace citytwin::geo
