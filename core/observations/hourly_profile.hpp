#pragma once
// Several days of hourly observations grouped into one hour-of-day profile
// per element, weekdays and weekends kept apart: the mean of each hour over
// the days that have it, and how many days that is.
#include <array>
#include <cstdint>
#include <vector>

#include "core/observations/quality.hpp"

namespace citytwin::observations {

struct ProfileCell {
  double mean = 0, min = 0, max = 0;
  std::uint32_t days = 0;  // 0: no observation for this hour
};

class HourlyProfile {
 public:
  explicit HourlyProfile(std::size_t elements = 0) : cells_(elements) {}
  std::size_t elements() const { return cells_.size(); }
  const ProfileCell& at(std::uint32_t element, DayType day, int hour) const {
    return cells_[element][static_cast<std::size_t>(day)][static_cast<std::size_t>(hour)];
  }
  ProfileCell& at(std::uint32_t element, DayType day, int hour) {
    return cells_[element][static_cast<std::size_t>(day)][static_cast<std::size_t>(hour)];
  }

 private:
  std::vector<std::array<std::array<ProfileCell, 24>, 2>> cells_;
};

// `values`: one per (element, hour) (check_series' `used`); elements must be < element_count.
HourlyProfile hourly_profile(const std::vector<HourlyValue>& values, std::size_t element_count);

}  // namespace citytwin::observations
