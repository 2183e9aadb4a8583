#pragma once
// The hourly citywide totals (HourTotals) described once: every writer and
// reader of totals (the summary JSON and hours.csv, the results GeoPackage's
// `hours` table, the Python totals dict) loops over kHourTotalFields, so a new
// total is one line here plus its computation in simulate().
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "core/coupling/simulation.hpp"

namespace citytwin::coupling {

// Where a total appears. Older totals were never written to every output;
// they keep the outputs they had so files stay the same. New totals: kAll.
enum TotalOutput : std::uint8_t {
  kJson = 1,     // summary JSON, per hour ("hours") and, with a DayTotal, per day ("totals")
  kCsv = 2,      // <out>.hours.csv
  kGpkg = 4,     // the results GeoPackage's `hours` table (read back by geo::read_results)
  kPython = 8,   // citytwin.run(...)["totals"]
  kAll = kJson | kCsv | kGpkg | kPython,
};

// How the summary JSON folds the hours into a day total.
enum class DayTotal : std::uint8_t { None, Sum, Max, All };

using TotalMember = std::variant<double HourTotals::*, int HourTotals::*, bool HourTotals::*>;

struct TotalField {
  std::string_view name;  // column / key
  TotalMember member;
  std::string_view unit;
  std::string_view doc;
  std::uint8_t outputs = kAll;
  DayTotal day = DayTotal::None;
  std::string_view json_name = {};  // the JSON key where it differs from `name`

  std::string_view json_key() const { return json_name.empty() ? name : json_name; }
  bool in(TotalOutput o) const { return (outputs & o) != 0; }
  // The value as a double (int and bool exactly; bool as 0 / 1).
  double value(const HourTotals& t) const;
  // Sets the member from a double (rounded for int, != 0 for bool).
  void set(HourTotals& t, double v) const;
};

// In the column order of the GeoPackage `hours` table.
std::span<const TotalField> hour_total_fields();

// The columns of hours.csv before totals were listed once, in their order;
// the other CSV totals follow them in hour_total_fields() order.
std::span<const std::string_view> legacy_csv_total_order();

}  // namespace citytwin::coupling
