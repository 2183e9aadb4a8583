#include "geo/import/line_defaults.hpp"

#include <array>
#include <cmath>

namespace citytwin::geo {

namespace {
struct Row {
  double kv;
  LineTypeDefaults overhead, cable;
};
// Order-of-magnitude values from standard conductor tables (e.g. 243-AL1/39 at
// 110 kV, 3x1x630 XLPE at 110 kV); the rating is per circuit.
constexpr std::array<Row, 6> kTable = {{
    {11, {0.30, 0.35, 10, 8}, {0.16, 0.10, 350, 7}},
    {20, {0.30, 0.35, 10, 14}, {0.16, 0.11, 300, 12}},
    {33, {0.20, 0.35, 10, 30}, {0.10, 0.11, 280, 25}},
    {110, {0.12, 0.39, 9.5, 130}, {0.03, 0.12, 250, 150}},
    {220, {0.08, 0.40, 9.0, 490}, {0.02, 0.13, 210, 400}},
    {380, {0.03, 0.26, 13.5, 1700}, {0.01, 0.12, 190, 1000}},
}};
}  // namespace

LineTypeDefaults line_defaults(double kv, bool cable) {
  const Row* best = &kTable[0];
  for (const Row& r : kTable)
    if (std::abs(std::log(r.kv / kv)) < std::abs(std::log(best->kv / kv))) best = &r;
  return cable ? best->cable : best->overhead;
}

}  // namespace citytwin::geo
