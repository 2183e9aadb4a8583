#include "core/observations/quality.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <map>
#include <tuple>

namespace citytwin::observations {

const char* finding_name(Finding f) {
  switch (f) {
    case Finding::Duplicate: return "duplicate";
    case Finding::NonFinite: return "non-finite";
    case Finding::Negative: return "negative";
    case Finding::Implausible: return "implausible";
    case Finding::Gap: return "gap";
    case Finding::Count: break;
  }
  return "unknown";
}

namespace {
std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

CheckedSeries check_series(std::vector<HourlyValue> values, const QualityOptions& options, const std::vector<std::string>& name) {
  CheckedSeries out;
  QualityReport& rep = out.report;
  auto element_name = [&](std::uint32_t e) {
    if (e < name.size()) return name[e];
    std::string s = "element ";  // appended, not "#" + to_string: GCC 12 warns falsely (-Wrestrict) on that
    s += std::to_string(e);
    return s;
  };
  auto add = [&](Finding kind, const HourlyValue& v, std::string detail, double value, std::int64_t n = 1) {
    rep.issues.push_back({kind, v.element, v.time, v.row, value, element_name(v.element) + " at " + v.time.iso() + ": " + std::move(detail)});
    rep.counts[static_cast<std::size_t>(kind)] += n;
  };
  // Source order decides which of two duplicates is kept: the first one read.
  std::stable_sort(values.begin(), values.end(), [](const HourlyValue& a, const HourlyValue& b) {
    return std::tie(a.element, a.time, a.part) < std::tie(b.element, b.time, b.part);
  });
  // Stage 1, per part: duplicates, non-finite, negative.
  std::vector<HourlyValue> kept;
  kept.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const HourlyValue& v = values[i];
    if (i > 0 && values[i - 1].element == v.element && values[i - 1].time == v.time && values[i - 1].part == v.part) {
      std::size_t first = i - 1;
      while (first > 0 && values[first - 1].element == v.element && values[first - 1].time == v.time && values[first - 1].part == v.part) --first;
      add(Finding::Duplicate, v, "repeats row " + std::to_string(values[first].row) + (v.part.empty() ? "" : " (class " + v.part + ")") +
                                     "; the first row is kept",
          v.value);
      continue;
    }
    if (!std::isfinite(v.value)) {
      add(Finding::NonFinite, v, "value is NaN or infinite", v.value);
      continue;
    }
    if (v.value < 0 && !options.allow_negative) {
      add(Finding::Negative, v, "negative value " + fmt(v.value), v.value);
      continue;
    }
    kept.push_back(v);
  }
  // Stage 2, per element-hour: sum the parts, then the plausibility limit.
  // An element-hour with any part excluded in stage 1 is excluded whole
  // (a partial sum would under-count).
  std::map<std::pair<std::uint32_t, LocalHour>, bool> spoiled;
  for (const auto& issue : rep.issues)
    if (issue.kind != Finding::Duplicate) spoiled[{issue.element, issue.time}] = true;
  std::vector<HourlyValue> totals;
  for (const auto& v : kept) {
    if (spoiled.count({v.element, v.time})) continue;
    if (!totals.empty() && totals.back().element == v.element && totals.back().time == v.time) {
      totals.back().value += v.value;
    } else {
      totals.push_back(v);
      totals.back().part.clear();
    }
  }
  std::map<std::pair<std::uint32_t, LocalHour>, bool> seen;
  for (const auto& v : values) seen[{v.element, v.time}] = true;
  rep.values_in = static_cast<std::int64_t>(seen.size());
  for (const auto& v : totals) {
    const double limit = v.element < options.upper_limit.size() ? options.upper_limit[v.element] : std::numeric_limits<double>::quiet_NaN();
    if (std::isfinite(limit) && v.value > limit) {
      add(Finding::Implausible, v, fmt(v.value) + " is above " + options.limit_rule + " (" + fmt(limit) + ")", v.value);
      continue;
    }
    out.used.push_back(v);
  }
  rep.values_used = static_cast<std::int64_t>(out.used.size());

  // Gaps: on each date an element reports at all, every expected hour of day.
  std::array<bool, 24> expected = options.expected_hours;
  if (!options.expected_hours_given)
    for (const auto& v : values)
      if (v.time.hour >= 0 && v.time.hour < 24) expected[static_cast<std::size_t>(v.time.hour)] = true;
  const int per_hour_of_day = static_cast<int>(std::count(expected.begin(), expected.end(), true));
  // A data set of weekdays only does not miss its weekends.
  std::array<bool, 2> day_types{};
  for (const auto& v : values) day_types[static_cast<std::size_t>(v.time.day_type())] = true;
  std::map<std::uint32_t, std::map<std::int64_t, std::array<bool, 24>>> present;  // element -> date -> hours
  for (const auto& v : values) present[v.element][v.time.day_number()][static_cast<std::size_t>(v.time.hour)] = true;
  for (const auto& [element, dates] : present) {
    const std::int64_t first = dates.begin()->first, last = dates.rbegin()->first;
    std::int64_t missing = 0;
    std::optional<LocalHour> first_missing;
    std::int64_t expected_total = 0;
    for (std::int64_t d = first; d <= last; ++d) {
      if (!day_types[static_cast<std::size_t>(local_hour_from_day_number(d, 0).day_type())]) continue;
      expected_total += per_hour_of_day;
      auto it = dates.find(d);
      for (int h = 0; h < 24; ++h) {
        if (!expected[static_cast<std::size_t>(h)] || (it != dates.end() && it->second[static_cast<std::size_t>(h)])) continue;
        ++missing;
        if (!first_missing) first_missing = local_hour_from_day_number(d, h);
      }
    }
    if (missing == 0) continue;
    HourlyValue at{element, *first_missing, 0, 0, ""};
    add(Finding::Gap, at,
        std::to_string(missing) + " of " + std::to_string(expected_total) + " expected hours missing between " +
            local_hour_from_day_number(first, 0).iso().substr(0, 10) + " and " + local_hour_from_day_number(last, 0).iso().substr(0, 10),
        static_cast<double>(missing), missing);
  }
  return out;
}

}  // namespace citytwin::observations
