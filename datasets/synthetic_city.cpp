#include "datasets/synthetic_city.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace citytwin::datasets {

namespace {

// Origin of the city in UTM 33N (a fictional city on the North German plain).
constexpr double kOriginE = 380000, kOriginN = 5800000;

enum Cls : int { Residential = 0, Secondary = 1, Primary = 2, Trunk = 3, None = -1 };
const char* cls_name(int c) {
  switch (c) {
    case Secondary: return "secondary";
    case Primary: return "primary";
    case Trunk: return "trunk";
    default: return "residential";
  }
}

struct Edge {
  int cls = None;
  int oneway = 0;  // +1: in increasing index direction only, -1 the other way
};

class Generator {
 public:
  explicit Generator(const SyntheticOptions& o) : opt_(o), rng_(o.seed) {
    // A two-way grid of n x n nodes has about 4 n^2 directed links; one-way
    // rows and dropped streets leave about 84 % of them (measured).
    n_ = std::max<int>(12, static_cast<int>(std::lround(std::sqrt(static_cast<double>(o.target_links) / (4.0 * 0.84)))));
    c_ = n_ / 2;
    std::uniform_real_distribution<double> jitter(-0.1 * o.block_m, 0.1 * o.block_m);
    pos_.resize(static_cast<std::size_t>(n_) * n_);
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < n_; ++i) pos_[id(i, j)] = {kOriginE + i * o.block_m + jitter(rng_), kOriginN + j * o.block_m + jitter(rng_)};
  }

  SyntheticCity run() {
    SyntheticCity city;
    streets(city);
    diagonals_and_rings(city);
    signals_and_chargers(city);
    districts(city);
    grid(city);
    return city;
  }

 private:
  std::size_t id(int i, int j) const { return static_cast<std::size_t>(j) * n_ + i; }
  int line_class(int k) const {
    if (k == c_) return Primary;
    if ((k - c_) % 8 == 0) return Secondary;
    return Residential;
  }
  double extent() const { return (n_ - 1) * opt_.block_m; }
  Point2 centre() const { return {kOriginE + extent() / 2, kOriginN + extent() / 2}; }

  // A gently bent copy of segment a-b: the midpoint moves sideways a few metres,
  // so links carry a drawn polyline, not just their end nodes.
  void append_bent(std::vector<Point2>& line, Point2 a, Point2 b) {
    std::uniform_real_distribution<double> bend(-0.03, 0.03);
    const double dx = b.x - a.x, dy = b.y - a.y, t = bend(rng_);
    if (line.empty()) line.push_back(a);
    line.push_back({(a.x + b.x) / 2 - dy * t, (a.y + b.y) / 2 + dx * t});
    line.push_back(b);
  }

  void emit(SyntheticCity& city, const std::vector<std::size_t>& nodes, int cls, int oneway) {
    SynthRoad r;
    for (std::size_t k = 0; k + 1 < nodes.size(); ++k) append_bent(r.line, pos_[nodes[k]], pos_[nodes[k + 1]]);
    r.fclass = cls_name(cls);
    switch (cls) {
      case Trunk: r.lanes_total = 4; r.speed_mph = 50; r.capacity_vph = 3600; break;
      case Primary: r.lanes_total = 4; r.speed_mph = 35; r.capacity_vph = 1800; break;
      case Secondary: r.lanes_total = 2; r.speed_mph = 30; r.capacity_vph = 900; break;
      default: r.lanes_total = 2; r.speed_mph = 20; r.capacity_vph = 600; break;
    }
    r.oneway = oneway > 0 ? "FT" : oneway < 0 ? "TF" : "B";
    if (oneway != 0) r.lanes_total /= 2;
    city.roads.push_back(std::move(r));
    for (auto v : nodes) arterial_degree_[v] += cls >= Secondary ? 1 : 0;
  }

  // Grid rows and columns, written as maximal runs of like edges (so the
  // importer must split them at every junction they pass).
  void streets(SyntheticCity& city) {
    std::bernoulli_distribution drop(0.05);
    arterial_degree_.assign(pos_.size(), 0);
    for (int dir = 0; dir < 2; ++dir) {
      for (int k = 0; k < n_; ++k) {
        std::vector<Edge> edges(n_ - 1);
        const int cls = line_class(k);
        for (int t = 0; t + 1 < n_; ++t) {
          edges[t].cls = cls;
          // Alternate residential rows are one-way, eastbound and westbound in turn.
          if (dir == 0 && cls == Residential && k % 4 == 1) edges[t].oneway = 1;
          if (dir == 0 && cls == Residential && k % 4 == 3) edges[t].oneway = -1;
          if (cls == Residential && edges[t].oneway == 0 && drop(rng_)) edges[t].cls = None;
        }
        for (int t = 0; t + 1 < n_;) {
          if (edges[t].cls == None) {
            ++t;
            continue;
          }
          std::vector<std::size_t> nodes{dir == 0 ? id(t, k) : id(k, t)};
          int u = t;
          while (u + 1 < n_ && edges[u].cls == edges[t].cls && edges[u].oneway == edges[t].oneway) {
            nodes.push_back(dir == 0 ? id(u + 1, k) : id(k, u + 1));
            ++u;
          }
          emit(city, nodes, edges[t].cls, edges[t].oneway);
          t = u;
        }
      }
    }
  }

  // Four diagonal radials from the centre and two diamond rings; rings have
  // even radius so they meet the radials at grid nodes (at-grade junctions).
  void diagonals_and_rings(SyntheticCity& city) {
    const int sx[4] = {1, -1, -1, 1}, sy[4] = {1, 1, -1, -1};
    for (int q = 0; q < 4; ++q) {
      std::vector<std::size_t> nodes;
      for (int t = 0;; ++t) {
        const int i = c_ + sx[q] * t, j = c_ + sy[q] * t;
        if (i < 0 || j < 0 || i >= n_ || j >= n_) break;
        nodes.push_back(id(i, j));
      }
      if (nodes.size() >= 2) emit(city, nodes, Primary, 0);
    }
    for (int ring = 1; ring <= 2; ++ring) {
      const int R = 2 * std::max(1, (ring * n_) / 8);
      if (c_ + R >= n_ || c_ - R < 0) continue;
      std::vector<std::size_t> nodes;
      for (int t = 0; t <= 4 * R; ++t) {
        // Walk the diamond |i-c| + |j-c| = R counter-clockwise from (c+R, c).
        const int s = t % (4 * R), side = s / R, k = s % R;
        int di = 0, dj = 0;
        if (side == 0) { di = R - k; dj = k; }
        else if (side == 1) { di = -k; dj = R - k; }
        else if (side == 2) { di = -(R - k); dj = -k; }
        else { di = k; dj = -(R - k); }
        nodes.push_back(id(c_ + di, c_ + dj));
      }
      emit(city, nodes, ring == 1 ? Primary : Trunk, 0);
    }
  }

  void signals_and_chargers(SyntheticCity& city) {
    std::size_t k = 0;
    for (std::size_t v = 0; v < pos_.size(); ++v) {
      // An arterial junction: at least two arterial roads pass through or end here.
      if (arterial_degree_[v] < 2) continue;
      city.signals.push_back(pos_[v]);
      if (k++ % 3 == 0) city.chargers.push_back({{pos_[v].x + 12, pos_[v].y + 12}, 4, 150});
    }
  }

  // Districts: squares of 8 x 8 blocks; population and jobs densities fall off
  // exponentially from the centre, jobs faster than residents.
  void districts(SyntheticCity& city) {
    const int cell = 8;
    const double half = opt_.block_m / 2;
    const int cells = std::max(1, (n_ + cell - 1) / cell);
    const double side = cell * opt_.block_m;
    const Point2 ctr = centre();
    const double r_pop = 0.35 * extent() + 1000, r_job = 0.18 * extent() + 600;
    std::uniform_real_distribution<double> noise(0.8, 1.2);
    for (int cj = 0; cj < cells; ++cj) {
      for (int ci = 0; ci < cells; ++ci) {
        const double x0 = kOriginE - half + ci * side, y0 = kOriginN - half + cj * side;
        const double x1 = std::min(x0 + side, kOriginE + extent() + half), y1 = std::min(y0 + side, kOriginN + extent() + half);
        SynthDistrict d;
        const int number = cj * cells + ci + 1;
        d.code = std::string("D").append(std::to_string(number));
        d.name = std::string("District ").append(std::to_string(number));
        d.ring = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
        const double km2 = (x1 - x0) * (y1 - y0) / 1e6;
        const double r = std::hypot((x0 + x1) / 2 - ctr.x, (y0 + y1) / 2 - ctr.y);
        d.population = std::round(11000 * std::exp(-r / r_pop) * km2 * noise(rng_));
        d.households = std::round(d.population / 2.1);
        d.jobs = std::round(9000 * std::exp(-r / r_job) * km2 * noise(rng_));
        d.jobs_retail = std::round(d.jobs * 0.18);
        d.jobs_service = std::round(d.jobs * 0.57);
        d.jobs_other = d.jobs - d.jobs_retail - d.jobs_service;
        city.districts.push_back(std::move(d));
      }
    }
  }

  // One 110 kV substation per 2 x 2 districts in a meshed lattice, fed from a
  // bulk supply point outside the city; substation sizes follow the expected
  // peak of the districts around them, some deliberately tight.
  void grid(SyntheticCity& city) {
    const double spacing = 16 * opt_.block_m;
    const int m = std::max(1, static_cast<int>(std::ceil((extent() + opt_.block_m) / spacing)));
    const double x0 = kOriginE - opt_.block_m / 2 + spacing / 2, y0 = kOriginN - opt_.block_m / 2 + spacing / 2;
    std::uniform_real_distribution<double> tight(0.0, 1.0);
    std::vector<Point2> where;
    // Expected evening peak per district (MW): households at 10,715 kWh/a, jobs
    // at 5,000 kWh/a, with BDEW-like peak factors.
    auto peak_mw = [](const SynthDistrict& d) {
      return (d.households * 10715.0 * 1.76 + d.jobs * 5000.0 * 1.8) / 8760.0 / 1000.0;
    };
    for (int b = 0; b < m; ++b) {
      for (int a = 0; a < m; ++a) {
        const Point2 p{x0 + a * spacing, y0 + b * spacing};
        double load = 0;
        for (const auto& d : city.districts) {
          const double dx = (d.ring[0].x + d.ring[2].x) / 2 - p.x, dy = (d.ring[0].y + d.ring[2].y) / 2 - p.y;
          if (std::abs(dx) <= spacing / 2 && std::abs(dy) <= spacing / 2) load += peak_mw(d);
        }
        static constexpr double sizes[] = {20, 31.5, 40, 63, 80, 100, 126, 160, 200, 250};
        double cap = sizes[std::size(sizes) - 1];
        const double need = load * (tight(rng_) < 0.15 ? 0.95 : 1.35);
        for (double s : sizes)
          if (s >= need) {
            cap = s;
            break;
          }
        SynthSubstation s;
        s.name = "Substation ";
        s.name.push_back(static_cast<char>('A' + b % 26));  // row letter, column number: "Substation C4"
        s.name += std::to_string(a + 1);
        s.ring = {{p.x - 30, p.y - 20}, {p.x + 30, p.y - 20}, {p.x + 30, p.y + 20}, {p.x - 30, p.y + 20}, {p.x - 30, p.y - 20}};
        s.kv = 110;
        s.capacity_mva = cap;
        city.substations.push_back(std::move(s));
        where.push_back(p);
      }
    }
    const Point2 ctr = centre();
    const Point2 bsp{x0 - spacing, y0 + (m - 1) * spacing / 2};
    city.substations.push_back({"Bulk supply point", {{bsp.x - 60, bsp.y - 40}, {bsp.x + 60, bsp.y - 40}, {bsp.x + 60, bsp.y + 40}, {bsp.x - 60, bsp.y + 40}, {bsp.x - 60, bsp.y - 40}}, 110, 2000});
    city.slack_substation = "Bulk supply point";
    auto add_line = [&](Point2 a, Point2 b, int circuits) {
      SynthLine l;
      const bool inner = std::hypot((a.x + b.x) / 2 - ctr.x, (a.y + b.y) / 2 - ctr.y) < 0.25 * extent();
      l.cable = inner;
      l.kv = 110;
      l.circuits = circuits;
      l.rating_mva = inner ? 150 : 130;
      // The utility recorded impedances for overhead lines only.
      l.r_ohm_km = inner ? -1 : 0.12;
      l.x_ohm_km = inner ? -1 : 0.39;
      l.c_nf_km = inner ? -1 : 9.5;
      l.line = {a, {(a.x + b.x) / 2 + 15, (a.y + b.y) / 2 - 10}, b};
      city.lines.push_back(std::move(l));
    };
    for (int b = 0; b < m; ++b) {
      for (int a = 0; a < m; ++a) {
        if (a + 1 < m) add_line(where[b * m + a], where[b * m + a + 1], 1);
        if (b + 1 < m) add_line(where[b * m + a], where[(b + 1) * m + a], 1);
      }
    }
    // Double-circuit feeders from the bulk supply point into the western column.
    for (int b = 0; b < m; b += std::max(1, m / 3)) add_line(bsp, where[b * m], 2);
  }

  SyntheticOptions opt_;
  std::mt19937_64 rng_;
  int n_ = 0, c_ = 0;
  std::vector<Point2> pos_;
  std::vector<int> arterial_degree_;
};

}  // namespace

SyntheticCity generate_synthetic_city(const SyntheticOptions& options) { return Generator(options).run(); }

}  // namespace citytwin::datasets
