#pragma once
// The last guard before results are published: every number of a run's
// summary must be finite (a NaN demand once went out as "converged").
#include <nlohmann/json.hpp>

namespace citytwin::app {

// Throws NumericalFailure naming the first non-finite entry (e.g. "hours[3].delay_hours").
void require_finite_summary(const nlohmann::json& summary);

}  // namespace citytwin::app
