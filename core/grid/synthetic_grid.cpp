#include "core/grid/synthetic_grid.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace citytwin::grid {

namespace {

// Uniform [0, 1) from the raw engine output: identical on every standard library.
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : engine_(seed) {}
  double operator()() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double operator()(double lo, double hi) { return lo + (hi - lo) * (*this)(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

PowerCase synthetic_grid(const SyntheticGridOptions& options) {
  if (options.buses < 4) throw std::invalid_argument("synthetic_grid: at least 4 buses");
  Uniform u(options.seed);
  const std::int32_t n = options.buses;
  const std::int32_t side = static_cast<std::int32_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  PowerCase pc;
  pc.name = "synthetic" + std::to_string(n);
  pc.source = pc.name;
  pc.base_mva = 100;
  pc.buses.resize(n);
  double total_load = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    Bus& b = pc.buses[i];
    b.id = i + 1;
    b.pd = u(2.0, 12.0);
    b.qd = b.pd * u(0.1, 0.4);
    b.bs = u() < 0.05 ? u(5.0, 20.0) : 0.0;  // capacitor banks
    b.base_kv = 230;
    total_load += b.pd;
  }
  auto line = [&](std::int32_t a, std::int32_t c, double length) {
    Branch br;
    br.from = a + 1;
    br.to = c + 1;
    br.r = 0.0015 * length * u(0.8, 1.2);
    br.x = 0.012 * length * u(0.8, 1.2);
    br.b = 0.02 * length;
    br.rate_a = 250;
    pc.branches.push_back(br);
  };
  // Lattice: row links always (connectivity), column links mostly.
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t row = i / side, col = i % side;
    if (col + 1 < side && i + 1 < n) line(i, i + 1, u(0.7, 1.3));
    if (i + side < n && (col == 0 || u() >= options.drop_fraction)) line(i, i + side, u(0.7, 1.3));
    (void)row;
  }
  // Transformer chords a few lattice steps long.
  const std::int32_t chords = static_cast<std::int32_t>(options.chord_fraction * n);
  for (std::int32_t c = 0; c < chords; ++c) {
    const std::int32_t a = static_cast<std::int32_t>(u() * n);
    const std::int32_t dr = static_cast<std::int32_t>(u(-4, 5)), dc = static_cast<std::int32_t>(u(-4, 5));
    const std::int32_t row = a / side + dr, col = a % side + dc;
    if (row < 0 || col < 0 || col >= side) continue;
    const std::int32_t b = row * side + col;
    if (b >= n || b == a) continue;
    Branch br;
    br.from = a + 1;
    br.to = b + 1;
    br.r = 0.0005;
    br.x = 0.01 * std::hypot(dr, dc) * u(0.8, 1.2);
    br.ratio = u(0.97, 1.03);
    br.angle = u() < 0.1 ? u(-3.0, 3.0) : 0.0;
    br.rate_a = 400;
    pc.branches.push_back(br);
  }
  // Generators evenly spread; the slack near the centre takes the balance and losses.
  const std::int32_t slack = (side / 2) * side + side / 2 < n ? (side / 2) * side + side / 2 : 0;
  std::vector<std::int32_t> gen_buses;
  for (std::int32_t i = options.generator_spacing / 2; i < n; i += options.generator_spacing) {
    if (i != slack) gen_buses.push_back(i);
  }
  const double share = 0.97 * total_load / static_cast<double>(gen_buses.size() + 1);
  auto add_gen = [&](std::int32_t bus, BusType type) {
    pc.buses[bus].type = type;
    Generator g;
    g.bus = bus + 1;
    g.pg = share * u(0.9, 1.1);
    g.vg = u(1.0, 1.04);
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
