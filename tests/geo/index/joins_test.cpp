// Every join against a brute-force join written independently from the
// documented rules (linear scans, no index), on a seeded random city; and
// tiny hand-made cases for each ServiceRule.
#include "geo/index/joins.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/common/parallel.hpp"
#include "tests/geo/index/random_layers.hpp"

using namespace citytwin;
using namespace citytwin::testing;

namespace {

// ------------------------------------------------------------ fixtures

void add_square(PolygonColumn& shapes, double x0, double y0, double x1, double y1) {
  shapes.begin_feature();
  shapes.add_polygon({{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}});
}

void finish_districts(Districts& d) {
  const std::size_t n = d.shape.size();
  d.name.resize(n);
  d.population.resize(n, 0);
  d.jobs.resize(n, 0);
  d.derive_area_and_centroids();
}

void add_substation(PowerGrid& g, double x, double y, double capacity, std::uint32_t bus) {
  g.substation_x.push_back(x);
  g.substation_y.push_back(y);
  g.substation_capacity_mva.push_back(capacity);
  g.substation_bus.push_back(bus);
  g.substation_name.push_back(std::string("S").append(std::to_string(g.substation_x.size())));
}

void add_bus(PowerGrid& g, double x, double y, bool energised = true) {
  g.bus_x.push_back(x);
  g.bus_y.push_back(y);
  g.bus_energised.push_back(energised ? 1 : 0);
}

// A random city over [0, 1000]^2: a jittered G x G tessellation of districts
// (one of them a donut whose hole is another district), roads reaching
// outside the districts, signals, buses, substations and chargers.
Twin random_city(Rng& rng) {
  Twin t;
  const int g = 7;
  const double cell = 1000.0 / g;
  std::vector<std::vector<Point2>> lattice(g + 1, std::vector<Point2>(g + 1));
  for (int i = 0; i <= g; ++i)
    for (int j = 0; j <= g; ++j) {
      // the border, and the donut cell (3, 3), stay straight
      const bool border = i == 0 || j == 0 || i == g || j == g || ((i == 3 || i == 4) && (j == 3 || j == 4));
      lattice[i][j] = {i * cell + (border ? 0 : rng.uniform(-0.3, 0.3) * cell),
                       j * cell + (border ? 0 : rng.uniform(-0.3, 0.3) * cell)};
    }
  for (int i = 0; i < g; ++i)
    for (int j = 0; j < g; ++j) {
      t.districts.shape.begin_feature();
      std::vector<std::vector<Point2>> rings{{lattice[i][j], lattice[i + 1][j], lattice[i + 1][j + 1], lattice[i][j + 1]}};
      if (i == 3 && j == 3) {  // the donut: its hole is the island district below
        const Point2 c{(lattice[3][3].x + lattice[4][4].x) / 2, (lattice[3][3].y + lattice[4][4].y) / 2};
        rings.push_back({{c.x - 20, c.y - 20}, {c.x - 20, c.y + 20}, {c.x + 20, c.y + 20}, {c.x + 20, c.y - 20}});
      }
      t.districts.shape.add_polygon(rings);
    }
  {
    const Point2 c{(lattice[3][3].x + lattice[4][4].x) / 2, (lattice[3][3].y + lattice[4][4].y) / 2};
    add_square(t.districts.shape, c.x - 20, c.y - 20, c.x + 20, c.y + 20);
  }
  finish_districts(t.districts);
  for (std::size_t d = 0; d < t.districts.size(); ++d) {
    t.districts.population[d] = rng.uniform(0, 5000);
    t.districts.jobs[d] = rng.uniform(0, 3000);
  }

  t.roads.geometry = random_polylines(rng, 1500, 1000, 60);
  // a few roads far outside every district, one empty polyline
  for (int k = 0; k < 5; ++k) {
    const std::vector<Point2> far{{2000.0 + k, 2000}, {2010.0 + k, 2005}};
    t.roads.geometry.add(far);
  }
  t.roads.geometry.add(std::vector<Point2>{});
  t.roads.link_from.assign(t.roads.geometry.size(), 0);
  t.roads.link_to.assign(t.roads.geometry.size(), 0);
  for (auto p : random_points(rng, 800, -50, 1050)) {
    t.roads.node_x.push_back(p.x);
    t.roads.node_y.push_back(p.y);
    t.roads.node_signal.push_back(rng.chance(0.2) ? 1 : 0);
  }
  for (std::uint32_t z = 0; z < 30; ++z) t.roads.zone_node.push_back(z * 7);

  for (auto p : random_points(rng, 120, 0, 1000)) add_bus(t.grid, p.x, p.y, rng.chance(0.8));
  for (auto p : random_points(rng, 12, 0, 1000))
    add_substation(t.grid, p.x, p.y, rng.uniform(0, 1) < 0.1 ? 0.0 : rng.uniform(10, 100),
                   static_cast<std::uint32_t>(rng.integer(0, 119)));
  for (auto p : random_points(rng, 90, -100, 1100)) {
    t.chargers.x.push_back(p.x);
    t.chargers.y.push_back(p.y);
  }
  return t;
}

// ------------------------------------------------------------ brute-force oracle

double sq(double v) { return v * v; }

Point2 oracle_midpoint(const LineColumn& lines, std::size_t i) {
  const std::size_t n = lines.points(i);
  std::vector<double> cum{0};
  for (std::size_t k = 1; k < n; ++k)
    cum.push_back(cum.back() + std::hypot(lines.point(i, k).x - lines.point(i, k - 1).x,
                                          lines.point(i, k).y - lines.point(i, k - 1).y));
  const double half = cum.back() / 2;
  for (std::size_t k = 1; k < n; ++k)
    if (cum[k] >= half && cum[k] > cum[k - 1]) {
      const double t = (half - cum[k - 1]) / (cum[k] - cum[k - 1]);
      const Point2 a = lines.point(i, k - 1), b = lines.point(i, k);
      return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
    }
  return lines.point(i, 0);
}

std::vector<std::int32_t> oracle_link_district(const Twin& t) {
  std::vector<std::int32_t> out(t.roads.geometry.size(), -1);
  for (std::size_t l = 0; l < out.size(); ++l) {
    if (t.roads.geometry.points(l) == 0) continue;
    const Point2 m = oracle_midpoint(t.roads.geometry, l);
    for (std::size_t d = 0; d < t.districts.size(); ++d)
      if (t.districts.shape.contains(d, m)) {
        out[l] = static_cast<std::int32_t>(d);
        break;
      }
  }
  return out;
}

// Nearest of `candidates` (ascending ids) by squared distance, lower id on ties.
template <class Accept>
std::int64_t oracle_nearest(const std::vector<double>& xs, const std::vector<double>& ys, Point2 p, Accept accept) {
  std::int64_t best = -1;
  double best_d2 = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!accept(i)) continue;
    const double d2 = sq(xs[i] - p.x) + sq(ys[i] - p.y);
    if (best < 0 || d2 < best_d2) {
      best = static_cast<std::int64_t>(i);
      best_d2 = d2;
    }
  }
  return best;
}

using Row = std::map<std::uint32_t, double>;

std::vector<Row> oracle_service(const Twin& t, ServiceRule rule, std::uint32_t samples) {
  const auto& g = t.grid;
  const auto& ds = t.districts;
  auto any = [](std::size_t) { return true; };
  std::vector<Row> rows(ds.size());
  for (std::size_t d = 0; d < ds.size(); ++d) {
    const Point2 c{ds.centroid_x[d], ds.centroid_y[d]};
    const auto nearest = oracle_nearest(g.substation_x, g.substation_y, c, any);
    if (nearest < 0) continue;
    if (rule == ServiceRule::Nearest) {
      rows[d][static_cast<std::uint32_t>(nearest)] = 1.0;
      continue;
    }
    // the documented sample grid, with PolygonColumn::contains
    const Box2 b = ds.shape.bounds(d);
    const double w = b.max_x - b.min_x, h = b.max_y - b.min_y;
    const double n = samples;
    const double s = std::sqrt(w * h / n);
    const auto nx = static_cast<std::size_t>(std::min(std::max(std::ceil(w / s), 1.0), n));
    const auto ny = static_cast<std::size_t>(std::min(std::max(std::ceil(h / s), 1.0), n));
    std::map<std::uint32_t, std::size_t> counts;
    std::size_t total = 0;
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const Point2 p{b.min_x + (static_cast<double>(i) + 0.5) * w / static_cast<double>(nx),
                       b.min_y + (static_cast<double>(j) + 0.5) * h / static_cast<double>(ny)};
        if (!ds.shape.contains(d, p)) continue;
        ++counts[static_cast<std::uint32_t>(oracle_nearest(g.substation_x, g.substation_y, p, any))];
        ++total;
      }
    if (total == 0) {
      rows[d][static_cast<std::uint32_t>(nearest)] = 1.0;
      continue;
    }
    for (auto [sub, k] : counts) rows[d][sub] = static_cast<double>(k) / static_cast<double>(total);
  }
  if (rule == ServiceRule::CapacityAware) {
    std::vector<double> burden(g.substation_x.size(), 0);
    for (std::size_t d = 0; d < ds.size(); ++d)
      for (auto [sub, v] : rows[d]) burden[sub] += v * (ds.population[d] + ds.jobs[d]);
    for (std::size_t d = 0; d < ds.size(); ++d) {
      double sum = 0;
      for (auto [sub, v] : rows[d]) sum += v * g.substation_capacity_mva[sub] / (1 + burden[sub]);
      if (sum <= 0) continue;
      for (auto& [sub, v] : rows[d]) v = v * g.substation_capacity_mva[sub] / (1 + burden[sub]) / sum;
    }
  }
  return rows;
}

Row row_of(const CrossLinks& links, std::size_t d) {
  Row r;
  for (auto k = links.district_sub_offsets[d]; k < links.district_sub_offsets[d + 1]; ++k)
    r[links.district_sub[k]] = links.district_sub_share[k];
  return r;
}

double row_sum(const Row& r) {
  double s = 0;
  for (auto [sub, v] : r) s += v;
  return s;
}

}  // namespace

// ------------------------------------------------------------ random city vs brute force

TEST(Joins, LinkDistrictsMatchBruteForce) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  const Twin t = random_city(rng);
  const auto index = TwinIndex::build(t);
  CrossLinks links;
  JoinReport report;
  join_link_districts(t, index, links, report);
  const auto want = oracle_link_district(t);
  EXPECT_EQ(links.link_district, want);
  EXPECT_EQ(report.links_outside_districts, static_cast<std::size_t>(std::count(want.begin(), want.end(), -1)));
  EXPECT_GE(report.links_outside_districts, 6u);  // the far roads and the empty one
}

class ServiceRules : public ::testing::TestWithParam<ServiceRule> {};

TEST_P(ServiceRules, DistrictSubstationsMatchBruteForce) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  const Twin t = random_city(rng);
  const auto index = TwinIndex::build(t);
  JoinOptions opt;
  opt.service_rule = GetParam();
  opt.voronoi_samples = 1024;
  CrossLinks links;
  JoinReport report;
  join_district_substations(t, index, opt, links, report);
  ASSERT_EQ(links.district_sub_offsets.size(), t.districts.size() + 1);
  EXPECT_EQ(links.service_rule, GetParam());
  const auto want = oracle_service(t, GetParam(), opt.voronoi_samples);
  for (std::size_t d = 0; d < t.districts.size(); ++d) {
    const Row got = row_of(links, d);
    ASSERT_EQ(got.size(), want[d].size()) << "district " << d;
    for (auto [sub, v] : want[d]) {
      ASSERT_TRUE(got.count(sub)) << "district " << d << " substation " << sub;
      EXPECT_NEAR(got.at(sub), v, 1e-12) << "district " << d << " substation " << sub;
    }
    EXPECT_NEAR(row_sum(got), 1.0, 1e-12) << "district " << d;
    // entries in ascending substation id
    EXPECT_TRUE(std::is_sorted(links.district_sub.begin() + links.district_sub_offsets[d],
                               links.district_sub.begin() + links.district_sub_offsets[d + 1]));
  }
  EXPECT_EQ(report.districts_unserved, 0u);
  if (GetParam() != ServiceRule::Nearest) {  // the random city does split districts
    EXPECT_GT(links.district_sub.size(), t.districts.size());
  }
}

INSTANTIATE_TEST_SUITE_P(AllRules, ServiceRules,
                         ::testing::Values(ServiceRule::Nearest, ServiceRule::Voronoi, ServiceRule::CapacityAware),
                         [](const auto& rule) {
                           std::string n = service_rule_name(rule.param);
                           n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                           return n;
                         });

TEST(Joins, SignalsAndChargersMatchBruteForce) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  const Twin t = random_city(rng);
  const auto index = TwinIndex::build(t);
  JoinOptions opt;
  opt.max_match_distance_m = 150;
  CrossLinks links;
  JoinReport report;
  join_signal_buses(t, index, opt, links, report);
  join_chargers(t, index, opt, links, report);

  const auto& g = t.grid;
  auto energised = [&](std::size_t b) { return g.bus_energised[b] != 0; };
  auto fed = [&](std::size_t s) { return energised(g.substation_bus[s]); };
  ASSERT_EQ(links.signal_node, t.roads.signals());
  std::size_t unmatched = 0;
  for (std::size_t i = 0; i < links.signal_node.size(); ++i) {
    const Point2 p{t.roads.node_x[links.signal_node[i]], t.roads.node_y[links.signal_node[i]]};
    const auto s = oracle_nearest(g.substation_x, g.substation_y, p, fed);
    ASSERT_GE(s, 0);
    const bool near = std::hypot(g.substation_x[s] - p.x, g.substation_y[s] - p.y) <= opt.max_match_distance_m;
    EXPECT_EQ(links.signal_bus[i], near ? g.substation_bus[s] : kNoMatch) << "signal " << i;
    unmatched += !near;
  }
  EXPECT_EQ(report.signals_unmatched, unmatched);

  std::vector<std::uint8_t> centroid(t.roads.node_count(), 0);
  for (auto z : t.roads.zone_node) centroid[z] = 1;
  std::size_t no_bus = 0, no_node = 0;
  for (std::size_t i = 0; i < t.chargers.size(); ++i) {
    const Point2 p{t.chargers.x[i], t.chargers.y[i]};
    const auto b = oracle_nearest(g.bus_x, g.bus_y, p, energised);
    const bool bus_near = std::hypot(g.bus_x[b] - p.x, g.bus_y[b] - p.y) <= opt.max_match_distance_m;
    EXPECT_EQ(links.charger_bus[i], bus_near ? static_cast<std::uint32_t>(b) : kNoMatch) << "charger " << i;
    no_bus += !bus_near;
    const auto v = oracle_nearest(t.roads.node_x, t.roads.node_y, p, [&](std::size_t k) { return !centroid[k]; });
    const bool node_near = std::hypot(t.roads.node_x[v] - p.x, t.roads.node_y[v] - p.y) <= opt.max_match_distance_m;
    EXPECT_EQ(links.charger_node[i], node_near ? static_cast<std::uint32_t>(v) : kNoMatch) << "charger " << i;
    no_node += !node_near;
  }
  EXPECT_EQ(report.chargers_without_bus, no_bus);
  EXPECT_EQ(report.chargers_without_node, no_node);
  EXPECT_GT(no_bus + no_node, 0u);  // the chargers outside the city reach nothing within 150 m
}

TEST(Joins, ComputeCrossLinksIsDeterministicAcrossThreadCountsAndReports) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  Twin a = random_city(rng);
  Twin b = a;
  JoinOptions opt;
  opt.service_rule = ServiceRule::CapacityAware;
  opt.max_match_distance_m = 150;
  JoinReport ra, rb;
  {
    ThreadLimit one(1);
    ra = compute_cross_links(a, opt);
  }
  {
    ThreadLimit two(2);
    rb = compute_cross_links(b, opt);
  }
  EXPECT_EQ(a.links, b.links);
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(a.links.link_district.size(), a.roads.link_count());
  EXPECT_GT(ra.unmatched(), 0u);
  bool links_entry = false;
  for (const auto& e : a.report.entries) {
    EXPECT_EQ(e.layer, "joins");
    if (e.count == static_cast<std::int64_t>(ra.links_outside_districts) && e.reason.find("link_district") != std::string::npos)
      links_entry = true;
  }
  EXPECT_TRUE(links_entry);
}

// ------------------------------------------------------------ hand-made cases

// One 100 x 100 district between two substations on the line y = 50.
//
//    S0 *     +--------+     * S1
//             |   D0   |
//             +--------+
Twin two_substation_city(double s0_x, double s1_x, double cap0 = 10, double cap1 = 10) {
  Twin t;
  add_square(t.districts.shape, 0, 0, 100, 100);
  finish_districts(t.districts);
  add_bus(t.grid, s0_x, 50);
  add_bus(t.grid, s1_x, 50);
  add_substation(t.grid, s0_x, 50, cap0, 0);
  add_substation(t.grid, s1_x, 50, cap1, 1);
  return t;
}

CrossLinks serve(const Twin& t, ServiceRule rule, JoinReport& report, std::uint32_t samples = 4096) {
  const auto index = TwinIndex::build(t);
  JoinOptions opt;
  opt.service_rule = rule;
  opt.voronoi_samples = samples;
  CrossLinks links;
  join_district_substations(t, index, opt, links, report);
  return links;
}

TEST(ServiceRuleCases, NearestGivesTheWholeDistrictToTheClosestSubstation) {
  JoinReport rep;
  const auto links = serve(two_substation_city(-30, 140), ServiceRule::Nearest, rep);
  EXPECT_EQ(row_of(links, 0), (Row{{0u, 1.0}}));
}

TEST(ServiceRuleCases, NearestTieGoesToTheLowerId) {
  JoinReport rep;
  const auto links = serve(two_substation_city(-50, 150), ServiceRule::Nearest, rep);
  EXPECT_EQ(row_of(links, 0), (Row{{0u, 1.0}}));
}

TEST(ServiceRuleCases, VoronoiSplitsASymmetricDistrictInHalves) {
  JoinReport rep;
  const auto links = serve(two_substation_city(-50, 150), ServiceRule::Voronoi, rep);
  const Row r = row_of(links, 0);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r.at(0), 0.5, 0.02);
  EXPECT_NEAR(r.at(1), 0.5, 0.02);
  EXPECT_NEAR(row_sum(r), 1.0, 1e-12);
}

TEST(ServiceRuleCases, VoronoiFollowsTheBisector) {
  // Substations at x = -25 and x = 75: the bisector x = 25 gives a quarter to S0.
  JoinReport rep;
  const Row r = row_of(serve(two_substation_city(-25, 75), ServiceRule::Voronoi, rep), 0);
  EXPECT_NEAR(r.at(0), 0.25, 0.02);
  EXPECT_NEAR(r.at(1), 0.75, 0.02);
}

TEST(ServiceRuleCases, VoronoiShareOfAFarSubstationIsZero) {
  Twin t = two_substation_city(-50, 150);
  add_bus(t.grid, 5000, 5000);
  add_substation(t.grid, 5000, 5000, 10, 2);
  JoinReport rep;
  const Row r = row_of(serve(t, ServiceRule::Voronoi, rep), 0);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.count(2), 0u);
}

TEST(ServiceRuleCases, CapacityAwareWeighsSharesByHeadroom) {
  // Equal Voronoi halves; S0 has twice S1's capacity and no demand is
  // assigned yet (population = jobs = 0): shares 2/3 and 1/3.
  JoinReport rep;
  const Row r = row_of(serve(two_substation_city(-50, 150, 100, 50), ServiceRule::CapacityAware, rep), 0);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r.at(0), 2.0 / 3.0, 0.02);
  EXPECT_NEAR(r.at(1), 1.0 / 3.0, 0.02);
  EXPECT_NEAR(row_sum(r), 1.0, 1e-12);
  EXPECT_EQ(rep.districts_capacity_fallback, 0u);
}

TEST(ServiceRuleCases, CapacityAwareAccountsForOtherDistrictsDemand) {
  // A second, populous district served only by S1 uses up S1's headroom, so
  // the shared district leans towards S0 even though capacities are equal.
  Twin t = two_substation_city(-50, 150);
  add_square(t.districts.shape, 200, 0, 300, 100);
  finish_districts(t.districts);
  t.districts.population[1] = 9999;
  JoinReport rep;
  const auto links = serve(t, ServiceRule::CapacityAware, rep);
  const Row r0 = row_of(links, 0);
  EXPECT_GT(r0.at(0), 0.9);
  EXPECT_NEAR(row_sum(r0), 1.0, 1e-12);
  EXPECT_EQ(row_of(links, 1), (Row{{1u, 1.0}}));
}

TEST(ServiceRuleCases, CapacityAwareWithoutCapacityKeepsVoronoiAndCounts) {
  JoinReport rep;
  const Row r = row_of(serve(two_substation_city(-50, 150, 0, 0), ServiceRule::CapacityAware, rep), 0);
  EXPECT_NEAR(r.at(0), 0.5, 0.02);
  EXPECT_EQ(rep.districts_capacity_fallback, 1u);
}

TEST(ServiceRuleCases, DistrictWithNoSampleInsideFallsBackToNearest) {
  // A donut sampled at a single point (the box centre) finds only its hole.
  Twin t;
  t.districts.shape.begin_feature();
  t.districts.shape.add_polygon({{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {{30, 30}, {70, 30}, {70, 70}, {30, 70}}});
  finish_districts(t.districts);
  add_bus(t.grid, 0, 0);
  add_substation(t.grid, 500, 50, 10, 0);
  add_substation(t.grid, 60, 300, 10, 0);
  EXPECT_TRUE(district_sample_points(t.districts.shape, 0, 1).empty());
  JoinReport rep;
  EXPECT_EQ(row_of(serve(t, ServiceRule::Voronoi, rep, 1), 0), (Row{{1u, 1.0}}));
  EXPECT_EQ(rep.districts_sampling_fallback, 1u);
}

TEST(ServiceRuleCases, NoSubstationsLeavesDistrictsUnservedAndCounted) {
  Twin t;
  add_square(t.districts.shape, 0, 0, 10, 10);
  add_square(t.districts.shape, 10, 0, 20, 10);
  finish_districts(t.districts);
  for (ServiceRule rule : {ServiceRule::Nearest, ServiceRule::Voronoi, ServiceRule::CapacityAware}) {
    JoinReport rep;
    const auto links = serve(t, rule, rep);
    EXPECT_EQ(links.district_sub_offsets, (std::vector<std::uint32_t>{0, 0, 0}));
    EXPECT_EQ(rep.districts_unserved, 2u);
  }
}

TEST(JoinCases, LinkMidpointDecidesAndHolesBelongToTheIsland) {
  // District 0 is a donut around district 1. A link whose midpoint lies in
  // the hole belongs to 1; a link that starts in 0 but is mostly in 1 too.
  Twin t;
  t.districts.shape.begin_feature();
  t.districts.shape.add_polygon({{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {{30, 30}, {70, 30}, {70, 70}, {30, 70}}});
  add_square(t.districts.shape, 30, 30, 70, 70);
  finish_districts(t.districts);
  const std::vector<Point2> l0{{40, 50}, {60, 50}}, l1{{10, 50}, {60, 50}, {60, 60}}, l2{{10, 10}, {20, 10}},
      l3{{200, 200}, {300, 200}};
  for (const auto* l : {&l0, &l1, &l2, &l3}) t.roads.geometry.add(*l);
  t.roads.link_from.assign(4, 0);
  t.roads.link_to.assign(4, 0);
  const auto index = TwinIndex::build(t);
  CrossLinks links;
  JoinReport rep;
  join_link_districts(t, index, links, rep);
  EXPECT_EQ(links.link_district, (std::vector<std::int32_t>{1, 1, 0, -1}));
  EXPECT_EQ(rep.links_outside_districts, 1u);
}

TEST(JoinCases, SignalUsesNearestFedSubstationElseNearestEnergisedBus) {
  Twin t;
  t.roads.node_x = {0, 100};
  t.roads.node_y = {0, 0};
  t.roads.node_signal = {1, 1};
  add_bus(t.grid, 1, 0, /*energised=*/false);  // bus 0, de-energised
  add_bus(t.grid, 90, 0);                      // bus 1
  add_bus(t.grid, 500, 0);                     // bus 2
  add_substation(t.grid, 2, 0, 10, 0);         // fed by the de-energised bus: skipped
  add_substation(t.grid, 400, 0, 10, 2);
  JoinOptions opt;
  {
    const auto index = TwinIndex::build(t);
    CrossLinks links;
    JoinReport rep;
    join_signal_buses(t, index, opt, links, rep);
    EXPECT_EQ(links.signal_node, (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(links.signal_bus, (std::vector<std::uint32_t>{2, 2}));
  }
  // Without substations: the nearest energised bus.
  t.grid.substation_x.clear();
  t.grid.substation_y.clear();
  t.grid.substation_bus.clear();
  t.grid.substation_capacity_mva.clear();
  t.grid.substation_name.clear();
  {
    const auto index = TwinIndex::build(t);
    CrossLinks links;
    JoinReport rep;
    join_signal_buses(t, index, opt, links, rep);
    EXPECT_EQ(links.signal_bus, (std::vector<std::uint32_t>{1, 1}));
    opt.max_match_distance_m = 50;
    join_signal_buses(t, index, opt, links, rep);
    EXPECT_EQ(links.signal_bus, (std::vector<std::uint32_t>{kNoMatch, 1}));
    EXPECT_EQ(rep.signals_unmatched, 1u);
  }
}

TEST(JoinCases, ChargerSkipsZoneCentroidsAndDeEnergisedBuses) {
  Twin t;
  t.roads.node_x = {0, 10, 50};
  t.roads.node_y = {0, 0, 0};
  t.roads.node_signal = {0, 0, 0};
  t.roads.zone_node = {0};
  add_bus(t.grid, 1, 1, false);
  add_bus(t.grid, 30, 0);
  t.chargers.x = {1};
  t.chargers.y = {0};
  const auto index = TwinIndex::build(t);
  CrossLinks links;
  JoinReport rep;
  join_chargers(t, index, {}, links, rep);
  EXPECT_EQ(links.charger_node, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(links.charger_bus, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(rep.unmatched(), 0u);
}
