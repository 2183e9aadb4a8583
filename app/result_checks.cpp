#include "app/result_checks.hpp"

#include <cmath>
#include <string>

#include "core/common/errors.hpp"

namespace citytwin::app {

namespace {
void walk(const nlohmann::json& j, const std::string& path) {
  if (j.is_number_float() && !std::isfinite(j.get<double>()))
    throw NumericalFailure("the run produced " + std::to_string(j.get<double>()) + " for " + path +
                               " (numerical failure; check the demand and capacities); nothing was written",
                           {.field = path});
  if (j.is_object())
    for (const auto& [k, v] : j.items()) walk(v, path.empty() ? k : path + "." + k);
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], path + "[" + std::to_string(i) + "]");
}
}  // namespace

void require_finite_summary(const nlohmann::json& summary) { walk(summary, ""); }

}  // namespace citytwin::app
