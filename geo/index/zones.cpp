#include "geo/index/zones.hpp"

#include <cmath>

#include "core/model/road_graph_builder.hpp"
#include "geo/index/joins.hpp"
#include "geo/index/spatial_index.hpp"

namespace citytwin::geo {

namespace {
constexpr double kConnectorSpeedKph = 25;  // local access streets, uncongested
constexpr double kConnectorCapacity = 99999;
}  // namespace

void add_zone_connectors(Twin& twin, std::size_t k) {
  RoadNetwork& r = twin.roads;
  const Districts& d = twin.districts;
  r.zone_node.clear();
  if (d.size() == 0 || r.node_count() == 0) return;

  const auto comp = strongly_connected_components(r.node_count(), r.link_from, r.link_to);
  std::vector<std::uint8_t> local(r.node_count(), 0);
  for (std::size_t l = 0; l < r.link_count(); ++l) {
    if (r.road_class[l] > RoadClass::Trunk) {
      local[r.link_from[l]] = 1;
      local[r.link_to[l]] = 1;
    }
  }
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t n = 0; n < r.node_count(); ++n)
    if (comp[n] == 0 && local[n]) candidates.push_back(n);
  const PointIndex index = PointIndex::build_subset(r.node_x, r.node_y, candidates);

  std::size_t unconnected = 0;
  for (std::size_t z = 0; z < d.size(); ++z) {
    const Point2 c{d.centroid_x[z], d.centroid_y[z]};
    const auto hits = index.nearest(c, k);
    const auto zone = static_cast<std::uint32_t>(r.node_count());
    r.node_x.push_back(c.x);
    r.node_y.push_back(c.y);
    r.node_signal.push_back(0);
    r.node_source.add(d.source.source[z], d.source.feature[z]);
    r.zone_node.push_back(zone);
    if (hits.empty()) ++unconnected;
    for (const IndexHit& h : hits) {
      for (int dir = 0; dir < 2; ++dir) {
        const std::uint32_t a = dir == 0 ? zone : h.id, b = dir == 0 ? h.id : zone;
        const double len = std::max(h.distance_m, 1.0);
        r.link_from.push_back(a);
        r.link_to.push_back(b);
        r.length_m.push_back(len);
        r.free_flow_s.push_back(len / (kConnectorSpeedKph / 3.6));
        r.capacity_vph.push_back(kConnectorCapacity);
        r.lanes.push_back(1);
        r.road_class.push_back(RoadClass::Connector);
        r.speed_kph.push_back(static_cast<float>(kConnectorSpeedKph));
        r.toll.push_back(0);
        r.bpr_alpha.push_back(0);
        r.bpr_beta.push_back(4);
        const std::vector<Point2> seg{{r.node_x[a], r.node_y[a]}, {r.node_x[b], r.node_y[b]}};
        r.geometry.add(seg);
        r.link_source.add(ProvenanceColumn::kInferred, -1);
      }
    }
  }
  r.build_adjacency();
  twin.report.add("inferred", "districts", static_cast<std::int64_t>(d.size()),
                  "zone centroid node with " + std::to_string(k) + " two-way connectors to the nearest road junctions");
  twin.report.add("warning", "districts", static_cast<std::int64_t>(unconnected), "zone has no road node to connect to");
}

void add_zones_and_joins(Twin& twin, std::size_t connectors_per_zone, ServiceRule rule) {
  add_zone_connectors(twin, connectors_per_zone);
  JoinOptions options;
  options.service_rule = rule;
  compute_cross_links(twin, options);
}

}  // namespace citytwin::geo
