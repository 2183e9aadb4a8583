#include "core/grid/synthetic_grid.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace citytwin::grid {

namespace {

// Uniform [0, 1) from the raw engine output: identical on every standard library.
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : engine_(seed) {}
  double operator()() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double operator()(double lo, double hi) { return lo + (hi - lo) * (*this)(); }
  std::int32_t below(std::int32_t n) { return std::min(n - 1, static_cast<std::int32_t>((*this)() * n)); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

PowerCase synthetic_grid(const SyntheticGridOptions& options) {
  if (options.buses < 4) throw std::invalid_argument("synthetic_grid: at least 4 buses");
  if (options.region_size < 1) throw std::invalid_argument("synthetic_grid: region_size must be positive");
  Uniform u(options.seed);
  const std::int32_t n = options.buses;
  const std::int32_t backbone = std::max<std::int32_t>(4, n / options.region_size);
  const std::int32_t side = static_cast<std::int32_t>(std::ceil(std::sqrt(static_cast<double>(backbone))));

  PowerCase pc;
  pc.name = "synthetic" + std::to_string(n);
  pc.source = pc.name;
  pc.base_mva = 100;
  pc.buses.resize(n);
  double total_load = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    Bus& b = pc.buses[i];
    b.id = i + 1;
    const bool hv = i < backbone;
    b.base_kv = hv ? 380 : 110;
    b.pd = hv ? u(0.0, 10.0) : u(1.0, 9.0);
    b.qd = b.pd * u(0.1, 0.3);
    b.bs = !hv && u() < 0.05 ? u(2.0, 8.0) : 0.0;  // capacitor banks
    total_load += b.pd;
  }
  auto add_branch = [&](std::int32_t a, std::int32_t c, double r, double x, double b, double rate) -> Branch& {
    Branch br;
    br.from = a + 1;
    br.to = c + 1;
    br.r = r;
    br.x = x;
    br.b = b;
    br.rate_a = rate;
    pc.branches.push_back(br);
    return pc.branches.back();
  };
  // Backbone: lattice rows always (connected), columns mostly; chords with phase shifters.
  for (std::int32_t i = 0; i < backbone; ++i) {
    const std::int32_t col = i % side;
    if (col + 1 < side && i + 1 < backbone) {
      const double len = u(0.7, 1.3);
      add_branch(i, i + 1, 0.0004 * len, 0.004 * len, 0.05 * len, 1500);
    }
    if (i + side < backbone && (col == 0 || u() >= options.drop_fraction)) {
      const double len = u(0.7, 1.3);
      add_branch(i, i + side, 0.0004 * len, 0.004 * len, 0.05 * len, 1500);
    }
  }
  const std::int32_t chords = static_cast<std::int32_t>(options.chord_fraction * backbone);
  for (std::int32_t c = 0; c < chords; ++c) {
    const std::int32_t a = u.below(backbone);
    const std::int32_t dr = u.below(7) - 3, dc = u.below(7) - 3;
    const std::int32_t row = a / side + dr, col = a % side + dc;
    if (row < 0 || col < 0 || col >= side) continue;
    const std::int32_t b = row * side + col;
    if (b >= backbone || b == a) continue;
    const double len = std::hypot(dr, dc);
    Branch& br = add_branch(a, b, 0.0003 * len, 0.004 * len, 0.04 * len, 2000);
    if (u() < 0.2) br.angle = u(-2.0, 2.0);
  }
  // Regions: bus i > backbone belongs to substation (i % backbone); it hangs off a
  // random earlier bus of its region (a tree), the first one off the substation
  // through a transformer. Some buses close a loop to another bus of the region.
  std::vector<std::vector<std::int32_t>> region(backbone);
  for (std::int32_t s = 0; s < backbone; ++s) region[s].push_back(s);
  for (std::int32_t i = backbone; i < n; ++i) {
    auto& members = region[i % backbone];
    const std::int32_t parent = members[u.below(static_cast<std::int32_t>(members.size()))];
    if (parent < backbone) {
      Branch& br = add_branch(parent, i, 0.0005, u(0.02, 0.04), 0.0, 400);
      br.ratio = u(0.97, 1.03);
    } else {
      const double len = u(0.5, 1.5);
      add_branch(parent, i, 0.004 * len, 0.012 * len, 0.002 * len, 200);
    }
    if (members.size() > 2 && u() < options.loop_fraction) {
      const std::int32_t other = members[1 + u.below(static_cast<std::int32_t>(members.size()) - 1)];
      if (other != parent) {
        const double len = u(0.5, 2.0);
        add_branch(other, i, 0.004 * len, 0.012 * len, 0.002 * len, 200);
      }
    }
    members.push_back(i);
  }
  // Generators: every other backbone bus and one bus per region. Dispatch covers
  // the load and about 1.5 % losses; the slack takes the remainder.
  const std::int32_t slack = (side / 2) * side + side / 2 < backbone ? (side / 2) * side + side / 2 : 0;
  std::vector<std::int32_t> gen_buses;
  for (std::int32_t s = 0; s < backbone; ++s) {
    if (s != slack && s % 2 == 0) gen_buses.push_back(s);
    if (region[s].size() > 3) gen_buses.push_back(region[s][1 + u.below(static_cast<std::int32_t>(region[s].size()) - 1)]);
  }
  const double share = 1.015 * total_load / static_cast<double>(gen_buses.size() + 1);
  auto add_gen = [&](std::int32_t bus, BusType type) {
    pc.buses[bus].type = type;
    Generator g;
    g.bus = bus + 1;
    g.pg = share * u(0.8, 1.2);
    g.vg = bus < backbone ? u(1.02, 1.05) : u(1.0, 1.03);
    g.qmax = 0.6 * share;
    g.qmin = -0.3 * share;
    g.pmax = 2 * share;
    pc.generators.push_back(g);
  };
  add_gen(slack, BusType::ref);
  for (std::int32_t bus : gen_buses) add_gen(bus, BusType::pv);
  return pc;
}

}  // namespace citytwin::grid
