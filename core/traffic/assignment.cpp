#include "core/traffic/assignment.hpp"

#include "core/common/errors.hpp"
#include "core/traffic/numeric_guards.hpp"

namespace citytwin::traffic {

Algorithm parse_algorithm(const std::string& name) {
  if (name == "fw") return Algorithm::frank_wolfe;
  if (name == "cfw") return Algorithm::conjugate_frank_wolfe;
  if (name == "bfw") return Algorithm::biconjugate_frank_wolfe;
  if (name == "bush") return Algorithm::bush;
  throw InvalidInput("unknown assignment algorithm '" + name + "' (use fw, cfw, bfw or bush)");
}

std::string algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::frank_wolfe: return "fw";
    case Algorithm::conjugate_frank_wolfe: return "cfw";
    case Algorithm::biconjugate_frank_wolfe: return "bfw";
    case Algorithm::bush: return "bush";
  }
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
