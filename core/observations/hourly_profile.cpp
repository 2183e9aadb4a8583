#include "core/observations/hourly_profile.hpp"

#include <algorithm>
#include <stdexcept>

namespace citytwin::observations {

HourlyProfile hourly_profile(const std::vector<HourlyValue>& values, std::size_t element_count) {
  HourlyProfile p(element_count);
  for (const auto& v : values) {
    if (v.element >= element_count || v.time.hour < 0 || v.time.hour > 23)
      throw std::out_of_range("hourly_profile: element or hour out of range");
    ProfileCell& c = p.at(v.element, v.time.day_type(), v.time.hour);
    if (c.days == 0) {
      c.min = c.max = v.value;
    } else {
      c.min = std::min(c.min, v.value);
      c.max = std::max(c.max, v.value);
    }
    // Running mean: exact for the small day counts here, no large sums.
    ++c.days;
    c.mean += (v.value - c.mean) / c.days;
  }
  return p;
}

}  // namespace citytwin::observations
