// bench_calibration: ODME (core/calibration, Spiess 1990) on Chicago-Sketch
// with counts on a fifth of the links. The "true" matrix is the TNTP one with
// a seeded growth factor per origin and per destination (0.7..1.4); its
// equilibrium flows with 1 % noise are the counts; ODME starts from the TNTP
// matrix. Time is the estimation's (network, trips and truth prepared once).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/calibration/odme.hpp"
#include "core/common/parallel.hpp"
#include "core/observations/fit_statistics.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/support/test_seed.hpp"

namespace tr = citytwin::traffic;
namespace cal = citytwin::calibration;

namespace {

struct Case {
  tr::Network net;
  std::vector<double> prior;                 // Z x Z
  std::vector<double> true_flow;             // file order
  std::vector<cal::LinkCount> counts;
  std::vector<std::int32_t> held_out;
};

std::vector<double> equilibrium(const tr::Network& net, const std::vector<double>& od) {
  const auto Z = static_cast<std::size_t>(net.zone_count);
  tr::TntpTrips trips;
  trips.zones = net.zone_count;
  for (std::size_t k = 0; k < od.size(); ++k)
    if (od[k] > 0) trips.entries.push_back({static_cast<std::int32_t>(k / Z + 1), static_cast<std::int32_t>(k % Z + 1), od[k], 0});
  tr::AssignmentOptions a;
  a.target_gap = 1e-6;
  const tr::AssignmentResult r = tr::assign(net, tr::build_demand(net, trips), a);
  std::vector<double> file(r.flow.size());
  for (std::size_t p = 0; p < file.size(); ++p) file[p] = r.flow[static_cast<std::size_t>(net.internal_link[p])];
  return file;
}

const Case& chicago() {
  static const Case c = [] {
    const std::string dir = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/Chicago-Sketch/";
    Case out;
    out.net = tr::build_network(tr::read_tntp_network(dir + "ChicagoSketch_net.tntp"), {0.02, 0.04});
    const auto Z = static_cast<std::size_t>(out.net.zone_count);
    out.prior.assign(Z * Z, 0.0);
    for (const auto& e : tr::read_tntp_trips(dir + "ChicagoSketch_trips.tntp").entries)
      out.prior[static_cast<std::size_t>(e.origin - 1) * Z + static_cast<std::size_t>(e.destination - 1)] += e.flow;
    std::mt19937_64 rng(citytwin::testing::test_seed(1));
    std::uniform_real_distribution<double> growth(0.7, 1.4);
    std::normal_distribution<double> noise(0.0, 0.01);
    std::vector<double> a(Z), b(Z);
    for (std::size_t z = 0; z < Z; ++z) a[z] = growth(rng), b[z] = growth(rng);
    std::vector<double> truth = out.prior;
    for (std::size_t i = 0; i < Z; ++i)
      for (std::size_t j = 0; j < Z; ++j) truth[i * Z + j] *= a[i] * b[j];
    out.true_flow = equilibrium(out.net, truth);
    std::vector<std::int32_t> links(static_cast<std::size_t>(out.net.link_count));
    std::iota(links.begin(), links.end(), 0);
    std::shuffle(links.begin(), links.end(), rng);
    const std::size_t used = links.size() / 5;
    for (std::size_t k = 0; k < links.size(); ++k) {
      const auto l = static_cast<std::size_t>(links[k]);
      if (k < used) out.counts.push_back({links[k], std::max(0.0, out.true_flow[l] * (1 + noise(rng))), 1.0});
      else out.held_out.push_back(links[k]);
    }
    return out;
  }();
  return c;
}

// range(0): outer iterations; range(1): inner gap 10^-range(1); range(2): threads.
void BM_ChicagoOdme(benchmark::State& state) {
  const Case& c = chicago();
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(2)));
  cal::OdmeOptions o;
  o.max_iterations = static_cast<int>(state.range(0));
  o.tolerance = 0;
  o.assignment.target_gap = std::pow(10.0, -static_cast<double>(state.range(1)));
  cal::OdmeResult r;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = cal::estimate_od(c.net, c.prior, c.counts, o);
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::vector<double> observed, before, after;
  for (const auto& k : c.counts) {
    observed.push_back(k.vehicles);
    before.push_back(r.prior_flow[static_cast<std::size_t>(k.link)]);
    after.push_back(r.flow[static_cast<std::size_t>(k.link)]);
  }
  double sq_before = 0, sq_after = 0;
  for (const std::int32_t l : c.held_out) {
    const auto a = static_cast<std::size_t>(l);
    sq_before += (r.prior_flow[a] - c.true_flow[a]) * (r.prior_flow[a] - c.true_flow[a]);
    sq_after += (r.flow[a] - c.true_flow[a]) * (r.flow[a] - c.true_flow[a]);
  }
  const double n = static_cast<double>(c.held_out.size());
  int assignments = 0;
  for (const auto& it : r.trace) assignments += 1 + it.halvings;
  state.counters["counts"] = static_cast<double>(c.counts.size());
  state.counters["iterations"] = static_cast<double>(r.trace.size() - 1);
  state.counters["assignments"] = assignments;
  state.counters["geh5_before"] = citytwin::observations::flow_fit(before, observed).share_geh_below_5;
  state.counters["geh5_after"] = citytwin::observations::flow_fit(after, observed).share_geh_below_5;
  state.counters["objective_ratio"] = r.trace.back().objective / r.trace.front().objective;
  state.counters["heldout_rmse_before"] = std::sqrt(sq_before / n);
  state.counters["heldout_rmse_after"] = std::sqrt(sq_after / n);
}
BENCHMARK(BM_ChicagoOdme)
    ->Args({10, 4, 1})
    ->Args({10, 4, 2})
    ->Args({10, 6, 2})
    ->ArgNames({"iterations", "gap_exp", "threads"})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
