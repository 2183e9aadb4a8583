#include <gtest/gtest.h>

#include "core/observations/hourly_profile.hpp"

namespace citytwin::observations {
namespace {

TEST(HourlyProfile, WeekdaysAndWeekendsAreAveragedApart) {
  // 2026-03-06 is a Friday, 03-07 Saturday, 03-08 Sunday, 03-09 Monday.
  std::vector<HourlyValue> v = {
      {0, {2026, 3, 6, 8}, 100, 1, ""}, {0, {2026, 3, 9, 8}, 140, 2, ""},   // weekday mean 120 over 2 days
      {0, {2026, 3, 7, 8}, 30, 3, ""},  {0, {2026, 3, 8, 8}, 50, 4, ""},    // weekend mean 40
      {0, {2026, 3, 7, 9}, 60, 5, ""},  {1, {2026, 3, 9, 17}, 7.5, 6, ""},
  };
  const auto p = hourly_profile(v, 2);
  EXPECT_EQ(p.at(0, DayType::Weekday, 8).days, 2u);
  EXPECT_DOUBLE_EQ(p.at(0, DayType::Weekday, 8).mean, 120);
  EXPECT_DOUBLE_EQ(p.at(0, DayType::Weekday, 8).min, 100);
  EXPECT_DOUBLE_EQ(p.at(0, DayType::Weekday, 8).max, 140);
  EXPECT_DOUBLE_EQ(p.at(0, DayType::Weekend, 8).mean, 40);
  EXPECT_EQ(p.at(0, DayType::Weekend, 9).days, 1u);
  EXPECT_EQ(p.at(0, DayType::Weekday, 9).days, 0u);
  EXPECT_DOUBLE_EQ(p.at(1, DayType::Weekday, 17).mean, 7.5);
  EXPECT_THROW(hourly_profile(v, 1), std::out_of_range);
}

}  // namespace
}  // namespace citytwin::observations
