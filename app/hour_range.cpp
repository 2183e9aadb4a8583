#include "app/hour_range.hpp"

#include <algorithm>
#include <sstream>

#include "core/common/errors.hpp"

namespace citytwin::app {

std::vector<int> parse_hours(const std::string& text) {
  std::vector<int> hours;
  std::stringstream ss(text);
  std::string part;
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    int v = -1;
    try {
      v = std::stoi(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used != s.size() || v < 0 || v > 23)
      throw InvalidInput("hours must be 0..23 given as a range (7-9) or a list (8,17): '" + text + "'", {.field = "--hours"});
    return v;
  };
  while (std::getline(ss, part, ',')) {
    const auto dash = part.find('-');
    if (dash == std::string::npos) {
      hours.push_back(number(part));
      continue;
    }
    const int a = number(part.substr(0, dash)), b = number(part.substr(dash + 1));
    if (b < a) throw InvalidInput("hour range runs backwards: '" + part + "'", {.field = "--hours"});
    for (int h = a; h <= b; ++h) hours.push_back(h);
  }
  if (hours.empty()) throw InvalidInput("no hours given", {.field = "--hours"});
  std::sort(hours.begin(), hours.end());
  hours.erase(std::unique(hours.begin(), hours.end()), hours.end());
  return hours;
}

}  // namespace citytwin::app
