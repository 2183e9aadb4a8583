#pragma once
// "0-23", "7-9", "8,17,18": the hours a command works on.
#include <string>
#include <vector>

namespace citytwin::app {

// Throws InvalidInput for anything outside 0..23 or malformed.
std::vector<int> parse_hours(const std::string& text);

}  // namespace citytwin::app
