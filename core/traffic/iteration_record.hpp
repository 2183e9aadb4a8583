#pragma once
// The per-iteration bookkeeping and stopping test every assignment solver
// shares (Frank-Wolfe family, Algorithm B).
#include "core/traffic/assignment.hpp"
#include "core/traffic/numeric_guards.hpp"

namespace citytwin::traffic {

// Appends `record` (iteration k's measures) to the result's trace, measures
// and iteration count, reports it through options.on_iteration, and says
// whether the solver stops here: at the target gap (result.converged set), or
// at the iteration or time limit.
inline bool record_iteration(AssignmentResult& result, const AssignmentOptions& options, const IterationRecord& record) {
  result.trace.push_back(record);
  result.measures = record.measures;
  result.iterations = record.iteration;
  if (options.on_iteration) options.on_iteration(record);
  // A NaN or negative gap is never "converged": stop, and let assign() report the numerical failure.
  if (!gap_is_valid(record.measures.relative_gap)) return true;
  if (record.measures.relative_gap <= options.target_gap) {
    result.converged = true;
    return true;
  }
  return record.iteration >= options.max_iterations || record.seconds >= options.max_seconds;
}

}  // namespace citytwin::traffic
