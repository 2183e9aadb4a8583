#include "tests/viewer/hand_laid_twin.hpp"

#include <cmath>
#include <limits>

namespace citytwin::viewer::test_support {

namespace {
RoadClass street_class(int line_index) {  // index of the row / column, 0..10
  if (line_index == 5) return RoadClass::Primary;
  if (line_index == 0 || line_index == kGridNodesPerSide - 1) return RoadClass::Secondary;
  if (line_index == 2 || line_index == 8) return RoadClass::Tertiary;
  return RoadClass::Residential;
}
struct ClassDefaults {
  float lanes, speed;
  double capacity;
};
ClassDefaults defaults(RoadClass c) {
  switch (c) {
    case RoadClass::Primary: return {2, 60, 1800};
    case RoadClass::Secondary: return {2, 50, 1500};
    case RoadClass::Tertiary: return {1, 50, 900};
    default: return {1, 30, 600};
  }
}
}  // namespace

Twin hand_laid_twin() {
  Twin t;
  t.name = "Hand-laid test city";
  t.crs = "EPSG:32633";
  t.sources = {{"citytwin", "hand-laid test city", "roads"},
               {"citytwin", "hand-laid test city", "grid"},
               {"citytwin", "hand-laid test city", "districts"},
               {"citytwin", "hand-laid test city", "chargers"}};
  const int N = kGridNodesPerSide;
  const double s = kGridSpacing, ox = kGridOrigin.x, oy = kGridOrigin.y;
  auto node_id = [N](int i, int j) { return std::uint32_t(j * N + i); };  // i = column (x), j = row (y)

  RoadNetwork& r = t.roads;
  for (int j = 0; j < N; ++j)
    for (int i = 0; i < N; ++i) {
      r.node_x.push_back(ox + i * s);
      r.node_y.push_back(oy + j * s);
      r.node_signal.push_back(i == 5 || j == 5 ? (i % 2 == 1 || j % 2 == 1 ? 0 : 1) : 0);
      r.node_source.add(0, std::int64_t(j * N + i));
    }
  std::int64_t fid = 0;
  auto add_street = [&](std::uint32_t a, std::uint32_t b, RoadClass c) {
    const ClassDefaults d = defaults(c);
    const Point2 pa{r.node_x[a], r.node_y[a]}, pb{r.node_x[b], r.node_y[b]};
    for (int dir = 0; dir < 2; ++dir) {
      const std::uint32_t from = dir ? b : a, to = dir ? a : b;
      r.link_from.push_back(from);
      r.link_to.push_back(to);
      r.length_m.push_back(s);
      r.free_flow_s.push_back(s / (d.speed / 3.6));
      r.capacity_vph.push_back(d.capacity);
      r.lanes.push_back(d.lanes);
      r.road_class.push_back(c);
      r.speed_kph.push_back(d.speed);
      r.toll.push_back(0);
      r.bpr_alpha.push_back(0.15f);
      r.bpr_beta.push_back(4.0f);
      const Point2 line[2] = {dir ? pb : pa, dir ? pa : pb};
      r.geometry.add(line);
      r.link_source.add(0, fid);
    }
    ++fid;
  };
  for (int j = 0; j < N; ++j)
    for (int i = 0; i + 1 < N; ++i) add_street(node_id(i, j), node_id(i + 1, j), street_class(j));  // rows
  for (int i = 0; i < N; ++i)
    for (int j = 0; j + 1 < N; ++j) add_street(node_id(i, j), node_id(i, j + 1), street_class(i));  // columns
  // Districts: 4 x 4 squares of 1 km, population highest in the centre.
  Districts& d = t.districts;
  const double side = s * (N - 1) / 4;
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i) {
      const double x0 = ox + i * side, y0 = oy + j * side;
      const double dc = std::hypot(i - 1.5, j - 1.5);
      d.name.push_back(std::string("D") + char('A' + j) + char('1' + i));
      d.population.push_back(std::round(12000 / (1 + dc)));
      d.households.push_back(std::round(d.population.back() / 2.2));
      d.jobs.push_back(std::round(9000 / (1 + dc * dc)));
      d.jobs_retail.push_back(std::round(d.jobs.back() * 0.2));
      d.jobs_service.push_back(std::round(d.jobs.back() * 0.6));
      d.jobs_other.push_back(d.jobs.back() - d.jobs_retail.back() - d.jobs_service.back());
      d.area_m2.push_back(side * side);
      d.centroid_x.push_back(x0 + side / 2);
      d.centroid_y.push_back(y0 + side / 2);
      d.shape.begin_feature();
      d.shape.add_polygon({{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}});
      d.source.add(2, std::int64_t(j * 4 + i));
    }

  // Zones: one centroid node per district, tied to the nearest street corner
  // by a two-way connector (class Connector, inferred), as the importer does.
  for (std::size_t k = 0; k < d.size(); ++k) {
    const std::uint32_t centroid = std::uint32_t(r.node_x.size());
    r.node_x.push_back(d.centroid_x[k]);
    r.node_y.push_back(d.centroid_y[k]);
    r.node_signal.push_back(0);
    r.node_source.add(ProvenanceColumn::kInferred, -1);
    r.zone_node.push_back(centroid);
    const int i = int(std::lround((d.centroid_x[k] - ox) / s)), j = int(std::lround((d.centroid_y[k] - oy) / s));
    const std::uint32_t corner = node_id(i, j);
    const Point2 pc{d.centroid_x[k], d.centroid_y[k]}, pn{r.node_x[corner], r.node_y[corner]};
    const double len = std::hypot(pc.x - pn.x, pc.y - pn.y);
    for (int dir = 0; dir < 2; ++dir) {
      r.link_from.push_back(dir ? corner : centroid);
      r.link_to.push_back(dir ? centroid : corner);
      r.length_m.push_back(len);
      r.free_flow_s.push_back(len / (30 / 3.6));
      r.capacity_vph.push_back(99999);
      r.lanes.push_back(1);
      r.road_class.push_back(RoadClass::Connector);
      r.speed_kph.push_back(30);
      r.toll.push_back(0);
      r.bpr_alpha.push_back(0.15f);
      r.bpr_beta.push_back(4.0f);
      const Point2 line[2] = {dir ? pn : pc, dir ? pc : pn};
      r.geometry.add(line);
      r.link_source.add(ProvenanceColumn::kInferred, -1);
    }
  }
  r.build_adjacency();

  // Grid: 5 substations (centre + 4 quadrants) each with one 110 kV bus; the
  // centre bus is the slack. Branches: star from the centre plus a ring.
  PowerGrid& g = t.grid;
  const double c0 = s * (N - 1) / 2;
  const Point2 subs[5] = {{ox + c0 + 100, oy + c0 + 100}, {ox + 1000 + 100, oy + 1000 + 100}, {ox + 3000 + 100, oy + 1000 + 100},
                          {ox + 3000 + 100, oy + 3000 + 100}, {ox + 1000 + 100, oy + 3000 + 100}};
  for (int k = 0; k < 5; ++k) {
    g.bus_x.push_back(subs[k].x);
    g.bus_y.push_back(subs[k].y);
    g.bus_kv.push_back(110);
    g.bus_type.push_back(k == 0 ? BusType::Slack : BusType::PQ);
    g.bus_energised.push_back(1);
    g.bus_substation.push_back(k);
    g.bus_source.add(1, k);
    g.substation_x.push_back(subs[k].x);
    g.substation_y.push_back(subs[k].y);
    g.substation_capacity_mva.push_back(k == 0 ? 120 : 60);
    g.substation_name.push_back(k == 0 ? "Central" : std::string("Sub ") + char('1' + k - 1));
    g.substation_bus.push_back(std::uint32_t(k));
    g.substation_source.add(1, 100 + k);
    g.substation_shape.begin_feature();
    const double h = 40;
    g.substation_shape.add_polygon({{{subs[k].x - h, subs[k].y - h}, {subs[k].x + h, subs[k].y - h},
                                     {subs[k].x + h, subs[k].y + h}, {subs[k].x - h, subs[k].y + h}}});
  }
  auto add_branch = [&](std::uint32_t a, std::uint32_t b) {
    g.branch_from.push_back(a);
    g.branch_to.push_back(b);
    g.branch_kind.push_back(BranchKind::Line);
    g.branch_r.push_back(0.01);
    g.branch_x.push_back(0.05);
    g.branch_b.push_back(0.001);
    g.branch_rating_mva.push_back(a == 0 ? 90 : 60);
    g.branch_in_service.push_back(1);
    const Point2 line[2] = {subs[a], subs[b]};
    g.branch_geometry.add(line);
    g.branch_source.add(1, std::int64_t(200 + g.branch_from.size()));
  };
  for (std::uint32_t k = 1; k < 5; ++k) add_branch(0, k);
  for (std::uint32_t k = 1; k < 5; ++k) add_branch(k, k % 4 + 1);
  g.gen_bus = {0};
  g.gen_p_mw = {0};
  g.gen_vm_pu = {1.0};
  g.gen_q_min_mvar = {-100};
  g.gen_q_max_mvar = {100};

  // Chargers at four primary junctions.
  for (int k = 0; k < 4; ++k) {
    const int i = k < 2 ? 1 + 2 * k * 4 : 5, j = k < 2 ? 5 : 1 + 2 * (k - 2) * 4;
    t.chargers.x.push_back(ox + i * s + 30);
    t.chargers.y.push_back(oy + j * s + 30);
    t.chargers.plugs.push_back(4 + 2 * std::uint32_t(k));
    t.chargers.kw_per_plug.push_back(k % 2 ? 50 : 22);
    t.chargers.source.add(3, k);
  }

  // Cross links: link -> district by midpoint, district -> nearest substation,
  // signals -> the bus of the nearest substation, chargers likewise.
  auto district_of = [&](double x, double y) -> std::int32_t {
    const int i = int((x - ox) / side), j = int((y - oy) / side);
    if (i < 0 || j < 0 || i > 3 || j > 3) return -1;
    return j * 4 + i;
  };
  auto nearest_sub = [&](double x, double y) {
    std::uint32_t best = 0;
    double bd = std::numeric_limits<double>::infinity();
    for (std::uint32_t k = 0; k < 5; ++k) {
      const double dd = std::hypot(subs[k].x - x, subs[k].y - y);
      if (dd < bd) {
        bd = dd;
        best = k;
      }
    }
    return best;
  };
  for (std::size_t l = 0; l < r.link_count(); ++l) {
    const Point2 a = r.geometry.point(l, 0), b = r.geometry.point(l, 1);
    const double mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    t.links.link_district.push_back(district_of(std::min(mx, ox + 4 * side - 1), std::min(my, oy + 4 * side - 1)));
  }
  t.links.service_rule = ServiceRule::Nearest;
  for (std::size_t k = 0; k < d.size(); ++k) {
    t.links.district_sub.push_back(nearest_sub(d.centroid_x[k], d.centroid_y[k]));
    t.links.district_sub_share.push_back(1.0);
    t.links.district_sub_offsets.push_back(std::uint32_t(t.links.district_sub.size()));
  }
  for (std::uint32_t n : r.signals()) {
    t.links.signal_node.push_back(n);
    t.links.signal_bus.push_back(nearest_sub(r.node_x[n], r.node_y[n]));
  }
  for (std::size_t k = 0; k < t.chargers.size(); ++k) {
    t.links.charger_bus.push_back(nearest_sub(t.chargers.x[k], t.chargers.y[k]));
    t.links.charger_node.push_back(node_id(int(std::lround((t.chargers.x[k] - ox) / s)), int(std::lround((t.chargers.y[k] - oy) / s))));
  }
  return t;
}

}  // namespace citytwin::viewer
