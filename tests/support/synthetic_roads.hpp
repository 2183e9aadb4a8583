#pragma once
// Seeded synthetic road networks and demand for the GPU comparison tests,
// benchmarks/gpu and benchmarks/traffic: a side x side grid of two-way streets with random free-flow
// times, every 8th row and column an arterial twice as fast, plus random OD
// demand between random nodes.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::synth {

// CITYTWIN_TEST_SEED overrides the default seed of every generator.
using citytwin::testing::test_seed;

inline traffic::Network synthetic_roads(std::int32_t nodes, std::uint64_t seed) {
  const auto side = static_cast<std::int32_t>(std::sqrt(static_cast<double>(nodes)));
  traffic::TntpNetwork t;
  t.file = "synthetic";
  t.nodes = side * side;
  t.zones = 0;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> minutes(0.5, 1.5);
  auto id = [side](std::int32_t r, std::int32_t c) { return r * side + c + 1; };
  auto add = [&](std::int32_t a, std::int32_t b, bool arterial) {
    const double fft = minutes(rng) * (arterial ? 0.5 : 1.0);
    for (const auto& [u, v] : {std::pair{a, b}, std::pair{b, a}}) {
      traffic::TntpLink l;
      l.tail = u;
      l.head = v;
      l.capacity = arterial ? 3600 : 900;
      l.free_flow_time = fft;
      l.b = 0.15;
      l.power = 4;
      t.links.push_back(l);
    }
  };
  for (std::int32_t r = 0; r < side; ++r)
    for (std::int32_t c = 0; c < side; ++c) {
      if (c + 1 < side) add(id(r, c), id(r, c + 1), r % 8 == 0);
      if (r + 1 < side) add(id(r, c), id(r + 1, c), c % 8 == 0);
    }
  return traffic::build_network(t, {});
}

// `origins` random origins with `per_origin` random destinations each (no
// intrazonal pairs), flows uniform in [1, 100) vehicles.
inline traffic::OdDemand random_demand(const traffic::Network& net, std::int32_t origins, std::int32_t per_origin,
                                       std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int32_t> node(0, net.node_count - 1);
  std::uniform_real_distribution<double> flow(1, 100);
  traffic::OdDemand d;
  for (std::int32_t o = 0; o < origins; ++o) {
    const std::int32_t from = node(rng);
    d.origin_node.push_back(from);
    for (std::int32_t k = 0; k < per_origin; ++k) {
      const std::int32_t to = node(rng);
      if (to == from) continue;
      d.destination_node.push_back(to);
      d.destination_flow.push_back(flow(rng));
      d.total += d.destination_flow.back();
      ++d.pairs;
    }
    d.destination_offset.push_back(static_cast<std::int32_t>(d.destination_node.size()));
  }
  return d;
}

}  // namespace citytwin::synth
