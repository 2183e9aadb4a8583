#include "datasets/synthetic_city.hpp"

#include "core/grid/power_flow.hpp"

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

constexpr int kDistrictCell = 8;  // districts are squares of 8 x 8 blocks

class Generator {
 public:
  explicit Generator(const SyntheticOptions& o) : opt_(o), rng_(o.seed) {
    n_ = synthetic_grid_side(o);
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
    const int cell = kDistrictCell;
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

  // One 110 kV substation per 2 x 2 districts in a meshed lattice; substation
  // sizes follow the expected peak of the districts around them, some
  // deliberately tight. The lattice is fed in supply groups of at most
  // kGroup x kGroup substations, each from its own bulk supply point (the
  // 110 kV side of a transmission station) sized with the group's load, so the
  // grid grows with the city: a small city is one group fed from a point west
  // of it; in a larger one each group is its own 110 kV island fed from its
  // centre (the import gives every island without the manifest's slack an
  // infeed at its largest substation: the group's supply point). Feeders and
  // lattice lines get as many circuits as the load they carry needs.
  static constexpr int kGroup = 6;

  void grid(SyntheticCity& city) {
    const double spacing = 16 * opt_.block_m;
    const int m = std::max(1, static_cast<int>(std::ceil((extent() + opt_.block_m) / spacing)));
    const double x0 = kOriginE - opt_.block_m / 2 + spacing / 2, y0 = kOriginN - opt_.block_m / 2 + spacing / 2;
    std::uniform_real_distribution<double> tight(0.0, 1.0);
    std::vector<Point2> where;
    std::vector<double> design_mw;  // expected peak each substation serves
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
        static constexpr double sizes[] = {20, 31.5, 40, 63, 80, 100, 126, 160, 200, 250, 315, 400, 500};
        double cap = sizes[std::size(sizes) - 1];
        // Actual evening peaks run up to ~1.2x this design estimate: a tight one (1.05x)
        // runs above its rating at the peak but below the trip threshold (u_trip 1.2).
        const double need = load * (tight(rng_) < 0.15 ? 1.05 : 1.35);
        for (double s : sizes)
          if (s >= need) {
            cap = s;
            break;
          }
        SynthSubstation s;
        s.name = "Substation ";
        s.name.push_back(static_cast<char>('A' + b % 26));  // row letter, column number: "Substation C4"
        if (b >= 26) s.name.push_back(static_cast<char>('A' + (b / 26 - 1) % 26));
        s.name += std::to_string(a + 1);
        s.ring = {{p.x - 30, p.y - 20}, {p.x + 30, p.y - 20}, {p.x + 30, p.y + 20}, {p.x - 30, p.y + 20}, {p.x - 30, p.y - 20}};
        s.kv = 110;
        s.capacity_mva = cap;
        city.substations.push_back(std::move(s));
        where.push_back(p);
        design_mw.push_back(load);
      }
    }
    const Point2 ctr = centre();
    std::vector<PlannedLine> planned;
    auto add_line = [&](std::size_t a, std::size_t b, int min_circuits) {
      const Point2 pa = station_at(city, a), pb = station_at(city, b);
      const bool inner = std::hypot((pa.x + pb.x) / 2 - ctr.x, (pa.y + pb.y) / 2 - ctr.y) < 0.25 * extent();
      planned.push_back({a, b, std::hypot(pa.x - pb.x, pa.y - pb.y) / 1000.0, inner, min_circuits});
    };
    auto bulk_supply_point = [&](std::string name, Point2 p, double group_mw, double largest_substation_mva) {
      // Transformer stations come in 100 MVA steps; 1.5 x the group's design
      // peak, and above every substation of the group (the import gives an
      // island's infeed to its largest substation).
      const double mva = std::max({300.0, 100.0 * std::ceil(1.5 * group_mw / 0.95 / 100.0),
                                   100.0 * std::floor(largest_substation_mva / 100.0) + 100.0});
      city.substations.push_back({std::move(name), {{p.x - 60, p.y - 40}, {p.x + 60, p.y - 40}, {p.x + 60, p.y + 40}, {p.x - 60, p.y + 40}, {p.x - 60, p.y - 40}}, 110, mva});
      design_mw.push_back(0);
      return city.substations.size() - 1;
    };
    const int groups = (m + kGroup - 1) / kGroup;
    std::vector<std::size_t> infeeds;
    for (int gb = 0; gb < groups; ++gb) {
      for (int ga = 0; ga < groups; ++ga) {
        const int a0 = ga * kGroup, b0 = gb * kGroup, a1 = std::min(m, a0 + kGroup), b1 = std::min(m, b0 + kGroup);
        const int w = a1 - a0, h = b1 - b0;
        double group_mw = 0, largest_mva = 0;
        for (int b = b0; b < b1; ++b)
          for (int a = a0; a < a1; ++a) {
            group_mw += design_mw[static_cast<std::size_t>(b * m + a)];
            largest_mva = std::max(largest_mva, city.substations[static_cast<std::size_t>(b * m + a)].capacity_mva);
          }
        for (int b = b0; b < b1; ++b) {
          for (int a = a0; a < a1; ++a) {
            const auto k = static_cast<std::size_t>(b * m + a);
            if (a + 1 < a1) add_line(k, k + 1, 1);
            if (b + 1 < b1) add_line(k, k + static_cast<std::size_t>(m), 1);
          }
        }
        std::vector<std::size_t> fed;  // substations the supply point's feeders reach
        Point2 bsp;
        if (groups == 1) {
          // West of the city, double-circuit feeders into the western column.
          bsp = {x0 - spacing, y0 + (m - 1) * spacing / 2};
          for (int b = 0; b < m; b += std::max(1, m / 3)) fed.push_back(static_cast<std::size_t>(b * m));
        } else {
          // In the middle of the group, feeders to the (up to) four central substations.
          const int ac = a0 + (w - 1) / 2, bc = b0 + (h - 1) / 2;
          bsp = {x0 + (ac + (w > 1 ? 0.5 : 0.0)) * spacing, y0 + (bc + (h > 1 ? 0.5 : 0.0)) * spacing};
          for (int b = bc; b <= std::min(bc + 1, b1 - 1); ++b)
            for (int a = ac; a <= std::min(ac + 1, a1 - 1); ++a) fed.push_back(static_cast<std::size_t>(b * m + a));
        }
        // The first group's supply point is the manifest's slack; the import
        // gives the other groups' islands their infeed at it (the largest).
        const int number = gb * groups + ga + 1;
        const std::size_t s = bulk_supply_point(number == 1 ? "Bulk supply point" : "Bulk supply point " + std::to_string(number),
                                                bsp, group_mw, largest_mva);
        infeeds.push_back(s);
        for (std::size_t k : fed) add_line(s, k, 2);
      }
    }
    city.slack_substation = "Bulk supply point";
    size_circuits(planned, design_mw, infeeds);
    for (const PlannedLine& p : planned) {
      SynthLine l;
      l.cable = p.cable;
      l.kv = 110;
      l.circuits = p.circuits;
      l.rating_mva = p.cable ? kCableMva : kOverheadMva;
      // The utility recorded impedances for overhead lines only.
      l.r_ohm_km = p.cable ? -1 : 0.12;
      l.x_ohm_km = p.cable ? -1 : kOverheadOhmKm;
      l.c_nf_km = p.cable ? -1 : 9.5;
      const Point2 a = station_at(city, p.from), b = station_at(city, p.to);
      l.line = {a, {(a.x + b.x) / 2 + 15, (a.y + b.y) / 2 - 10}, b};
      city.lines.push_back(std::move(l));
    }
  }

  struct PlannedLine {
    std::size_t from, to;  // substation indices
    double km;
    bool cable;
    int circuits;  // at least this many
  };
  static constexpr double kCableMva = 150, kOverheadMva = 130;          // per circuit
  static constexpr double kCableOhmKm = 0.12, kOverheadOhmKm = 0.39;    // series reactance, as the import's defaults
  static constexpr double kDesignLoading = 0.7;                         // of the rating at the design peak

  static Point2 station_at(const SyntheticCity& city, std::size_t k) {
    const auto& r = city.substations[k].ring;
    return {(r[0].x + r[2].x) / 2, (r[0].y + r[2].y) / 2};
  }

  // Circuits per line from the DC flows of the design peak: each line gets
  // enough circuits to stay below kDesignLoading of its rating, re-solved
  // until no line needs more (added circuits draw flow to themselves).
  static void size_circuits(std::vector<PlannedLine>& lines, const std::vector<double>& design_mw,
                            const std::vector<std::size_t>& infeeds) {
    for (int round = 0; round < 6; ++round) {
      grid::PowerCase pc;
      pc.name = "synthetic city design peak";
      for (std::size_t k = 0; k < design_mw.size(); ++k) {
        grid::Bus b;
        b.id = static_cast<std::int64_t>(k + 1);
        b.pd = design_mw[k];
        b.base_kv = 110;
        pc.buses.push_back(b);
      }
      for (std::size_t k : infeeds) {
        pc.buses[k].type = grid::BusType::ref;
        pc.generators.push_back({.bus = static_cast<std::int64_t>(k + 1), .pmax = 1e9});
      }
      const double z_base = 110.0 * 110.0 / pc.base_mva;
      for (const PlannedLine& l : lines) {
        grid::Branch br;
        br.from = static_cast<std::int64_t>(l.from + 1);
        br.to = static_cast<std::int64_t>(l.to + 1);
        br.x = (l.cable ? kCableOhmKm : kOverheadOhmKm) * std::max(l.km, 0.01) / l.circuits / z_base;
        pc.branches.push_back(br);
      }
      const grid::PowerFlowResult r = grid::solve_dc(pc);
      bool changed = false;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const double per_circuit = (lines[i].cable ? kCableMva : kOverheadMva) * kDesignLoading * 0.95;
        const int need = static_cast<int>(std::ceil(std::abs(r.pf[i]) / per_circuit));
        if (need > lines[i].circuits) {
          lines[i].circuits = need;
          changed = true;
        }
      }
      if (!changed) return;
    }
  }

  SyntheticOptions opt_;
  std::mt19937_64 rng_;
  int n_ = 0, c_ = 0;
  std::vector<Point2> pos_;
  std::vector<int> arterial_degree_;
};

}  // namespace

SyntheticCity generate_synthetic_city(const SyntheticOptions& options) { return Generator(options).run(); }

// A two-way grid of n x n nodes has about 4 n^2 directed links; one-way
// rows and dropped streets leave about 84 % of them (measured).
int synthetic_grid_side(const SyntheticOptions& o) {
  return std::max<int>(12, static_cast<int>(std::lround(std::sqrt(static_cast<double>(o.target_links) / (4.0 * 0.84)))));
}

std::size_t synthetic_district_count(const SyntheticOptions& o) {
  const auto cells = static_cast<std::size_t>((synthetic_grid_side(o) + kDistrictCell - 1) / kDistrictCell);
  return std::max<std::size_t>(1, cells * cells);
}

}  // namespace citytwin::datasets
