// The TNTP best-known user equilibria (datasets/reference/tntp): objective, gap
// and link flows. Cost weights come from each network's README.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/common/parallel.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/tntp_reader.hpp"

namespace citytwin::traffic {
namespace {

struct Case {
  std::string folder, prefix;
  CostWeights weights;
  double best_objective;
};

const Case kSiouxFalls{"SiouxFalls", "SiouxFalls", {}, 4231335.28710744};  // README value x 1e5
const Case kAnaheim{"Anaheim", "Anaheim", {}, 1286032.17110};
const Case kChicago{"Chicago-Sketch", "ChicagoSketch", {0.02, 0.04}, 17313018.7387477};

std::string data(const Case& c, const std::string& suffix) {
  return std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/" + c.folder + "/" + c.prefix + suffix;
}

struct Loaded {
  Network net;
  OdDemand demand;
};

Loaded load(const Case& c) {
  const TntpNetwork tntp = read_tntp_network(data(c, "_net.tntp"));
  Network net = build_network(tntp, c.weights);
  OdDemand demand = build_demand(net, read_tntp_trips(data(c, "_trips.tntp")));
  return {std::move(net), std::move(demand)};
}

AssignmentResult run(const Loaded& l, Algorithm algorithm, double gap, std::int32_t max_iterations = 100000) {
  AssignmentOptions options;
  options.algorithm = algorithm;
  options.target_gap = gap;
  options.max_iterations = max_iterations;
  return assign(l.net, l.demand, options);
}

// Flows (in file order) against *_flow.tntp, within `relative` of each
// best-known volume (plus a tiny absolute allowance for near-zero flows).
void expect_flows_match(const Case& c, const Loaded& l, const AssignmentResult& r, double relative) {
  const auto reference = read_tntp_flows(data(c, "_flow.tntp"));
  ASSERT_EQ(reference.size(), static_cast<std::size_t>(l.net.link_count));
  int mismatches = 0;
  for (std::size_t k = 0; k < reference.size(); ++k) {
    const std::int32_t a = l.net.internal_link[k];
    ASSERT_EQ(l.net.tntp_node[l.net.tail[a]], reference[k].tail);
    ASSERT_EQ(l.net.tntp_node[l.net.head[a]], reference[k].head);
    const double ref = reference[k].volume;
    if (std::abs(r.flow[a] - ref) > relative * std::abs(ref) + 1e-6) {
      if (++mismatches <= 10)
        ADD_FAILURE() << c.prefix << " link " << reference[k].tail << "->" << reference[k].head << ": flow "
                      << r.flow[a] << " vs best known " << ref;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

void expect_best_known(const Case& c, double flow_tolerance) {
  const Loaded l = load(c);
  const AssignmentResult r = run(l, Algorithm::bush, 1e-10);
  EXPECT_TRUE(r.converged) << "gap " << r.measures.relative_gap << " after " << r.iterations << " iterations";
  EXPECT_LE(r.measures.relative_gap, 1e-10);
  EXPECT_NEAR(r.measures.objective / c.best_objective, 1.0, 1e-8)
      << "objective " << std::setprecision(15) << r.measures.objective;
  expect_flows_match(c, l, r, flow_tolerance);
}

TEST(TntpValidation, SiouxFallsBushMatchesBestKnown) { expect_best_known(kSiouxFalls, 1e-3); }
TEST(TntpValidation, AnaheimBushMatchesBestKnown) { expect_best_known(kAnaheim, 1e-3); }
TEST(TntpValidation, ChicagoSketchBushMatchesBestKnown) { expect_best_known(kChicago, 1e-3); }

void expect_bfw_reaches(const Case& c, double gap) {
  const Loaded l = load(c);
  const AssignmentResult r = run(l, Algorithm::biconjugate_frank_wolfe, gap, 5000);
  EXPECT_TRUE(r.converged) << c.prefix << ": gap " << r.measures.relative_gap << " after " << r.iterations;
  EXPECT_NEAR(r.measures.objective / c.best_objective, 1.0, 1e-5);
}

TEST(TntpValidation, SiouxFallsBiconjugateFrankWolfeReaches1e5) { expect_bfw_reaches(kSiouxFalls, 1e-5); }
TEST(TntpValidation, AnaheimBiconjugateFrankWolfeReaches1e5) { expect_bfw_reaches(kAnaheim, 1e-5); }
TEST(TntpValidation, ChicagoSketchBiconjugateFrankWolfeReaches1e5) { expect_bfw_reaches(kChicago, 1e-5); }

TEST(TntpValidation, ChicagoSketchNeedsItsCostWeights) {
  // Without the README's toll and distance factors the objective is far off.
  Case plain = kChicago;
  plain.weights = {};
  const Loaded l = load(plain);
  const AssignmentResult r = run(l, Algorithm::bush, 1e-6);
  EXPECT_GT(std::abs(r.measures.objective / kChicago.best_objective - 1.0), 1e-3);
}

TEST(TntpValidation, SameResultsForOneAndTwoThreads) {
  const Loaded l = load(kAnaheim);
  for (const Algorithm algorithm : {Algorithm::biconjugate_frank_wolfe, Algorithm::bush}) {
    AssignmentResult one, two;
    {
      ThreadLimit limit(1);
      one = run(l, algorithm, 1e-6, 200);
    }
    {
      ThreadLimit limit(2);
      two = run(l, algorithm, 1e-6, 200);
    }
    ASSERT_EQ(one.iterations, two.iterations);
    EXPECT_EQ(one.flow, two.flow);  // bitwise: the reductions are ordered
    EXPECT_EQ(one.measures.relative_gap, two.measures.relative_gap);
  }
}

// Warm starts (the coupled model solves hour after hour from the previous
// bushes) must reach the same best-known equilibrium as a cold start.
TEST(TntpValidation, WarmStartsReachTheBestKnownEquilibrium) {
  const Loaded l = load(kAnaheim);
  // The "previous hour": 70 % of the demand, solved loosely.
  OdDemand earlier = l.demand;
  for (double& f : earlier.destination_flow) f *= 0.7;
  AssignmentOptions options;
  options.target_gap = 1e-4;
  options.keep_bushes = true;
  const AssignmentResult before = assign(l.net, earlier, options);
  ASSERT_TRUE(before.bushes);
  EXPECT_FALSE(before.warm_started);

  // Other demand: the bushes' flows are reloaded with the old route shares.
  options.target_gap = 1e-10;
  options.warm_start = before.bushes;
  const AssignmentResult reloaded = assign(l.net, l.demand, options);
  EXPECT_TRUE(reloaded.warm_started);
  EXPECT_LE(reloaded.measures.relative_gap, 1e-10);
  EXPECT_NEAR(reloaded.measures.objective / kAnaheim.best_objective, 1.0, 1e-8);
  expect_flows_match(kAnaheim, l, reloaded, 1e-3);
  // A reloaded start is nearer equilibrium than free-flow trees.
  options.warm_start = nullptr;
  const AssignmentResult cold = assign(l.net, l.demand, options);
  EXPECT_LT(reloaded.trace.front().measures.relative_gap, cold.trace.front().measures.relative_gap);

  // The same demand again: flows are taken as they are, already at the gap.
  options.warm_start = reloaded.bushes;
  const AssignmentResult again = assign(l.net, l.demand, options);
  EXPECT_TRUE(again.warm_started);
  EXPECT_EQ(again.iterations, 0);
  EXPECT_LE(again.measures.relative_gap, 1e-10);

  // Bushes of another network are ignored (a cold start).
  const Loaded sioux = load(kSiouxFalls);
  options.warm_start = before.bushes;
  options.target_gap = 1e-4;
  EXPECT_FALSE(assign(sioux.net, sioux.demand, options).warm_started);
}

}  // namespace
}  // namespace citytwin::traffic
