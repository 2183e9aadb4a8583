// libFuzzer target: a TNTP trips file (*_trips.tntp) on the Sioux Falls
// network, read and assigned as `citytwin assign` does, with a few iterations
// of Algorithm B and of Frank-Wolfe. A run that reports convergence must have
// a finite, non-negative gap (issue 18: a NaN or negative gap is never
// "converged"); -1e-12 allows for rounding, as an exact equilibrium gives
// relative gaps near -2e-16.
#include <cmath>
#include <cstdio>

#include "core/traffic/assignment.hpp"
#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

namespace {

const traffic::Network& sioux_falls() {
  static const traffic::Network net = traffic::build_network(
      traffic::read_tntp_network(std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/SiouxFalls/SiouxFalls_net.tntp"), {});
  return net;
}

void check(const traffic::AssignmentResult& r, const char* algorithm) {
  const double gap = r.measures.relative_gap;
  if (r.converged && !(std::isfinite(gap) && gap >= -1e-12)) {
    char value[32];
    std::snprintf(value, sizeof value, "%.17g", gap);
    fuzz::crash("converged with an impossible gap", std::string(algorithm) + ", relative gap " + value);
  }
  for (double f : r.flow)
    if (!std::isfinite(f)) fuzz::crash("non-finite link flow reported", algorithm);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sioux_falls();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_only_citytwin_errors([&] {
    const traffic::TntpTrips trips = traffic::parse_tntp_trips(std::string(fuzz::as_text(data, size)), "fuzz_trips.tntp");
    const traffic::OdDemand demand = traffic::build_demand(sioux_falls(), trips);
    for (const auto algorithm : {traffic::Algorithm::bush, traffic::Algorithm::frank_wolfe}) {
      traffic::AssignmentOptions o;
      o.algorithm = algorithm;
      o.max_iterations = 3;
      check(traffic::assign(sioux_falls(), demand, o), traffic::algorithm_name(algorithm).c_str());
    }
  });
  return 0;
}
