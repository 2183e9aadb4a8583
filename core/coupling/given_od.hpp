#pragma once
// Vehicle OD matrices given by the analyst instead of the districts' gravity
// model (issue 4: "OD matrices can also be given"):
//  - CSV with a header naming the columns origin, destination, hour, trips
//    (any order, other columns ignored): vehicle trips starting in that hour;
//    zones are district names, or zone numbers 1..Z where no district has that
//    name. Pairs missing from the file have no trips.
//  - a TNTP trips file (`<NUMBER OF ZONES>` header; zones 1..Z are the twin's
//    districts in order): one hour's matrix, used for every simulated hour, as
//    the TNTP test networks are peak-hour matrices.
// Errors name the file, line and field; zero rows are counted, not kept.
#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/demand/parameters.hpp"

namespace citytwin::coupling {

struct GivenOd {
  std::string source;        // the file, for reports
  std::string format;        // "csv" or "tntp"
  std::size_t zones = 0;
  std::array<std::vector<double>, demand::kHours> vehicles;  // Z x Z per hour, row-major; empty: no trips that hour
  double total = 0;          // vehicle trips over all hours (a TNTP matrix counts once)
  std::int64_t rows = 0;     // entries read
  std::int64_t zero_rows = 0;
  std::int64_t intrazonal_rows = 0;  // kept: the assignment counts and skips them

  // Vehicles of hour h (Z x Z, zeros if the file has none for that hour).
  std::vector<double> hour(int h) const;
};

// Reads either format (TNTP when the file starts with a `<` metadata tag).
// zone_names: the twin's district names in zone order.
GivenOd read_given_od(const std::filesystem::path& path, const std::vector<std::string>& zone_names);

}  // namespace citytwin::coupling
