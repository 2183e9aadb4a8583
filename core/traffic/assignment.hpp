#pragma once
// Static user-equilibrium traffic assignment: one entry point over the
// link-based (Frank-Wolfe family) and bush-based (Algorithm B) solvers.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/traffic/convergence.hpp"
#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::traffic {

enum class Algorithm {
  frank_wolfe,            // fw: all-or-nothing direction, exact line search
  conjugate_frank_wolfe,  // cfw: Mitradjieva & Lindberg (2013)
  biconjugate_frank_wolfe,  // bfw: Mitradjieva & Lindberg (2013)
  bush,                   // Algorithm B (Dial 2006): origin-based bushes, Newton flow shifts
};

// The one spelling <-> enum table (CLI options, scenario files, reports).
struct AlgorithmName {
  const char* name;
  Algorithm algorithm;
};
inline constexpr AlgorithmName kAlgorithmNames[] = {{"bush", Algorithm::bush},
                                                     {"bfw", Algorithm::biconjugate_frank_wolfe},
                                                     {"cfw", Algorithm::conjugate_frank_wolfe},
                                                     {"fw", Algorithm::frank_wolfe}};
Algorithm parse_algorithm(const std::string& name);  // "fw", "cfw", "bfw", "bush"
std::string algorithm_name(Algorithm algorithm);

struct IterationRecord {
  std::int32_t iteration = 0;
  double seconds = 0;  // since the solver started (setup included)
  GapMeasures measures;
};

// The bush solver's final state (per origin: bush links, order and flows),
// kept to warm-start the next solve of the same network and demand with
// different link cost coefficients (a coupled hour's re-assignment after
// signals go dark). Opaque outside the solver.
struct BushState;

struct AssignmentOptions {
  Algorithm algorithm = Algorithm::bush;
  double target_gap = 1e-6;  // stop when the relative gap is at or below this
  std::int32_t max_iterations = 10000;
  double max_seconds = std::numeric_limits<double>::infinity();
  // Called after every iteration (for progress output and gap traces).
  std::function<void(const IterationRecord&)> on_iteration;
  // Algorithm B only: start from these bushes when they were solved on a
  // network with the same nodes and links and for the same demand (else, and
  // for the other algorithms, a cold start); keep_bushes returns the final ones.
  std::shared_ptr<const BushState> warm_start;
  bool keep_bushes = false;
  // With take_warm_start, when warm_start is the state's only owner (the
  // caller moved it in), the solver moves the bushes out instead of copying
  // them (one set alive instead of two) and leaves the state empty: a later
  // warm start from it is a cold start. A shared state is always copied.
  bool take_warm_start = false;
};

// Algorithm B's storage (zeros for the other algorithms), at its largest over
// the solve's iterations: the bushes grow as zones x bush size, the rest with
// the network alone. Bytes are allocated capacity, not just what is in use.
struct BushMemory {
  std::int64_t origins = 0;
  std::int64_t bush_links = 0;     // summed over the origins' bushes
  std::int64_t bush_bytes = 0;     // the bushes: link ids, flows and per-bush headers
  std::int64_t network_bytes = 0;  // per-link and per-node arrays and scratch, independent of the zones
  double bytes_per_origin() const { return origins > 0 ? static_cast<double>(bush_bytes) / static_cast<double>(origins) : 0.0; }
  double bytes_per_bush_link() const {
    return bush_links > 0 ? static_cast<double>(bush_bytes) / static_cast<double>(bush_links) : 0.0;
  }
};

struct AssignmentResult {
  std::vector<double> flow;  // internal link order
  std::vector<double> cost;  // generalised cost at `flow`
  std::vector<IterationRecord> trace;
  GapMeasures measures;      // at the returned flows
  std::int32_t iterations = 0;
  double seconds = 0;
  bool converged = false;
  bool warm_started = false;
  std::shared_ptr<const BushState> bushes;  // with keep_bushes
  BushMemory bush_memory;                   // Algorithm B only
};

AssignmentResult assign(const Network& net, const OdDemand& demand, const AssignmentOptions& options);

// The solvers (assign() dispatches to them).
AssignmentResult solve_frank_wolfe(const Network& net, const OdDemand& demand, const AssignmentOptions& options);
AssignmentResult solve_bush(const Network& net, const OdDemand& demand, const AssignmentOptions& options);

}  // namespace citytwin::traffic
