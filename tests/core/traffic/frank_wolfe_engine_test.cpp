// traffic::run_frank_wolfe over its back ends: the chunked sums every back
// end uses (against exact totals), the engine's input checks, and the one
// iteration over host back ends that sum in different orders (serial in link
// order, or in chunks as the device does) reaching the analytic and the TNTP
// best-known equilibria.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/traffic/chunked_sum_host.hpp"
#include "core/traffic/frank_wolfe_backend.hpp"
#include "core/traffic/frank_wolfe_host.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/core/traffic/test_networks.hpp"

namespace citytwin::traffic {
namespace {

// Element i adds i and 1: every partial is an integer below 2^53, so every
// chunking must give exactly n (n - 1) / 2 and n.
struct CountTerm {
  static constexpr int N = 2;
  void operator()(std::int64_t i, double* acc) const {
    acc[0] += static_cast<double>(i);
    acc[1] += 1.0;
  }
};

// Terms of very different sizes: the total rounds differently in each order.
struct HarmonicTerm {
  static constexpr int N = 1;
  void operator()(std::int64_t i, double* acc) const { acc[0] += 1.0 / static_cast<double>(i + 1); }
};

TEST(ChunkedSum, EveryChunkingGivesTheExactTotal) {
  const std::int64_t n = 100003;
  for (const std::int64_t chunk : {std::int64_t{0}, std::int64_t{1}, std::int64_t{7}, std::int64_t{256}, n, 2 * n}) {
    const auto s = chunked_sum_host(n, chunk, CountTerm{});
    EXPECT_EQ(s[0], static_cast<double>(n) * static_cast<double>(n - 1) / 2) << "chunk " << chunk;
    EXPECT_EQ(s[1], static_cast<double>(n)) << "chunk " << chunk;
  }
  for (const std::int64_t chunk : {std::int64_t{0}, std::int64_t{256}}) {
    const auto empty = chunked_sum_host(0, chunk, CountTerm{});
    EXPECT_EQ(empty[0], 0.0);
    EXPECT_EQ(empty[1], 0.0);
  }
}

TEST(ChunkedSum, OneChunkIsTheSerialSumAndChunksDoNotDependOnThreads) {
  const std::int64_t n = 200000;
  double serial = 0;
  for (std::int64_t i = 0; i < n; ++i) HarmonicTerm{}(i, &serial);
  EXPECT_EQ(chunked_sum_host(n, 0, HarmonicTerm{})[0], serial);  // bit for bit
  double one = 0, two = 0;
  {
    ThreadLimit limit(1);
    one = chunked_sum_host(n, 256, HarmonicTerm{})[0];
  }
  {
    ThreadLimit limit(2);
    two = chunked_sum_host(n, 256, HarmonicTerm{})[0];
  }
  EXPECT_EQ(one, two);
  EXPECT_NEAR(one, serial, 1e-13 * serial);  // another order, the same sum to rounding
}

struct Loaded {
  Network net;
  OdDemand demand;
};

Loaded parse(const std::string& net_text, const std::string& trips_text) {
  Network net = build_network(parse_tntp_network(net_text, "toy_net"), {});
  OdDemand demand = build_demand(net, parse_tntp_trips(trips_text, "toy_trips"));
  return {std::move(net), std::move(demand)};
}

AssignmentOptions options_for(Algorithm algorithm, double gap) {
  AssignmentOptions o;
  o.algorithm = algorithm;
  o.target_gap = gap;
  o.max_iterations = 100000;
  return o;
}

TEST(FrankWolfeEngine, RejectsAlgorithmBAndABadGap) {
  const Loaded toy = parse(testing::kPigouNet, testing::kPigouTrips);
  DijkstraBackend backend(toy.net, toy.demand);
  EXPECT_THROW(run_frank_wolfe(backend, toy.demand.total, options_for(Algorithm::bush, 1e-6)), InvalidInput);
  EXPECT_THROW(run_frank_wolfe(backend, toy.demand.total, options_for(Algorithm::frank_wolfe, -1)), InvalidInput);
}

class EveryDirection : public ::testing::TestWithParam<Algorithm> {};

// Braess (test_networks.hpp): path flows 27/13, 27/13, 24/13 whatever order
// the back end sums in; here 2-link chunks over its 5 links.
TEST_P(EveryDirection, ChunkedSumsReachBraessEquilibrium) {
  const Loaded toy = parse(testing::kBraessNet, testing::kBraessTrips);
  DijkstraBackend backend(toy.net, toy.demand, 2);
  const AssignmentResult r = run_frank_wolfe(backend, toy.demand.total, options_for(GetParam(), 1e-10));
  EXPECT_TRUE(r.converged);
  const auto flow = [&](std::size_t file_link) { return r.flow[toy.net.internal_link[file_link]]; };
  EXPECT_NEAR(flow(0), 51.0 / 13, 1e-4);
  EXPECT_NEAR(flow(1), 27.0 / 13, 1e-4);
  EXPECT_NEAR(flow(2), 27.0 / 13, 1e-4);
  EXPECT_NEAR(flow(3), 51.0 / 13, 1e-4);
  EXPECT_NEAR(flow(4), 24.0 / 13, 1e-4);
  EXPECT_NEAR(r.measures.sptt, 6 * 1200.0 / 13, 1e-6);
  // The trace's ratios follow from its sums (convergence.hpp's definitions).
  ASSERT_EQ(r.trace.size(), static_cast<std::size_t>(r.iterations) + 1);
  for (const IterationRecord& rec : r.trace) {
    EXPECT_DOUBLE_EQ(rec.measures.relative_gap, (rec.measures.tstt - rec.measures.sptt) / rec.measures.sptt);
    EXPECT_DOUBLE_EQ(rec.measures.average_excess_cost, (rec.measures.tstt - rec.measures.sptt) / 6.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Traffic, EveryDirection,
                         ::testing::Values(Algorithm::frank_wolfe, Algorithm::conjugate_frank_wolfe,
                                           Algorithm::biconjugate_frank_wolfe),
                         [](const auto& test_param) { return algorithm_name(test_param.param); });

// Anaheim (914 links) in the device's 256-link chunks: bfw to 1e-5 lands on
// the best-known objective (README of datasets/reference/tntp/Anaheim) as the
// serial back end does (tntp_validation_test.cpp).
TEST(FrankWolfeEngine, ChunkedSumsReachAnaheimBestKnown) {
  const std::string folder = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/Anaheim/";
  const Network net = build_network(read_tntp_network(folder + "Anaheim_net.tntp"), {});
  const OdDemand demand = build_demand(net, read_tntp_trips(folder + "Anaheim_trips.tntp"));
  DijkstraBackend backend(net, demand, 256);
  const AssignmentResult r = run_frank_wolfe(backend, demand.total, options_for(Algorithm::biconjugate_frank_wolfe, 1e-5));
  EXPECT_TRUE(r.converged) << "gap " << r.measures.relative_gap << " after " << r.iterations;
  EXPECT_NEAR(r.measures.objective / 1286032.17110, 1.0, 1e-5);
  // Independent of the back end's own sums: Dijkstra SPTT on the returned flows.
  EXPECT_NEAR(evaluate(net, demand, r.flow).relative_gap, r.measures.relative_gap, 1e-9);
}

}  // namespace
}  // namespace citytwin::traffic
