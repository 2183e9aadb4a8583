#include "core/model/twin.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace citytwin {

namespace {
constexpr std::array<const char*, static_cast<std::size_t>(RoadClass::Count)> kRoadClassNames = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified",
    "residential", "service", "living_street", "connector"};

// Counting sort of link ids by a node key: row = key[link].
Csr build_csr(const std::vector<std::uint32_t>& key, std::size_t rows) {
  Csr csr;
  csr.offsets.assign(rows + 1, 0);
  for (std::uint32_t k : key) ++csr.offsets[k + 1];
  for (std::size_t r = 0; r < rows; ++r) csr.offsets[r + 1] += csr.offsets[r];
  csr.entries.resize(key.size());
  std::vector<std::uint32_t> cursor(csr.offsets.begin(), csr.offsets.end() - 1);
  for (std::uint32_t link = 0; link < key.size(); ++link) csr.entries[cursor[key[link]]++] = link;
  return csr;
}
}  // namespace

const char* road_class_name(RoadClass c) {
  const auto i = static_cast<std::size_t>(c);
  return i < kRoadClassNames.size() ? kRoadClassNames[i] : "unknown";
}

bool parse_road_class(const std::string& name, RoadClass& out) {
  std::string base = name;
  if (base.size() > 5 && base.ends_with("_link")) base.resize(base.size() - 5);
  for (std::size_t i = 0; i < kRoadClassNames.size(); ++i) {
    if (base == kRoadClassNames[i]) {
      out = static_cast<RoadClass>(i);
      return true;
    }
  }
  return false;
}

const char* branch_kind_name(BranchKind k) {
  switch (k) {
    case BranchKind::Line: return "line";
    case BranchKind::Cable: return "cable";
    case BranchKind::Transformer: return "transformer";
  }
  return "?";
}

const char* service_rule_name(ServiceRule r) {
  switch (r) {
    case ServiceRule::Nearest: return "nearest";
    case ServiceRule::Voronoi: return "voronoi";
    case ServiceRule::CapacityAware: return "capacity-aware";
  }
  return "unknown";
}

std::vector<std::uint32_t> RoadNetwork::signals() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t n = 0; n < node_signal.size(); ++n)
    if (node_signal[n]) out.push_back(n);
  return out;
}

void RoadNetwork::build_adjacency() {
  out_links = build_csr(link_from, node_count());
  in_links = build_csr(link_to, node_count());
}

void ImportReport::add(std::string what, std::string layer, std::int64_t count, std::string reason) {
  if (count == 0) return;
  for (Entry& e : entries) {
    if (e.what == what && e.layer == layer && e.reason == reason) {
      e.count += count;
      return;
    }
  }
  entries.push_back({std::move(what), std::move(layer), count, std::move(reason)});
}

void Districts::derive_area_and_centroids() {
  const std::size_t n = shape.size();
  area_m2.resize(n);
  centroid_x.resize(n);
  centroid_y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    area_m2[i] = shape.area(i);
    const Point2 c = shape.centroid(i);
    centroid_x[i] = c.x;
    centroid_y[i] = c.y;
  }
}

Box2 Twin::extent() const {
  constexpr double inf = std::numeric_limits<double>::infinity();
  Box2 b{inf, inf, -inf, -inf};
  auto take = [&b](const std::vector<double>& xs, const std::vector<double>& ys) {
    for (std::size_t i = 0; i < xs.size(); ++i) {
      b.min_x = std::min(b.min_x, xs[i]);
      b.max_x = std::max(b.max_x, xs[i]);
      b.min_y = std::min(b.min_y, ys[i]);
      b.max_y = std::max(b.max_y, ys[i]);
    }
  };
  take(roads.node_x, roads.node_y);
  take(grid.bus_x, grid.bus_y);
  take(districts.shape.x, districts.shape.y);
  return b;
}

}  // namespace citytwin
