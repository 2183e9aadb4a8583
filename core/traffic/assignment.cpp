#include "core/traffic/assignment.hpp"

#include "core/common/errors.hpp"
#include "core/traffic/numeric_guards.hpp"

namespace citytwin::traffic {

Algorithm parse_algorithm(const std::string& name) {
  for (const auto& a : kAlgorithmNames)
    if (name == a.name) return a.algorithm;
  throw InvalidInput("unknown assignment algorithm '" + name + "' (use fw, cfw, bfw or bush)");
}

std::string algorithm_name(Algorithm algorithm) {
  for (const auto& a : kAlgorithmNames)
    if (algorithm == a.algorithm) return a.name;
  return "?";
}

AssignmentResult assign(const Network& net, const OdDemand& demand, const AssignmentOptions& options) {
  if (!(options.target_gap >= 0)) throw InvalidInput("the target gap must be a non-negative number");
  check_assignment_inputs(net, demand);
  AssignmentResult result =
      options.algorithm == Algorithm::bush ? solve_bush(net, demand, options) : solve_frank_wolfe(net, demand, options);
  check_assignment_result(result);
  return result;
}

}  // namespace citytwin::traffic
