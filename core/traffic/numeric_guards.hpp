#pragma once
// Bounds on what the assignment solvers are given and what they return.
// Demand of 1e80 trips overflowed the BPR powers (Algorithm B corrupted its
// heap; the Frank-Wolfe family reported "converged" at a relative gap of -1),
// so inputs are checked to be finite and bounded before a solve, and every
// result is checked to be finite after it.
#include <cmath>

#include "core/traffic/assignment.hpp"

namespace citytwin::traffic {

// Largest accepted values. Far above any city (a whole country makes ~1e9
// trips a day) yet small enough that x^p of the BPR function stays finite.
inline constexpr double kMaxOdTrips = 1e9;         // one OD pair, one period
inline constexpr double kMaxTotalDemand = 1e12;    // all pairs together
inline constexpr double kMaxLinkCapacity = 1e9;    // veh/h
inline constexpr double kMaxBprPower = 16;
inline constexpr double kMaxBprB = 1e3;
inline constexpr double kMaxLinkTime = 1e9;        // free-flow time, any unit
inline constexpr double kMaxLinkLength = 1e9;
inline constexpr double kMaxToll = 1e9;
// A relative gap is never below 0 (TSTT >= SPTT); rounding at an exact
// equilibrium gives a few ulps below. Anything lower is a numerical failure.
inline constexpr double kNegativeGapRounding = -1e-9;

// Throws InvalidInput when the demand is not finite or exceeds the bounds, or when a link's cost or Beckmann
// term would not be finite even at the whole demand on that one link.
void check_assignment_inputs(const Network& net, const OdDemand& demand);

// Throws NumericalFailure when a flow, cost or gap measure is not finite or
// the relative gap is negative beyond rounding.
void check_assignment_result(const AssignmentResult& result);

// True when a relative gap is a valid measure (finite and not negative beyond rounding).
inline bool gap_is_valid(double relative_gap) { return relative_gap >= kNegativeGapRounding && relative_gap < HUGE_VAL; }

}  // namespace citytwin::traffic
