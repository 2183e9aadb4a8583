#pragma once
// Quality checks on hourly observation series before anything uses them:
// duplicates, non-finite and negative values, implausible values (above a
// per-element limit, e.g. 3x the matched link's hourly capacity) and gaps.
// Every finding is counted and listed with its element, hour and source row;
// the values behind a finding are excluded from what is returned, never
// silently used.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/observations/local_hour.hpp"

namespace citytwin::observations {

// One hourly value of one element (count station, substation, branch,
// charging station); `part` splits an element-hour into parts that are
// summed (vehicle classes), "" when there is one value per hour.
struct HourlyValue {
  std::uint32_t element = 0;
  LocalHour time;
  double value = 0;
  std::int64_t row = 0;
  std::string part;
};

enum class Finding : std::uint8_t { Duplicate, NonFinite, Negative, Implausible, Gap, Count };
const char* finding_name(Finding f);  // "duplicate", "non-finite", "negative", "implausible", "gap"

struct QualityIssue {
  Finding kind = Finding::Duplicate;
  std::uint32_t element = 0;
  LocalHour time;          // gaps: the first missing hour
  std::int64_t row = 0;    // source row of the excluded value (gaps: 0)
  double value = 0;        // the excluded value; gaps: the number of missing hours
  std::string detail;
};

struct QualityReport {
  std::vector<QualityIssue> issues;
  std::array<std::int64_t, static_cast<std::size_t>(Finding::Count)> counts{};  // values (gaps: missing hours)
  std::int64_t values_in = 0, values_used = 0;  // element-hours after summing parts
  std::int64_t count(Finding f) const { return counts[static_cast<std::size_t>(f)]; }
};

struct QualityOptions {
  // Per element: values above this are implausible (NaN or missing: no limit).
  std::vector<double> upper_limit;
  std::string limit_rule = "the element's limit";  // said in the finding
  // Negative values are errors for counts and energy, but a substation with
  // local generation may export (negative P).
  bool allow_negative = false;
  // Hours of day an element is expected to report on every date between its
  // first and last (dates of a day type absent from the whole series, e.g.
  // weekends in weekday data, are not expected); default: every hour of day
  // that occurs anywhere in the series.
  std::array<bool, 24> expected_hours{};
  bool expected_hours_given = false;
};

struct CheckedSeries {
  std::vector<HourlyValue> used;  // one per (element, hour), parts summed, sorted by (element, time)
  QualityReport report;
};

// `name` names an element in the findings' text.
CheckedSeries check_series(std::vector<HourlyValue> values, const QualityOptions& options,
                           const std::vector<std::string>& name);

}  // namespace citytwin::observations
