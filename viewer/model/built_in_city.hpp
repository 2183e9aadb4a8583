#pragma once
// The viewer's built-in city, shown when no file is given: the same
// generated synthetic city as the README's main job (datasets/synthetic_city,
// seed 1), smaller so that it opens and runs its baseline in about a second.
// It is written as the three departments' layers to a scratch folder and
// imported through its manifest like any other city, so the planner sees
// exactly what `citytwin generate` + `citytwin import` produce.
#include <cstddef>

#include "core/model/twin.hpp"

namespace citytwin::viewer {

inline constexpr std::size_t kBuiltInCityLinks = 4000;

Twin built_in_city(std::size_t target_links = kBuiltInCityLinks);

}  // namespace citytwin::viewer
