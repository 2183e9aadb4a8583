// N-1 screening (PTDF / LODF) against brute force: each outage solved again
// as a fresh DC power flow with the branch out of service.
#include <gtest/gtest.h>

#include <cmath>

#include "core/common/parallel.hpp"
#include "core/grid/contingency.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

using test::case_path;

struct BruteForce {
  bool islanding = false;
  double max_loading = 0;
};

BruteForce brute_force(const PowerCase& pc, std::size_t k) {
  PowerCase out = pc;
  out.branches[k].in_service = false;
  const Network base_net = build_network(pc);
  PowerFlowOptions options;
  options.network.deenergise_unsupplied_islands = true;
  const Network net = build_network(out, options.network);
  BruteForce bf;
  bf.islanding = net.islands.count != base_net.islands.count || !net.islands.deenergised.empty();
  if (bf.islanding) return bf;
  const PowerFlowResult r = solve_dc(out, options);
  for (std::size_t l = 0; l < pc.branches.size(); ++l) {
    if (l == k || !(pc.branches[l].rate_a > 0)) continue;
    bf.max_loading = std::max(bf.max_loading, 100.0 * std::abs(r.pf[l]) / pc.branches[l].rate_a);
  }
  return bf;
}

void expect_matches_brute_force(const PowerCase& pc, const ContingencyReport& report, std::size_t stride) {
  for (std::size_t i = 0; i < report.outages.size(); i += stride) {
    const OutageResult& out = report.outages[i];
    const BruteForce bf = brute_force(pc, out.branch);
    EXPECT_EQ(out.islanding, bf.islanding) << "branch row " << out.branch + 1;
    if (!bf.islanding) {
      EXPECT_NEAR(out.max_loading_percent, bf.max_loading, 1e-7) << "branch row " << out.branch + 1;
    }
  }
}

TEST(Contingency, Case30MatchesBruteForce) {
  const PowerCase pc = read_matpower(case_path("case30"));
  ContingencyOptions options;
  options.ac_confirm = 3;
  const ContingencyReport report = screen_n_minus_1(pc, options);
  ASSERT_EQ(report.outages.size(), pc.branches.size());
  EXPECT_GT(report.islanding_outages, 0u);  // e.g. 9-11 and 12-13 feed single generator buses
  expect_matches_brute_force(pc, report, 1);
  ASSERT_EQ(report.ac.size(), 3u);
  for (const AcConfirmation& c : report.ac) {
    EXPECT_EQ(c.status, SolveStatus::converged);
    // The warm-started, pattern-reusing AC solve equals a fresh solve of the modified case.
    PowerCase out = pc;
    out.branches[c.branch].in_service = false;
    const PowerFlowResult fresh = solve_ac(out);
    ASSERT_TRUE(fresh.converged());
    double worst = 0;
    for (std::size_t l = 0; l < pc.branches.size(); ++l) {
      if (l != c.branch && pc.branches[l].rate_a > 0) worst = std::max(worst, fresh.loading_percent(pc, l));
    }
    EXPECT_NEAR(c.max_loading_percent, worst, 1e-5) << "outage row " << c.branch + 1;
  }
  // The ranking is worst first.
  for (std::size_t r = 1; r < report.ranking.size(); ++r) {
    EXPECT_GE(report.outages[report.ranking[r - 1]].max_loading_percent,
              report.outages[report.ranking[r]].max_loading_percent);
  }
}

TEST(Contingency, Case2869PegaseSampleMatchesBruteForceAndThreadsAgree) {
  const PowerCase pc = read_matpower(case_path("case2869pegase"));
  ContingencyOptions options;
  options.ac_confirm = 2;
  ContingencyReport one, two;
  {
    ThreadLimit limit(1);
    one = screen_n_minus_1(pc, options);
  }
  {
    ThreadLimit limit(2);
    two = screen_n_minus_1(pc, options);
  }
  ASSERT_EQ(one.outages.size(), 4582u);
  EXPECT_EQ(one.overloading_outages, two.overloading_outages);
  EXPECT_EQ(one.islanding_outages, two.islanding_outages);
  for (std::size_t i = 0; i < one.outages.size(); ++i) {
    EXPECT_EQ(one.outages[i].max_loading_percent, two.outages[i].max_loading_percent);  // deterministic
  }
  expect_matches_brute_force(pc, one, 229);  // 21 outages spread over the case
  for (const AcConfirmation& c : one.ac) EXPECT_EQ(c.status, SolveStatus::converged);
}

}  // namespace
}  // namespace citytwin::grid
