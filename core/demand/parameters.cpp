#include "core/demand/parameters.hpp"

#include <numeric>

namespace citytwin::demand {

const char* purpose_name(int p) {
  switch (p) {
    case HBW: return "home-based work";
    case HBNW: return "home-based other";
    case NHB: return "non-home-based";
  }
  return "?";
}

namespace {
using Day = std::array<double, kHours>;
// Relative weights by hour, normalised below.
constexpr Day kHbwFrom = {0.2, 0.1, 0.1, 0.2, 0.8, 3.0, 9.0, 17.0, 14.0, 6.0, 2.5, 1.5, 1.5, 1.5, 1.2, 1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.2};
constexpr Day kHbwTo = {0.3, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.9, 1.5, 2.5, 2.2, 2.5, 5.5, 10.0, 13.0, 7.5, 3.5, 2.0, 1.5, 1.2, 0.8};
constexpr Day kHbnwFrom = {0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.5, 4.5, 5.0, 5.5, 5.5, 5.0, 4.8, 4.8, 5.0, 5.0, 4.8, 4.5, 3.5, 2.5, 1.5, 0.8, 0.4};
constexpr Day kHbnwTo = {0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 3.5, 4.2, 4.8, 4.8, 4.8, 5.2, 5.8, 6.2, 6.2, 5.2, 4.2, 3.0, 1.8, 1.0};
constexpr Day kNhb = {0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.5, 5.0, 6.0, 7.0, 8.5, 9.5, 9.0, 8.5, 8.5, 8.0, 7.0, 5.0, 3.5, 2.5, 1.8, 1.2, 0.6};

Day scaled(const Day& d, double total) {
  const double s = std::accumulate(d.begin(), d.end(), 0.0);
  Day out{};
  for (int h = 0; h < kHours; ++h) out[h] = d[h] / s * total;
  return out;
}
}  // namespace

const TimeOfDay& default_time_of_day() {
  static const TimeOfDay t = [] {
    TimeOfDay x{};
    x.from_home[HBW] = scaled(kHbwFrom, 0.5);
    x.to_home[HBW] = scaled(kHbwTo, 0.5);
    x.from_home[HBNW] = scaled(kHbnwFrom, 0.5);
    x.to_home[HBNW] = scaled(kHbnwTo, 0.5);
    x.from_home[NHB] = scaled(kNhb, 1.0);
    x.to_home[NHB] = Day{};
    return x;
  }();
  return t;
}

}  // namespace citytwin::demand
