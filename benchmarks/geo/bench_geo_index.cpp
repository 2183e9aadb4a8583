// R-tree bulk build and queries against brute-force scans (the peer in the
// same run), at 10k / 100k / 1M items, and the cross-layer joins on a random
// city. Data: uniform random features at constant density (about one
// feature per 50 m x 50 m), so query selectivity is the same at every size.
//
//   build-geo/benchmarks/geo/bench_geo_index --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <random>
#include <vector>

#include "core/common/parallel.hpp"
#include "core/model/twin.hpp"
#include "geo/index/joins.hpp"
#include "geo/index/spatial_index.hpp"

using namespace citytwin;

namespace {

constexpr double kSpacing = 50.0;  // metres per feature, along each axis
double extent_for(std::size_t n) { return std::sqrt(static_cast<double>(n)) * kSpacing; }

struct Points {
  std::vector<double> x, y;
};

// Data sets are generated once per size and kept for the whole run.
const Points& points(std::size_t n) {
  static std::map<std::size_t, Points> cache;
  auto [it, fresh] = cache.try_emplace(n);
  if (fresh) {
    std::mt19937_64 gen(n);
    std::uniform_real_distribution<double> u(0, extent_for(n));
    for (std::size_t i = 0; i < n; ++i) {
      it->second.x.push_back(u(gen));
      it->second.y.push_back(u(gen));
    }
  }
  return it->second;
}

// Road-link-like polylines: 2..5 vertices, 10..60 m steps.
const LineColumn& lines(std::size_t n) {
  static std::map<std::size_t, LineColumn> cache;
  auto [it, fresh] = cache.try_emplace(n);
  if (fresh) {
    std::mt19937_64 gen(n + 1);
    std::uniform_real_distribution<double> u(0, extent_for(n)), step(-60, 60);
    std::uniform_int_distribution<int> count(2, 5);
    std::vector<Point2> line;
    for (std::size_t i = 0; i < n; ++i) {
      line.clear();
      Point2 p{u(gen), u(gen)};
      for (int k = count(gen); k > 0; --k) {
        line.push_back(p);
        p.x += step(gen);
        p.y += step(gen);
      }
      it->second.add(line);
    }
  }
  return it->second;
}

// Non-overlapping 12-gons, one per 50 m cell (district-like shapes, scaled down).
const PolygonColumn& polygons(std::size_t n) {
  static std::map<std::size_t, PolygonColumn> cache;
  auto [it, fresh] = cache.try_emplace(n);
  if (fresh) {
    std::mt19937_64 gen(n + 2);
    std::uniform_real_distribution<double> r(10, 24);
    const auto side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    for (std::size_t i = 0; i < n; ++i) {
      const Point2 c{(static_cast<double>(i % side) + 0.5) * kSpacing, (static_cast<double>(i / side) + 0.5) * kSpacing};
      std::vector<Point2> ring;
      for (int k = 0; k < 12; ++k) {
        const double a = 2 * std::numbers::pi * k / 12, rr = r(gen);
        ring.push_back({c.x + rr * std::cos(a), c.y + rr * std::sin(a)});
      }
      it->second.begin_feature();
      it->second.add_polygon({ring});
    }
  }
  return it->second;
}

std::vector<Point2> queries(std::size_t n) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0, extent_for(n));
  std::vector<Point2> q(4096);
  for (auto& p : q) p = {u(gen), u(gen)};
  return q;
}

constexpr double kBoxSide = 500;  // ~100 features per box query

void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {10'000L, 100'000L, 1'000'000L}) b->Arg(n);
}
void sizes_threads(benchmark::internal::Benchmark* b) {
  for (long n : {10'000L, 100'000L, 1'000'000L})
    for (long t : {1L, 2L}) b->Args({n, t});
}

// ------------------------------------------------------------ build

void BM_PointBuild(benchmark::State& state) {
  const auto& p = points(static_cast<std::size_t>(state.range(0)));
  ThreadLimit threads(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(PointIndex::build(p.x, p.y));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PointBuild)->Apply(sizes_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LineBuild(benchmark::State& state) {
  const auto& l = lines(static_cast<std::size_t>(state.range(0)));
  ThreadLimit threads(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(LineIndex::build(l));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LineBuild)->Apply(sizes_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PolygonBuild(benchmark::State& state) {
  const auto& g = polygons(static_cast<std::size_t>(state.range(0)));
  ThreadLimit threads(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(PolygonIndex::build(g));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PolygonBuild)->Apply(sizes_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

// ------------------------------------------------------------ point queries

void BM_PointNearest5_RTree(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& p = points(n);
  const auto index = PointIndex::build(p.x, p.y);
  const auto q = queries(n);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index.nearest(q[i++ % q.size()], 5));
}
BENCHMARK(BM_PointNearest5_RTree)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_PointNearest5_Brute(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& p = points(n);
  const auto q = queries(n);
  std::size_t i = 0;
  std::vector<IndexHit> all(n);
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    for (std::uint32_t k = 0; k < n; ++k) all[k] = {k, std::hypot(p.x[k] - c.x, p.y[k] - c.y)};
    std::partial_sort(all.begin(), all.begin() + 5, all.end(), [](const IndexHit& a, const IndexHit& b) {
      return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.id < b.id;
    });
    benchmark::DoNotOptimize(all.data());
  }
}
BENCHMARK(BM_PointNearest5_Brute)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_PointInBox_RTree(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& p = points(n);
  const auto index = PointIndex::build(p.x, p.y);
  const auto q = queries(n);
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    found += index.in_box({c.x, c.y, c.x + kBoxSide, c.y + kBoxSide}).size();
  }
  state.counters["hits/query"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PointInBox_RTree)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_PointInBox_Brute(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& p = points(n);
  const auto q = queries(n);
  std::size_t i = 0;
  std::vector<std::uint32_t> out;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    out.clear();
    for (std::uint32_t k = 0; k < n; ++k)
      if (p.x[k] >= c.x && p.x[k] <= c.x + kBoxSide && p.y[k] >= c.y && p.y[k] <= c.y + kBoxSide) out.push_back(k);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_PointInBox_Brute)->Apply(sizes)->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------ polyline queries

void BM_LineNearest1_RTree(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& l = lines(n);
  const auto index = LineIndex::build(l);
  const auto q = queries(n);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index.nearest(q[i++ % q.size()], 1));
}
BENCHMARK(BM_LineNearest1_RTree)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_LineNearest1_Brute(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& l = lines(n);
  const auto q = queries(n);
  std::size_t i = 0;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    IndexHit best{0, std::numeric_limits<double>::infinity()};
    for (std::uint32_t k = 0; k < n; ++k) {
      const double d = point_polyline_distance(l, k, c);
      if (d < best.distance_m) best = {k, d};
    }
    benchmark::DoNotOptimize(best);
  }
}
BENCHMARK(BM_LineNearest1_Brute)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_LineInBox_RTree(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& l = lines(n);
  const auto index = LineIndex::build(l);
  const auto q = queries(n);
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    found += index.in_box({c.x, c.y, c.x + kBoxSide, c.y + kBoxSide}).size();
  }
  state.counters["hits/query"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LineInBox_RTree)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_LineInBox_Brute(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& l = lines(n);
  const auto q = queries(n);
  std::size_t i = 0;
  std::vector<std::uint32_t> out;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    const Box2 b{c.x, c.y, c.x + kBoxSide, c.y + kBoxSide};
    out.clear();
    for (std::uint32_t k = 0; k < n; ++k)
      if (polyline_intersects_box(l, k, b)) out.push_back(k);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_LineInBox_Brute)->Apply(sizes)->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------ polygon queries

void BM_PolygonContaining_RTree(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& g = polygons(n);
  const auto index = PolygonIndex::build(g);
  const auto q = queries(n);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index.containing(q[i++ % q.size()]));
}
BENCHMARK(BM_PolygonContaining_RTree)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_PolygonContaining_Brute(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& g = polygons(n);
  const auto q = queries(n);
  std::size_t i = 0;
  std::vector<std::uint32_t> out;
  for (auto _ : state) {
    const Point2 c = q[i++ % q.size()];
    out.clear();
    for (std::uint32_t k = 0; k < n; ++k)
      if (g.contains(k, c)) out.push_back(k);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_PolygonContaining_Brute)->Apply(sizes)->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------ joins on a random city

// n road links; districts are a grid of 500 m squares over the extent (so
// ~100 links each); one substation per ~4 km^2; buses, nodes, 2% signals.
Twin random_city(std::size_t n) {
  Twin t;
  t.roads.geometry = lines(n);
  t.roads.link_from.assign(n, 0);
  t.roads.link_to.assign(n, 0);
  const double extent = extent_for(n);
  std::mt19937_64 gen(n + 3);
  std::uniform_real_distribution<double> u(0, extent);
  const std::size_t nodes = n / 2;
  for (std::size_t i = 0; i < nodes; ++i) {
    t.roads.node_x.push_back(u(gen));
    t.roads.node_y.push_back(u(gen));
    t.roads.node_signal.push_back(i % 50 == 0 ? 1 : 0);
  }
  const double cell = 500;
  const auto side = static_cast<std::size_t>(std::ceil(extent / cell));
  for (std::size_t i = 0; i < side; ++i)
    for (std::size_t j = 0; j < side; ++j) {
      const double x0 = i * cell, y0 = j * cell;
      t.districts.shape.begin_feature();
      t.districts.shape.add_polygon({{{x0, y0}, {x0 + cell, y0}, {x0 + cell, y0 + cell}, {x0, y0 + cell}}});
      t.districts.population.push_back(1000);
      t.districts.jobs.push_back(500);
      t.districts.name.push_back("d");
    }
  const std::size_t subs = std::max<std::size_t>(2, static_cast<std::size_t>(extent * extent / 4e6));
  for (std::size_t s = 0; s < subs * 10; ++s) {
    t.grid.bus_x.push_back(u(gen));
    t.grid.bus_y.push_back(u(gen));
    t.grid.bus_energised.push_back(1);
  }
  for (std::size_t s = 0; s < subs; ++s) {
    t.grid.substation_x.push_back(t.grid.bus_x[s]);
    t.grid.substation_y.push_back(t.grid.bus_y[s]);
    t.grid.substation_bus.push_back(static_cast<std::uint32_t>(s));
    t.grid.substation_capacity_mva.push_back(40);
  }
  for (std::size_t c = 0; c < n / 1000; ++c) {
    t.chargers.x.push_back(u(gen));
    t.chargers.y.push_back(u(gen));
  }
  return t;
}

void BM_TwinIndexBuild(benchmark::State& state) {
  const Twin t = random_city(static_cast<std::size_t>(state.range(0)));
  ThreadLimit threads(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(TwinIndex::build(t));
}
BENCHMARK(BM_TwinIndexBuild)->Apply(sizes_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CrossLinks(benchmark::State& state) {
  const Twin t = random_city(static_cast<std::size_t>(state.range(0)));
  ThreadLimit threads(static_cast<unsigned>(state.range(1)));
  const auto index = TwinIndex::build(t);
  JoinOptions opt;
  opt.service_rule = ServiceRule::CapacityAware;
  for (auto _ : state) {
    CrossLinks links;
    benchmark::DoNotOptimize(compute_cross_links(t, index, opt, links));
  }
  state.counters["districts"] = static_cast<double>(t.districts.size());
}
BENCHMARK(BM_CrossLinks)->Apply(sizes_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
