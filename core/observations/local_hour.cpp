#include "core/observations/local_hour.hpp"

#include <cctype>
#include <cstdio>

namespace citytwin::observations {

const char* day_type_name(DayType d) { return d == DayType::Weekend ? "weekend" : "weekday"; }

bool parse_day_type(const std::string& text, DayType& out) {
  if (text == "weekday") out = DayType::Weekday;
  else if (text == "weekend") out = DayType::Weekend;
  else return false;
  return true;
}

namespace {
// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Reads exactly `n` digits at s[pos].
bool digits(const std::string& s, std::size_t& pos, int n, int& out) {
  out = 0;
  for (int i = 0; i < n; ++i, ++pos) {
    if (pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos]))) return false;
    out = out * 10 + (s[pos] - '0');
  }
  return true;
}
}  // namespace

std::int64_t LocalHour::day_number() const { return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)); }

int LocalHour::weekday() const {
  const std::int64_t z = day_number();  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(((z % 7) + 7 + 3) % 7);
}

std::string LocalHour::iso() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00", year, month, day, hour);
  return buf;
}

LocalHour local_hour_from_day_number(std::int64_t z, int hour) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d), hour};
}

std::optional<LocalHour> parse_local_hour(const std::string& raw, std::string& why) {
  std::size_t b = 0, e = raw.size();
  while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
  const std::string s = raw.substr(b, e - b);
  why = "expected an ISO 8601 hour start such as 2026-03-02T08:00, found '" + raw + "'";
  LocalHour t;
  std::size_t p = 0;
  if (!digits(s, p, 4, t.year) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, t.month) || p >= s.size() || s[p++] != '-' ||
      !digits(s, p, 2, t.day))
    return std::nullopt;
  if (p >= s.size() || (s[p] != 'T' && s[p] != ' ')) return std::nullopt;
  ++p;
  if (!digits(s, p, 2, t.hour)) return std::nullopt;
  int minute = 0, second = 0;
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!digits(s, p, 2, minute)) return std::nullopt;
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!digits(s, p, 2, second)) return std::nullopt;
      if (p < s.size() && s[p] == '.') {  // fractional seconds must be zero too
        ++p;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])))
          if (s[p++] != '0') second = 1;
      }
    }
  }
  if (p < s.size()) {  // a zone designator: Z, +hh, +hh:mm, +hhmm
    if (s[p] == 'Z' && p + 1 == s.size()) {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      ++p;
      int zh = 0, zm = 0;
      if (!digits(s, p, 2, zh)) return std::nullopt;
      if (p < s.size() && s[p] == ':') ++p;
      if (p < s.size() && !digits(s, p, 2, zm)) return std::nullopt;
      if (zh > 23 || zm > 59) return std::nullopt;
    }
    if (p != s.size()) return std::nullopt;
  }
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) || t.hour > 23 || minute > 59 || second > 59) {
    why = "'" + raw + "' is not a valid date and hour";
    return std::nullopt;
  }
  if (minute != 0 || second != 0) {
    why = "'" + raw + "' is not an hour start (minutes and seconds must be zero: counts are per hour)";
    return std::nullopt;
  }
  return t;
}

}  // namespace citytwin::observations
