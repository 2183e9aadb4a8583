// Demand, capacities and results finite and bounded: 1e80 trips once
// corrupted Algorithm B's heap and made the Frank-Wolfe family report
// "converged" at a relative gap of -1.
#include "core/traffic/numeric_guards.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/common/errors.hpp"
#include "core/traffic/iteration_record.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/core/traffic/test_networks.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using namespace citytwin::traffic;
using citytwin::testing::expect_error;

namespace {
std::string pigou_trips(const std::string& flow) {
  return "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n    2 : " + flow + ";\n";
}
std::string pigou_net(const std::string& capacity, const std::string& power) {
  return "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n<END OF METADATA>\n"
         "1 2 1 0 2 0 4 0 0 1 ;\n1 2 " + capacity + " 0 1 1 " + power + " 0 0 1 ;\n";
}
const Algorithm kAll[] = {Algorithm::frank_wolfe, Algorithm::conjugate_frank_wolfe, Algorithm::biconjugate_frank_wolfe, Algorithm::bush};
}  // namespace

TEST(NumericGuards, HugeTripsAreRefusedByTheReaderWithFileAndLine) {
  expect_error<InvalidInput>([] { parse_tntp_trips(pigou_trips("1e80"), "huge_trips.tntp"); },
                             {"huge_trips.tntp", "line 4", "OD flow", "above the largest accepted"});
}

TEST(NumericGuards, HugeCapacityOrPowerIsRefusedByTheReader) {
  expect_error<InvalidInput>([] { parse_tntp_network(pigou_net("1e300", "4"), "n.tntp"); }, {"n.tntp", "line 7", "capacity"});
  expect_error<InvalidInput>([] { parse_tntp_network(pigou_net("1", "400"), "n.tntp"); }, {"n.tntp", "line 7", "power"});
}

TEST(NumericGuards, EveryAlgorithmRefusesOverflowingDemandBeforeSolving) {
  // Past the reader (a demand scaled after reading): the solver entry point refuses it too.
  const Network net = build_network(parse_tntp_network(traffic::testing::kPigouNet, "pigou_net"), {});
  OdDemand demand = build_demand(net, parse_tntp_trips(traffic::testing::kPigouTrips, "pigou_trips"));
  demand.destination_flow[0] = 1e80;
  demand.total = 1e80;
  for (const Algorithm a : kAll) {
    AssignmentOptions o;
    o.algorithm = a;
    expect_error<InvalidInput>([&] { assign(net, demand, o); }, {"OD demand", "trips"});
  }
  demand.destination_flow[0] = std::numeric_limits<double>::quiet_NaN();
  expect_error<InvalidInput>([&] { assign(net, demand, {}); }, {"OD demand"});
}

TEST(NumericGuards, ALinkThatOverflowsAtTheTotalDemandIsRefused) {
  // Each within its bounds, together beyond a double: coef = 1 / (1e-10)^16 = 1e160, and
  // 1e9 trips on the link give 1e160 * (1e9)^16 * 1e9 = 1e313 in the Beckmann term.
  const Network net = build_network(parse_tntp_network(pigou_net("1e-10", "16"), "tiny_capacity"), {});
  const OdDemand demand = build_demand(net, parse_tntp_trips(pigou_trips("1e9"), "pigou_trips"));
  expect_error<InvalidInput>([&] { assign(net, demand, {}); }, {"not finite", "capacity"});
}

TEST(NumericGuards, BoundedInputsStillSolveToTheAnalyticEquilibrium) {
  const Network net = build_network(parse_tntp_network(traffic::testing::kPigouNet, "pigou_net"), {});
  const OdDemand demand = build_demand(net, parse_tntp_trips(traffic::testing::kPigouTrips, "pigou_trips"));
  for (const Algorithm a : kAll) {
    AssignmentOptions o;
    o.algorithm = a;
    o.target_gap = 1e-10;
    const AssignmentResult r = assign(net, demand, o);
    EXPECT_TRUE(r.converged);
    EXPECT_NEAR(r.measures.objective, 5.2, 1e-6);  // Beckmann at x = (2, 1)
  }
}

TEST(NumericGuards, ANaNOrNegativeGapIsNeverConverged) {
  for (const double gap : {std::numeric_limits<double>::quiet_NaN(), -1.0, -1e-6}) {
    AssignmentResult r;
    IterationRecord rec;
    rec.iteration = 1;
    rec.measures.relative_gap = gap;
    EXPECT_TRUE(record_iteration(r, AssignmentOptions{}, rec)) << gap;  // stops
    EXPECT_FALSE(r.converged) << gap;
    EXPECT_THROW(check_assignment_result(r), NumericalFailure) << gap;
  }
  AssignmentResult ok;
  IterationRecord rounding;
  rounding.iteration = 1;
  rounding.measures.relative_gap = -1e-15;  // a few ulps below an exact equilibrium
  EXPECT_TRUE(record_iteration(ok, AssignmentOptions{}, rounding));
  EXPECT_TRUE(ok.converged);
  EXPECT_NO_THROW(check_assignment_result(ok));
}

TEST(NumericGuards, ANonFiniteFlowIsANumericalFailure) {
  AssignmentResult r;
  r.flow = {1.0, std::numeric_limits<double>::infinity()};
  r.cost = {1.0, 1.0};
  EXPECT_THROW(check_assignment_result(r), NumericalFailure);
}
