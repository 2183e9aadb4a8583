#pragma once
// The time stamp of an hourly observation: an ISO 8601 hour start in local
// clock time ("2026-03-02T08:00", "2026-03-02 08:00:00", "2026-03-02T08").
// Observations are grouped by hour of day and day type, so only the calendar
// date and the clock hour matter; a trailing "Z" or "+01:00" is accepted and
// the clock time is taken as written (the producer's local time).
#include <cstdint>
#include <optional>
#include <string>

namespace citytwin::observations {

enum class DayType : std::uint8_t { Weekday, Weekend };
const char* day_type_name(DayType d);  // "weekday", "weekend"
bool parse_day_type(const std::string& text, DayType& out);

struct LocalHour {
  int year = 0, month = 0, day = 0, hour = 0;

  // Days since 1970-01-01 (proleptic Gregorian): consecutive dates differ by 1.
  std::int64_t day_number() const;
  int weekday() const;  // 0 = Monday .. 6 = Sunday
  // Saturdays and Sundays are weekend days (public holidays are not known).
  DayType day_type() const { return weekday() >= 5 ? DayType::Weekend : DayType::Weekday; }
  std::string iso() const;  // "YYYY-MM-DDTHH:00"
  auto operator<=>(const LocalHour&) const = default;
};

// The parsed time, or nullopt with `why` saying what is wrong (not a date,
// month 13, minutes not zero: not an hour start, ...).
std::optional<LocalHour> parse_local_hour(const std::string& text, std::string& why);

// The date `days` after 1970-01-01 at `hour`.
LocalHour local_hour_from_day_number(std::int64_t days, int hour);

}  // namespace citytwin::observations
