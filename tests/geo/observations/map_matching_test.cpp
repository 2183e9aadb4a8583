// Map matching on hand-made roads (each rule and its reason) and against the
// brute-force oracle on a seeded random street grid.
#include "geo/observations/map_matching.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/common/errors.hpp"

using namespace citytwin;
using namespace citytwin::geo;
using citytwin::observations::CountStation;

namespace {

void add_link(Twin& t, std::uint32_t from, std::uint32_t to, std::vector<Point2> line, RoadClass cls = RoadClass::Residential) {
  RoadNetwork& r = t.roads;
  r.link_from.push_back(from);
  r.link_to.push_back(to);
  r.road_class.push_back(cls);
  r.capacity_vph.push_back(800);
  r.geometry.add(line);
}

// Link 0: (0,0) -> (200,0) eastbound; link 1 its westbound twin; link 2 a
// one-way northbound street at x = 300; link 3 a zone connector.
Twin hand_made() {
  Twin t;
  t.roads.node_x = {0, 200, 300, 300, 100, 100};
  t.roads.node_y = {0, 0, -100, 100, 10, 50};
  add_link(t, 0, 1, {{0, 0}, {200, 0}});
  add_link(t, 1, 0, {{200, 0}, {0, 0}});
  add_link(t, 2, 3, {{300, -100}, {300, 100}});
  add_link(t, 4, 5, {{100, 10}, {100, 50}}, RoadClass::Connector);
  return t;
}

StationMatch match_one(const Twin& t, CountStation s, MatchOptions o = {}) {
  const LineIndex index = LineIndex::build(t.roads.geometry);
  const MatchReport r = match_stations(t, index, {s}, o);
  EXPECT_EQ(r.matched + r.ambiguous + r.rejected, 1u);
  const MatchReport brute = match_stations_brute_force(t, {s}, o);
  EXPECT_EQ(brute.stations[0].link, r.stations[0].link);
  EXPECT_EQ(brute.stations[0].reason, r.stations[0].reason);
  return r.stations[0];
}

TEST(MapMatching, TheBearingPicksTheDirectionOfATwoWayRoad) {
  const Twin t = hand_made();
  auto m = match_one(t, {"east", {100, 3}, 90.0});
  EXPECT_EQ(m.status, MatchStatus::Matched);
  EXPECT_EQ(m.link, 0);
  EXPECT_NEAR(m.distance_m, 3, 1e-9);
  EXPECT_NEAR(m.link_bearing_deg, 90, 1e-9);
  m = match_one(t, {"west", {100, 3}, 270.0});
  EXPECT_EQ(m.status, MatchStatus::Matched);
  EXPECT_EQ(m.link, 1);
  m = match_one(t, {"east-ish", {100, -3}, 130.0});  // 40 deg off: within the default 45
  EXPECT_EQ(m.link, 0);
  m = match_one(t, {"east-ish", {100, -3}, 140.0}, {.bearing_tolerance_deg = 60});
  EXPECT_EQ(m.link, 0);
}

TEST(MapMatching, NoBearingOnATwoWayRoadIsAmbiguousButAOneWayStreetIsNot) {
  const Twin t = hand_made();
  auto m = match_one(t, {"no bearing", {100, 3}, std::nullopt});
  EXPECT_EQ(m.status, MatchStatus::Ambiguous);
  EXPECT_EQ(m.link, 0);
  EXPECT_EQ(m.alternatives, std::vector<std::uint32_t>{1});
  EXPECT_NE(m.reason.find("two-way"), std::string::npos) << m.reason;
  m = match_one(t, {"one-way", {303, 20}, std::nullopt});
  EXPECT_EQ(m.status, MatchStatus::Matched);
  EXPECT_EQ(m.link, 2);
}

TEST(MapMatching, RejectedWithTheReason) {
  const Twin t = hand_made();
  // 5 km from any road: the nearest is the end of link 2 at (300, 100).
  auto m = match_one(t, {"far", {5000, 5000}, 90.0});
  EXPECT_EQ(m.status, MatchStatus::Rejected);
  EXPECT_EQ(m.link, -1);
  EXPECT_NEAR(m.distance_m, std::hypot(4700, 4900), 1e-6);
  EXPECT_NE(m.reason.find("no road link within 50 m (the nearest is 6790 m away)"), std::string::npos) << m.reason;
  // Northbound bearing on an east-west road.
  m = match_one(t, {"crosswise", {100, 3}, 0.0});
  EXPECT_EQ(m.status, MatchStatus::Rejected);
  EXPECT_NE(m.reason.find("bearing 0 deg disagrees with every road link within 50 m"), std::string::npos) << m.reason;
  EXPECT_NE(m.reason.find("90 deg off; tolerance 45"), std::string::npos) << m.reason;
  // The distance limit is an option.
  EXPECT_EQ(match_one(t, {"60 m off", {100, 60}, 90.0}).status, MatchStatus::Rejected);
  m = match_one(t, {"60 m off", {100, 60}, 90.0}, {.max_distance_m = 100});
  EXPECT_EQ(m.status, MatchStatus::Matched);
  EXPECT_EQ(m.link, 0);
}

TEST(MapMatching, ConnectorsAreNeverMatched) {
  const Twin t = hand_made();
  // On the connector itself; the road is 30 m away.
  const auto m = match_one(t, {"on connector", {100, 30}, 90.0});
  EXPECT_EQ(m.status, MatchStatus::Matched);
  EXPECT_EQ(m.link, 0);
  EXPECT_NEAR(m.distance_m, 30, 1e-9);
}

TEST(MapMatching, ReportCountsEachStatus) {
  const Twin t = hand_made();
  const LineIndex index = LineIndex::build(t.roads.geometry);
  const MatchReport r = match_stations(t, index, {{"a", {100, 3}, 90.0}, {"b", {100, 3}, std::nullopt}, {"c", {5000, 5000}, 90.0}, {"d", {300, 0}, 0.0}});
  EXPECT_EQ(r.matched, 2u);
  EXPECT_EQ(r.ambiguous, 1u);
  EXPECT_EQ(r.rejected, 1u);
  EXPECT_EQ(r.station_links(), (std::vector<std::int64_t>{0, -1, -1, 2}));
  EXPECT_THROW(match_stations(t, index, {}, {.max_distance_m = 0}), InvalidInput);
}

// A jittered grid of two-way streets with bends (both directions drawn on
// the same polyline, as the importer does), some one-way, and connectors.
Twin random_grid(std::mt19937_64& rng) {
  Twin t;
  std::uniform_real_distribution<double> jitter(-12, 12);
  const int n = 14;
  const double block = 100;
  std::vector<Point2> node;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) node.push_back({c * block + jitter(rng), r * block + jitter(rng)});
  for (const auto& p : node) {
    t.roads.node_x.push_back(p.x);
    t.roads.node_y.push_back(p.y);
  }
  std::bernoulli_distribution one_way(0.2), connector(0.05);
  auto street = [&](std::uint32_t a, std::uint32_t b) {
    const Point2 pa = node[a], pb = node[b];
    const Point2 bend{(pa.x + pb.x) / 2 + jitter(rng) / 3, (pa.y + pb.y) / 2 + jitter(rng) / 3};
    const RoadClass cls = connector(rng) ? RoadClass::Connector : RoadClass::Residential;
    add_link(t, a, b, {pa, bend, pb}, cls);
    if (!one_way(rng)) add_link(t, b, a, {pb, bend, pa}, cls);
  };
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const auto id = static_cast<std::uint32_t>(r * n + c);
      if (c + 1 < n) street(id, id + 1);
      if (r + 1 < n) street(id, id + static_cast<std::uint32_t>(n));
    }
  return t;
}

TEST(MapMatching, RTreeAgreesWithBruteForce) {
  std::mt19937_64 rng(20261203);
  const Twin t = random_grid(rng);
  const LineIndex index = LineIndex::build(t.roads.geometry);
  std::uniform_real_distribution<double> coord(-300, 1600), angle(0, 360);
  std::bernoulli_distribution has_bearing(0.8);
  std::vector<CountStation> stations;
  for (int i = 0; i < 3000; ++i) {
    CountStation s{std::to_string(i), {coord(rng), coord(rng)}, std::nullopt};
    if (has_bearing(rng)) s.bearing_deg = angle(rng);
    stations.push_back(s);
  }
  for (const MatchOptions& o : {MatchOptions{}, MatchOptions{.max_distance_m = 20, .bearing_tolerance_deg = 30, .tie_m = 0.5}}) {
    const MatchReport fast = match_stations(t, index, stations, o);
    const MatchReport slow = match_stations_brute_force(t, stations, o);
    ASSERT_EQ(fast.stations.size(), slow.stations.size());
    for (std::size_t i = 0; i < stations.size(); ++i) {
      EXPECT_EQ(fast.stations[i].status, slow.stations[i].status) << i;
      EXPECT_EQ(fast.stations[i].link, slow.stations[i].link) << i;
      EXPECT_EQ(fast.stations[i].alternatives, slow.stations[i].alternatives) << i;
      EXPECT_NEAR(fast.stations[i].distance_m, slow.stations[i].distance_m, 1e-9) << i;
      EXPECT_EQ(fast.stations[i].reason, slow.stations[i].reason) << i;
    }
    // Every rule is exercised.
    EXPECT_GT(fast.matched, 100u);
    EXPECT_GT(fast.ambiguous, 10u);
    EXPECT_GT(fast.rejected, 100u);
  }
}

TEST(MapMatching, StationsOnLinkMidpointsWithTheirBearingFindTheirLink) {
  std::mt19937_64 rng(7);
  const Twin t = random_grid(rng);
  const LineIndex index = LineIndex::build(t.roads.geometry);
  std::vector<CountStation> stations;
  std::vector<std::uint32_t> truth;
  for (std::uint32_t l = 0; l < t.roads.link_count(); ++l) {
    if (t.roads.road_class[l] == RoadClass::Connector) continue;
    const Point2 a = t.roads.geometry.point(l, 0), b = t.roads.geometry.point(l, 1);
    // Halfway along the first segment, 2 m to the right of travel (a roadside counter).
    const double len = std::hypot(b.x - a.x, b.y - a.y);
    const Point2 p{(a.x + b.x) / 2 + 2 * (b.y - a.y) / len, (a.y + b.y) / 2 - 2 * (b.x - a.x) / len};
    double bearing = std::atan2(b.x - a.x, b.y - a.y) * 180 / M_PI;
    if (bearing < 0) bearing += 360;
    stations.push_back({"L" + std::to_string(l), p, bearing});
    truth.push_back(l);
  }
  const MatchReport r = match_stations(t, index, stations);
  EXPECT_EQ(r.matched, stations.size());
  for (std::size_t i = 0; i < stations.size(); ++i) EXPECT_EQ(r.stations[i].link, truth[i]) << stations[i].name << ": " << r.stations[i].reason;
}

}  // namespace
