#pragma once
// What a run says a meter or a counter would have measured, per element, so
// observations and the model are compared like with like.
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::observations {

// Active power drawn through each substation: the load of its own energised
// buses (what a substation meter reads; an infeed's pass-through to other
// substations is not its own load). Size: substation_count.
std::vector<double> substation_p_mw(const PowerGrid& grid, const coupling::HourResult& hour);

// Flow magnitude on each branch (loading % of its rating; the results keep
// no sign). Size: branch_count.
std::vector<double> branch_flow_mw(const PowerGrid& grid, const coupling::HourResult& hour);

// Bearing of the polyline at the point nearest `p`, degrees clockwise from
// north in [0, 360), from its direction of drawing (from -> to); `distance`
// gets the distance to it. NaN for a polyline of fewer than two distinct points.
double polyline_bearing_at(const LineColumn& lines, std::size_t i, Point2 p, double* distance = nullptr);

// Smallest absolute difference of two bearings, in [0, 180].
double bearing_difference(double a_deg, double b_deg);

}  // namespace citytwin::observations
