// ODME (Spiess 1990): small networks whose counts pin the answer down by hand,
// recovery of a perturbed Sioux Falls matrix from counts on a fifth of its
// links, and bad input.
#include "core/calibration/odme.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/observations/fit_statistics.hpp"
#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::calibration {
namespace {

using testing::expect_error;

// Zones 1 and 2 drive to zone 3 through node 4: links 1->4, 2->4, 4->3 (file
// positions 0, 1, 2). Every pair has one path, so route shares are 0 or 1.
const std::string kMergeNet = R"(<NUMBER OF ZONES> 3
<NUMBER OF NODES> 4
<FIRST THRU NODE> 4
<NUMBER OF LINKS> 3
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
1 4 1000 1 1 0.15 4 0 0 1 ;
2 4 1000 1 1 0.15 4 0 0 1 ;
4 3 1000 1 1 0.15 4 0 0 1 ;
)";

traffic::Network merge_network() { return traffic::build_network(traffic::parse_tntp_network(kMergeNet, "merge"), {}); }

// Prior g13 = g23 = 100 (cells 0*3+2 and 1*3+2).
std::vector<double> merge_prior() {
  std::vector<double> g(9, 0.0);
  g[2] = 100;
  g[5] = 100;
  return g;
}

void expect_non_increasing(const OdmeResult& r) {
  for (std::size_t k = 1; k < r.trace.size(); ++k) EXPECT_LE(r.trace[k].objective, r.trace[k - 1].objective) << "iteration " << k;
}

// One count on the first pair's own link: the first step is exact. By hand:
// dZ/dg13 = 100 - 150 = -50, d13 = 100 * 50 = 5000, v' = 5000 on link 1->4,
// lambda* = 5000 * 50 / 5000^2 = 0.01, g13 = 100 + 0.01 * 5000 = 150; g23 has
// no counted link on its path, so a zero gradient: it keeps its prior.
TEST(Odme, OneCountOnAPairsOwnLinkIsMatchedInOneStep) {
  const traffic::Network net = merge_network();
  const OdmeResult r = estimate_od(net, merge_prior(), {{0, 150.0, 1.0}});
  ASSERT_GE(r.trace.size(), 2u);
  EXPECT_NEAR(r.trace[1].step, 0.01, 1e-12);
  EXPECT_NEAR(r.od[2], 150.0, 1e-9);
  EXPECT_EQ(r.od[5], 100.0);
  EXPECT_NEAR(r.flow[0], 150.0, 1e-6);
  EXPECT_NEAR(r.trace.back().objective, 0.0, 1e-12);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.cells_adjusted, 1);
}

// Counts on 1->4 (120) and 4->3 (300) have one exact answer: g13 = 120,
// g23 = 300 - 120 = 180 (both inside [0.2, 5] x 100); the gradient method
// approaches it iteratively. Every other cell is zero and stays zero.
TEST(Odme, TwoCountsPinDownTwoPairs) {
  const traffic::Network net = merge_network();
  OdmeOptions o;
  o.max_iterations = 200;
  o.tolerance = 0;
  const OdmeResult r = estimate_od(net, merge_prior(), {{0, 120.0, 1.0}, {2, 300.0, 1.0}}, o);
  EXPECT_NEAR(r.od[2], 120.0, 0.5);
  EXPECT_NEAR(r.od[5], 180.0, 0.5);
  for (std::size_t k : {0u, 1u, 3u, 4u, 6u, 7u, 8u}) EXPECT_EQ(r.od[k], 0.0) << "cell " << k;
  EXPECT_LT(r.trace.back().objective, 1e-3 * r.trace.front().objective);
  expect_non_increasing(r);
}

// A count that would need the cell beyond its upper bound: the cell stops at
// 5 x its prior (500) and is reported at the bound; with lower 0.5 and a count of
// 10 it stops at 50.
TEST(Odme, CellsStayWithinTheirBounds) {
  const traffic::Network net = merge_network();
  OdmeOptions o;
  o.max_iterations = 50;
  const OdmeResult up = estimate_od(net, merge_prior(), {{0, 1000.0, 1.0}}, o);
  EXPECT_NEAR(up.od[2], 500.0, 1e-9);
  EXPECT_EQ(up.cells_at_upper, 1);
  expect_non_increasing(up);
  o.lower_factor = 0.5;
  const OdmeResult down = estimate_od(net, merge_prior(), {{0, 10.0, 1.0}}, o);
  EXPECT_NEAR(down.od[2], 50.0, 1e-9);
  EXPECT_EQ(down.cells_at_lower, 1);
  EXPECT_EQ(down.od[5], 100.0);
}

// With a regularisation weight mu the one-pair problem has the closed form
// min ½ (g - 150)² + ½ mu (g - 100)²  =>  g = (150 + 100 mu) / (1 + mu).
TEST(Odme, RegularisationPullsTowardThePrior) {
  const traffic::Network net = merge_network();
  OdmeOptions o;
  o.prior_weight = 1.0;
  o.max_iterations = 200;
  o.tolerance = 0;
  const OdmeResult r = estimate_od(net, merge_prior(), {{0, 150.0, 1.0}}, o);
  EXPECT_NEAR(r.od[2], 125.0, 1e-3);
  expect_non_increasing(r);
}

std::string tntp(const std::string& file) { return std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/" + file; }

struct SiouxFalls {
  traffic::Network net;
  std::vector<double> trips;  // 24 x 24
};

const SiouxFalls& sioux_falls() {
  static const SiouxFalls s = [] {
    SiouxFalls out{traffic::build_network(traffic::read_tntp_network(tntp("SiouxFalls/SiouxFalls_net.tntp")), {}), {}};
    const traffic::TntpTrips t = traffic::read_tntp_trips(tntp("SiouxFalls/SiouxFalls_trips.tntp"));
    out.trips.assign(24 * 24, 0.0);
    for (const auto& e : t.entries) out.trips[static_cast<std::size_t>((e.origin - 1) * 24 + e.destination - 1)] += e.flow;
    return out;
  }();
  return s;
}

std::vector<double> equilibrium_flows(const traffic::Network& net, const std::vector<double>& od) {
  traffic::TntpTrips trips;
  trips.zones = net.zone_count;
  for (std::size_t k = 0; k < od.size(); ++k)
    if (od[k] > 0) trips.entries.push_back({static_cast<std::int32_t>(k / 24 + 1), static_cast<std::int32_t>(k % 24 + 1), od[k], 0});
  traffic::AssignmentOptions a;
  a.target_gap = 1e-8;
  const traffic::AssignmentResult r = traffic::assign(net, traffic::build_demand(net, trips), a);
  std::vector<double> file(r.flow.size());
  for (std::size_t p = 0; p < file.size(); ++p) file[p] = r.flow[static_cast<std::size_t>(net.internal_link[p])];
  return file;
}

// One recovery run: the "true" matrix is the TNTP one times a growth factor
// per origin and one per destination (each 0.7..1.4, "uneven district
// growth") and a lognormal factor per cell (sigma 0.1); its equilibrium flows
// on 16 of the 76 links (a fifth), with 1 % noise, are the counts; ODME starts
// from the unperturbed TNTP matrix with four positive cells set to zero (the
// truth keeps them: the gradient asks for them, yet they must stay zero).
struct Recovery {
  observations::FlowFit used_before, used_after;
  double held_sq_before = 0, held_sq_after = 0;  // sums of squared errors on the 60 held-out links
  std::size_t held_geh_before = 0, held_geh_after = 0;
};

Recovery recover(std::uint64_t seed) {
  const SiouxFalls& sf = sioux_falls();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> zone_factor(0.7, 1.4);
  std::normal_distribution<double> cell(0.0, 0.1), noise(0.0, 0.01);
  std::vector<double> origin(24), destination(24);
  for (std::size_t z = 0; z < 24; ++z) origin[z] = zone_factor(rng), destination[z] = zone_factor(rng);
  std::vector<double> truth = sf.trips;
  for (std::size_t i = 0; i < 24; ++i)
    for (std::size_t j = 0; j < 24; ++j) truth[i * 24 + j] *= origin[i] * destination[j] * std::exp(cell(rng));
  std::vector<double> prior = sf.trips;
  for (std::size_t k : {0 * 24 + 9, 5 * 24 + 15, 11 * 24 + 2, 20 * 24 + 23}) {
    EXPECT_GT(prior[k], 0);
    prior[k] = 0;
  }
  const std::vector<double> true_flow = equilibrium_flows(sf.net, truth);

  std::vector<std::int32_t> links(76);
  std::iota(links.begin(), links.end(), 0);
  std::shuffle(links.begin(), links.end(), rng);
  const std::size_t used = 16;
  std::vector<LinkCount> counts;
  for (std::size_t k = 0; k < used; ++k) counts.push_back({links[k], true_flow[static_cast<std::size_t>(links[k])] * (1 + noise(rng)), 1.0});

  const OdmeOptions o;
  const OdmeResult r = estimate_od(sf.net, prior, counts, o);

  Recovery out;
  std::vector<double> observed, before, after;
  for (const LinkCount& c : counts) {
    observed.push_back(c.vehicles);
    before.push_back(r.prior_flow[static_cast<std::size_t>(c.link)]);
    after.push_back(r.flow[static_cast<std::size_t>(c.link)]);
  }
  out.used_before = observations::flow_fit(before, observed);
  out.used_after = observations::flow_fit(after, observed);
  for (std::size_t k = used; k < links.size(); ++k) {
    const auto a = static_cast<std::size_t>(links[k]);
    out.held_sq_before += (r.prior_flow[a] - true_flow[a]) * (r.prior_flow[a] - true_flow[a]);
    out.held_sq_after += (r.flow[a] - true_flow[a]) * (r.flow[a] - true_flow[a]);
    out.held_geh_before += observations::geh(r.prior_flow[a], true_flow[a]) < 5;
    out.held_geh_after += observations::geh(r.flow[a], true_flow[a]) < 5;
  }
  std::printf("seed %llu: used counts GEH<5 %zu -> %zu of %zu; held out RMSE %.0f -> %.0f veh/h, GEH<5 %zu -> %zu of 60; "
              "objective %.3g -> %.3g in %zu iterations (%s)\n",
              static_cast<unsigned long long>(seed), out.used_before.geh_below_5, out.used_after.geh_below_5, out.used_after.n,
              std::sqrt(out.held_sq_before / 60), std::sqrt(out.held_sq_after / 60), out.held_geh_before, out.held_geh_after,
              r.trace.front().objective, r.trace.back().objective, r.trace.size() - 1, r.stop_reason.c_str());

  expect_non_increasing(r);
  for (std::size_t k = 0; k < prior.size(); ++k) {
    if (prior[k] == 0) {
      EXPECT_EQ(r.od[k], 0.0) << "cell " << k;
      continue;
    }
    EXPECT_GE(r.od[k], o.lower_factor * prior[k] * (1 - 1e-12)) << "cell " << k;
    EXPECT_LE(r.od[k], o.upper_factor * prior[k] * (1 + 1e-12)) << "cell " << k;
  }
  return out;
}

// Five recoveries (seeds s..s+4). Each must take the used counts from below
// the GEH target to GEH < 5 on at least 85 % of them. What 16 counts say
// about some 500 cells varies from draw to draw (one draw whose prior is already
// close can lose a little on the held-out links: seed 1, RMSE 1038 -> 1232),
// so the held-out improvement is asserted over the five together: RMSE
// pooled over their 300 held-out links at least 15 % lower, and more of them
// with GEH < 5.
// Measured with the default seeds 1..5 (30 iterations each, 60 ms in all):
// used counts GEH<5 7, 3, 0, 1, 4 -> 16 of 16 in every run; held out, pooled:
// RMSE 2532 -> 1813 veh/h (-28 %), GEH<5 on 71 -> 122 of 300 links. Over 27 groups
// of five seeds (first seeds 1, 6, 11, ..., 131) the pooled change ranged -20 % .. -46 %.
TEST(Odme, RecoversPerturbedSiouxFallsMatricesFromAFifthOfTheLinks) {
  const std::uint64_t first = testing::test_seed(1);
  SCOPED_TRACE(testing::seed_note(first));
  double sq_before = 0, sq_after = 0;
  std::size_t geh_before = 0, geh_after = 0;
  for (std::uint64_t seed = first; seed < first + 5; ++seed) {
    SCOPED_TRACE("run with seed " + std::to_string(seed));
    const Recovery r = recover(seed);
    EXPECT_LT(r.used_before.share_geh_below_5, 0.85);
    EXPECT_GE(r.used_after.share_geh_below_5, 0.85);
    sq_before += r.held_sq_before, sq_after += r.held_sq_after;
    geh_before += r.held_geh_before, geh_after += r.held_geh_after;
  }
  const double rmse_before = std::sqrt(sq_before / 300), rmse_after = std::sqrt(sq_after / 300);
  std::printf("held out, pooled: RMSE %.0f -> %.0f veh/h (%+.0f %%), GEH<5 %zu -> %zu of 300\n", rmse_before, rmse_after,
              100 * (rmse_after / rmse_before - 1), geh_before, geh_after);
  EXPECT_LT(rmse_after, 0.85 * rmse_before);
  EXPECT_GT(geh_after, geh_before);
}

TEST(Odme, BadCountsAreRefusedNamingTheCount) {
  const SiouxFalls& sf = sioux_falls();
  const auto run = [&](std::vector<LinkCount> counts) { return [&sf, counts] { estimate_od(sf.net, sf.trips, counts); }; };
  expect_error<InvalidInput>(run({{3, 100, 1}, {76, 100, 1}}), {"link 76", "outside the network", "feature 1", "'link'"});
  expect_error<InvalidInput>(run({{-1, 100, 1}}), {"link -1", "outside the network"});
  expect_error<InvalidInput>(run({{5, -3, 1}}), {"link 5", "-3", "'vehicles'"});
  expect_error<InvalidInput>(run({{5, std::numeric_limits<double>::quiet_NaN(), 1}}), {"link 5", "NaN", "'vehicles'"});
  expect_error<InvalidInput>(run({{5, std::numeric_limits<double>::infinity(), 1}}), {"link 5", "'vehicles'"});
  expect_error<InvalidInput>(run({{5, 100, 0}}), {"link 5", "weight", "'weight'"});
  expect_error<InvalidInput>(run({{5, 100, 1}, {5, 120, 1}}), {"link 5", "counted twice"});
}

TEST(Odme, BadPriorAndOptionsAreRefused) {
  const SiouxFalls& sf = sioux_falls();
  expect_error<InvalidInput>([&] { estimate_od(sf.net, std::vector<double>(10, 1.0), {}); }, {"10 cells", "576"});
  std::vector<double> bad = sf.trips;
  bad[24 + 2] = -1;
  expect_error<InvalidInput>([&] { estimate_od(sf.net, bad, {}); }, {"cell 2 -> 3", "prior OD matrix"});
  OdmeOptions o;
  o.lower_factor = 1.5;
  expect_error<InvalidInput>([&] { estimate_od(sf.net, sf.trips, {}, o); }, {"lower_factor"});
  o = {};
  o.upper_factor = std::numeric_limits<double>::quiet_NaN();
  expect_error<InvalidInput>([&] { estimate_od(sf.net, sf.trips, {}, o); }, {"upper_factor"});
}

// Without counts nothing moves: the prior comes back with its own equilibrium.
TEST(Odme, NoCountsReturnsThePrior) {
  const SiouxFalls& sf = sioux_falls();
  const OdmeResult r = estimate_od(sf.net, sf.trips, {});
  EXPECT_EQ(r.od, sf.trips);
  EXPECT_EQ(r.stop_reason, "no counts");
  EXPECT_EQ(r.prior_flow, r.flow);
}

}  // namespace
}  // namespace citytwin::calibration
