#include <gtest/gtest.h>

#include "core/observations/local_hour.hpp"

namespace citytwin::observations {
namespace {

LocalHour parse(const std::string& s) {
  std::string why;
  auto t = parse_local_hour(s, why);
  EXPECT_TRUE(t.has_value()) << s << ": " << why;
  return t.value_or(LocalHour{});
}

TEST(LocalHour, AcceptsTheIsoFormsOfAnHourStart) {
  const LocalHour want{2026, 3, 2, 8};
  for (const char* s : {"2026-03-02T08:00", "2026-03-02T08:00:00", "2026-03-02 08:00", "2026-03-02T08", "2026-03-02T08:00:00.000",
                        " 2026-03-02T08:00 ", "2026-03-02T08:00Z", "2026-03-02T08:00+01:00", "2026-03-02T08:00-0500"})
    EXPECT_EQ(parse(s), want) << s;
}

TEST(LocalHour, RejectsWhatIsNotAnHourStartAndSaysWhy) {
  for (const char* s : {"", "yesterday", "2026-03-02", "2026/03/02 08:00", "2026-3-2T08:00", "2026-03-02T8:00", "2026-03-02T08:00 X"}) {
    std::string why;
    EXPECT_FALSE(parse_local_hour(s, why)) << s;
    EXPECT_NE(why.find("ISO 8601"), std::string::npos) << why;
  }
  std::string why;
  EXPECT_FALSE(parse_local_hour("2026-03-02T08:15", why));
  EXPECT_NE(why.find("not an hour start"), std::string::npos) << why;
  EXPECT_FALSE(parse_local_hour("2026-02-29T08:00", why));  // 2026 is no leap year
  EXPECT_NE(why.find("not a valid date"), std::string::npos) << why;
  EXPECT_FALSE(parse_local_hour("2026-03-02T24:00", why));
  EXPECT_TRUE(parse_local_hour("2024-02-29T23:00", why));
}

TEST(LocalHour, WeekdaysFromTheCalendar) {
  // 1970-01-01 was a Thursday, 2000-01-01 a Saturday, 2026-03-02 a Monday.
  EXPECT_EQ(parse("1970-01-01T00:00").day_number(), 0);
  EXPECT_EQ(parse("1970-01-01T00:00").weekday(), 3);
  EXPECT_EQ(parse("2000-01-01T00:00").weekday(), 5);
  EXPECT_EQ(parse("2000-01-01T00:00").day_type(), DayType::Weekend);
  EXPECT_EQ(parse("2026-03-02T00:00").weekday(), 0);
  EXPECT_EQ(parse("2026-03-08T00:00").day_type(), DayType::Weekend);  // Sunday
  EXPECT_EQ(parse("2026-03-01T00:00").day_number() + 1, parse("2026-03-02T00:00").day_number());
  EXPECT_EQ(parse("2024-03-01T00:00").day_number() - parse("2024-02-28T00:00").day_number(), 2);
}

TEST(LocalHour, DayNumbersRoundTrip) {
  for (std::int64_t d = -800; d < 30000; d += 7) {
    const LocalHour t = local_hour_from_day_number(d, 5);
    EXPECT_EQ(t.day_number(), d);
    std::string why;
    EXPECT_EQ(parse_local_hour(t.iso(), why), t) << t.iso();
  }
}

}  // namespace
}  // namespace citytwin::observations
