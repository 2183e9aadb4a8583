#include <gtest/gtest.h>

#include <cmath>

#include "core/observations/quality.hpp"

namespace citytwin::observations {
namespace {

HourlyValue value(std::uint32_t element, int day, int hour, double v, std::int64_t row, std::string part = "") {
  return {element, {2026, 3, day, hour}, v, row, std::move(part)};
}

TEST(Quality, CleanSeriesPassesWhole) {
  std::vector<HourlyValue> in;
  for (int d = 2; d <= 3; ++d)
    for (int h = 7; h <= 9; ++h) in.push_back(value(0, d, h, 100 + h, d * 10 + h));
  const auto r = check_series(in, {}, {"A"});
  EXPECT_EQ(r.used.size(), 6u);
  EXPECT_TRUE(r.report.issues.empty());
  EXPECT_EQ(r.report.values_in, 6);
  EXPECT_EQ(r.report.values_used, 6);
}

TEST(Quality, EachProblemIsCountedNamedAndExcluded) {
  std::vector<HourlyValue> in = {
      value(0, 2, 7, 100, 1), value(0, 2, 8, 120, 2), value(0, 2, 8, 999, 3),  // duplicate: row 3 repeats row 2
      value(0, 2, 9, -5, 4),                                                  // negative
      value(1, 2, 7, 5000, 5),                                                // implausible (limit 3 x 1000)
      value(1, 2, 8, NAN, 6),                                                 // non-finite
      value(1, 2, 9, 700, 7),
  };
  QualityOptions o;
  o.upper_limit = {3000, 3000};
  o.limit_rule = "3 x the matched link's hourly capacity";
  const auto r = check_series(in, o, {"north", "south"});
  ASSERT_EQ(r.used.size(), 3u);
  EXPECT_EQ(r.used[0].value, 100);
  EXPECT_EQ(r.used[1].value, 120);  // the first of the duplicates is kept
  EXPECT_EQ(r.used[2].value, 700);
  EXPECT_EQ(r.report.count(Finding::Duplicate), 1);
  EXPECT_EQ(r.report.count(Finding::Negative), 1);
  EXPECT_EQ(r.report.count(Finding::Implausible), 1);
  EXPECT_EQ(r.report.count(Finding::NonFinite), 1);
  EXPECT_EQ(r.report.count(Finding::Gap), 0);
  EXPECT_EQ(r.report.values_in, 6);
  EXPECT_EQ(r.report.values_used, 3);
  bool saw_duplicate = false, saw_limit = false;
  for (const auto& i : r.report.issues) {
    if (i.kind == Finding::Duplicate) {
      saw_duplicate = true;
      EXPECT_EQ(i.row, 3);
      EXPECT_NE(i.detail.find("north at 2026-03-02T08:00: repeats row 2"), std::string::npos) << i.detail;
    }
    if (i.kind == Finding::Implausible) {
      saw_limit = true;
      EXPECT_EQ(i.row, 5);
      EXPECT_NE(i.detail.find("3 x the matched link's hourly capacity (3000)"), std::string::npos) << i.detail;
    }
  }
  EXPECT_TRUE(saw_duplicate && saw_limit);
}

TEST(Quality, NegativeAllowedForMeters) {
  QualityOptions o;
  o.allow_negative = true;
  const auto r = check_series({value(0, 2, 12, -3.5, 1)}, o, {"S1"});
  ASSERT_EQ(r.used.size(), 1u);
  EXPECT_EQ(r.used[0].value, -3.5);
}

TEST(Quality, ClassesAreSummedAndAPartialHourIsExcludedWhole) {
  std::vector<HourlyValue> in = {value(0, 2, 8, 90, 1, "car"), value(0, 2, 8, 10, 2, "hgv"),    // 100
                                 value(0, 2, 9, 80, 3, "car"), value(0, 2, 9, -1, 4, "hgv")};   // spoiled
  const auto r = check_series(in, {}, {"A"});
  ASSERT_EQ(r.used.size(), 1u);
  EXPECT_EQ(r.used[0].value, 100);
  EXPECT_EQ(r.used[0].time.hour, 8);
  EXPECT_EQ(r.report.count(Finding::Negative), 1);
  // The implausibility limit applies to the sum of the classes.
  QualityOptions o;
  o.upper_limit = {95};
  const auto r2 = check_series({value(0, 2, 8, 90, 1, "car"), value(0, 2, 8, 10, 2, "hgv")}, o, {"A"});
  EXPECT_TRUE(r2.used.empty());
  EXPECT_EQ(r2.report.count(Finding::Implausible), 1);
}

TEST(Quality, GapsCountMissingHoursOnAndBetweenReportingDates) {
  // Hours 7-9 are reported somewhere; station A misses hour 8 on the 2nd and
  // the whole 3rd (3 hours), reports again on the 4th: 4 missing of 9.
  std::vector<HourlyValue> in = {value(0, 2, 7, 1, 1), value(0, 2, 9, 1, 2), value(0, 4, 7, 1, 3), value(0, 4, 8, 1, 4),
                                 value(0, 4, 9, 1, 5), value(1, 2, 8, 1, 6)};
  const auto r = check_series(in, {}, {"A", "B"});
  EXPECT_EQ(r.report.count(Finding::Gap), 4 + 2);  // B reports only hour 8 on its one date
  ASSERT_EQ(r.report.issues.size(), 2u);
  const auto& a = r.report.issues[0];
  EXPECT_EQ(a.element, 0u);
  EXPECT_EQ(a.value, 4);
  EXPECT_EQ(a.time, (LocalHour{2026, 3, 2, 8}));
  EXPECT_NE(a.detail.find("4 of 9 expected hours missing between 2026-03-02 and 2026-03-04"), std::string::npos) << a.detail;
  // Gaps are findings, not exclusions: every value reported is still used.
  EXPECT_EQ(r.used.size(), 6u);
  // Stated expectations override the inferred ones.
  QualityOptions o;
  o.expected_hours_given = true;
  o.expected_hours[8] = true;
  EXPECT_EQ(check_series(in, o, {"A", "B"}).report.count(Finding::Gap), 2);  // A: hour 8 on the 2nd and 3rd
}

TEST(Quality, WeekdayOnlyDataDoesNotMissItsWeekends) {
  // Monday 2 March to Friday 13 March 2026, hour 8, weekdays only: no gap.
  std::vector<HourlyValue> in;
  for (int d = 2; d <= 13; ++d)
    if (LocalHour{2026, 3, d, 8}.day_type() == DayType::Weekday) in.push_back(value(0, d, 8, 1, d));
  ASSERT_EQ(in.size(), 10u);
  EXPECT_EQ(check_series(in, {}, {"A"}).report.count(Finding::Gap), 0);
  // With one Saturday in the data, the other weekend days are expected too.
  in.push_back(value(1, 7, 8, 1, 99));
  const auto r = check_series(in, {}, {"A", "B"});
  EXPECT_EQ(r.report.count(Finding::Gap), 2);  // A misses Saturday 7th and Sunday 8th
}

}  // namespace
}  // namespace citytwin::observations
