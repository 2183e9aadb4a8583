// Toy networks against their analytic equilibria, for every algorithm.
#include <gtest/gtest.h>

#include "core/traffic/assignment.hpp"
#include "tests/core/traffic/test_networks.hpp"

namespace citytwin::traffic {
namespace {

struct Toy {
  Network net;
  OdDemand demand;
};

Toy load(const std::string& net_text, const std::string& trips_text) {
  Network net = build_network(parse_tntp_network(net_text, "toy_net"), {});
  OdDemand demand = build_demand(net, parse_tntp_trips(trips_text, "toy_trips"));
  return {std::move(net), std::move(demand)};
}

double flow_of(const Toy& toy, const AssignmentResult& r, std::size_t file_link) {
  return r.flow[toy.net.internal_link[file_link]];
}

class EveryAlgorithm : public ::testing::TestWithParam<Algorithm> {};

TEST_P(EveryAlgorithm, PigouSplitsWhereCostsEqual) {
  const Toy toy = load(testing::kPigouNet, testing::kPigouTrips);
  AssignmentOptions options;
  options.algorithm = GetParam();
  options.target_gap = 1e-9;
  options.max_iterations = 100000;
  const AssignmentResult r = assign(toy.net, toy.demand, options);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(flow_of(toy, r, 0), 2.0, 1e-3);
  EXPECT_NEAR(flow_of(toy, r, 1), 1.0, 1e-3);
  EXPECT_NEAR(r.measures.objective, 5.2, 1e-6);
  EXPECT_NEAR(r.measures.sptt, 6.0, 1e-6);
}

TEST_P(EveryAlgorithm, BraessUsesAllThreePaths) {
  const Toy toy = load(testing::kBraessNet, testing::kBraessTrips);
  AssignmentOptions options;
  options.algorithm = GetParam();
  options.target_gap = 1e-10;
  options.max_iterations = 100000;
  const AssignmentResult r = assign(toy.net, toy.demand, options);
  EXPECT_TRUE(r.converged);
  const double tol = GetParam() == Algorithm::bush ? 1e-9 : 1e-4;
  EXPECT_NEAR(flow_of(toy, r, 0), 51.0 / 13, tol);  // s->a
  EXPECT_NEAR(flow_of(toy, r, 1), 27.0 / 13, tol);  // a->t
  EXPECT_NEAR(flow_of(toy, r, 2), 27.0 / 13, tol);  // s->b
  EXPECT_NEAR(flow_of(toy, r, 3), 51.0 / 13, tol);  // b->t
  EXPECT_NEAR(flow_of(toy, r, 4), 24.0 / 13, tol);  // a->b
  EXPECT_NEAR(r.measures.sptt, 6 * 1200.0 / 13, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Traffic, EveryAlgorithm,
                         ::testing::Values(Algorithm::frank_wolfe, Algorithm::conjugate_frank_wolfe,
                                           Algorithm::biconjugate_frank_wolfe, Algorithm::bush),
                         [](const auto& test_param) { return algorithm_name(test_param.param); });

TEST(ToyNetworks, CentroidsAreNeverThroughNodes) {
  // Zone 3 sits on the cheap route 1 -> 3 -> 2, but is a centroid (<FIRST THRU NODE> 4).
  const std::string net = R"(<NUMBER OF ZONES> 3
<NUMBER OF NODES> 4
<FIRST THRU NODE> 4
<NUMBER OF LINKS> 4
<END OF METADATA>
1 3 1 0 1 0.15 4 0 0 1 ;
3 2 1 0 1 0.15 4 0 0 1 ;
1 4 1 0 5 0.15 4 0 0 1 ;
4 2 1 0 5 0.15 4 0 0 1 ;
)";
  const std::string trips = "<NUMBER OF ZONES> 3\n<END OF METADATA>\nOrigin 1\n 2 : 10 ;\n";
  const Toy toy = load(net, trips);
  for (const Algorithm algorithm : {Algorithm::frank_wolfe, Algorithm::bush}) {
    AssignmentOptions options;
    options.algorithm = algorithm;
    const AssignmentResult r = assign(toy.net, toy.demand, options);
    EXPECT_EQ(flow_of(toy, r, 0), 0.0);
    EXPECT_EQ(flow_of(toy, r, 1), 0.0);
    EXPECT_DOUBLE_EQ(flow_of(toy, r, 2), 10.0);
    EXPECT_DOUBLE_EQ(flow_of(toy, r, 3), 10.0);
  }
}

TEST(ToyNetworks, DisconnectedAndIntrazonalDemandIsCountedAndSkipped) {
  // Zone 3 has no incoming link; 1 -> 1 is intrazonal.
  const std::string net = R"(<NUMBER OF ZONES> 3
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 2
<END OF METADATA>
1 2 1 0 1 0.15 4 0 0 1 ;
3 2 1 0 1 0.15 4 0 0 1 ;
)";
  const std::string trips =
      "<NUMBER OF ZONES> 3\n<END OF METADATA>\nOrigin 1\n 1 : 4 ; 2 : 10 ; 3 : 7.5 ;\nOrigin 2\n 3 : 2 ;\n";
  const Toy toy = load(net, trips);
  EXPECT_EQ(toy.demand.intrazonal_pairs, 1);
  EXPECT_DOUBLE_EQ(toy.demand.intrazonal_demand, 4.0);
  EXPECT_EQ(toy.demand.disconnected_pairs, 2);
  EXPECT_DOUBLE_EQ(toy.demand.disconnected_demand, 9.5);
  EXPECT_DOUBLE_EQ(toy.demand.total, 10.0);
  for (const Algorithm algorithm : {Algorithm::biconjugate_frank_wolfe, Algorithm::bush}) {
    AssignmentOptions options;
    options.algorithm = algorithm;
    const AssignmentResult r = assign(toy.net, toy.demand, options);
    EXPECT_TRUE(r.converged);
    EXPECT_DOUBLE_EQ(flow_of(toy, r, 0), 10.0);
  }
}

TEST(ToyNetworks, NoDemandIsNotAnError) {
  const Toy toy = load(testing::kPigouNet, "<NUMBER OF ZONES> 2\n<END OF METADATA>\n");
  const AssignmentResult r = assign(toy.net, toy.demand, {});
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.measures.tstt, 0.0);
}

}  // namespace
}  // namespace citytwin::traffic
