#include "geo/skims/skim_files.hpp"

#include <fstream>
#include <limits>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "geo/skims/omx_writer.hpp"

namespace citytwin::geo {

namespace {

void check_set(const std::filesystem::path& path, const traffic::SkimSet& set) {
  const auto z = set.zone_ids.size();
  if (z == 0) throw InvalidInput("skims: no zones to write", {.file = path.string()});
  for (const auto& t : set.tables)
    for (const auto& q : traffic::kSkimQuantities)
      if (static_cast<std::size_t>(t.matrices.zones) != z || (t.matrices.*q.values).size() != z * z)
        throw InvalidInput("skims: matrix " + traffic::skim_matrix_name(q, t) + " does not have " + std::to_string(z) + " x " +
                               std::to_string(z) + " zones",
                           {.file = path.string()});
}

std::string description(const traffic::SkimQuantity& q, const traffic::SkimTable& t) {
  std::string d = std::string(q.name) == "time_min"      ? "congested travel time, minutes"
                  : std::string(q.name) == "distance_km" ? "distance, km"
                                                         : "generalised cost = value_of_time_per_h * time_h + cost_per_km * km + toll";
  d += " (shortest paths under the equilibrium link costs";
  if (t.hour) d += ", hour " + std::to_string(*t.hour);
  if (!t.vehicle_class.empty()) d += ", class " + t.vehicle_class;
  return d + ")";
}

}  // namespace

void write_skims_omx(const std::filesystem::path& path, const traffic::SkimSet& set) {
  check_set(path, set);
  OmxContent c;
  c.rows = c.cols = static_cast<std::int32_t>(set.zone_ids.size());
  for (const auto& t : set.tables)
    for (const auto& q : traffic::kSkimQuantities)
      c.matrices.push_back({.name = traffic::skim_matrix_name(q, t),
                            .values = t.matrices.*q.values,
                            .attributes = {{"units", std::string(q.unit)}, {"description", description(q, t)}}});
  c.lookups.push_back({.name = "zone_number", .values = set.zone_ids});
  c.attributes = {{"OMX_CREATED_WITH", std::string("citytwin")},
                  {"value_of_time_per_h", set.parameters.value_of_time_per_h},
                  {"cost_per_km", set.parameters.cost_per_km}};
  write_omx(path, c);
}

void write_skims_csv(const std::filesystem::path& path, const traffic::SkimSet& set) {
  check_set(path, set);
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    if (!out) throw IoError("cannot create the skims CSV", {.file = path.string()});
    out.precision(std::numeric_limits<double>::max_digits10);
    out << "origin,destination,hour,time_min,distance_km,cost\n";
    const std::size_t z = set.zone_ids.size();
    for (const auto& t : set.tables) {
      const std::string hour = t.hour ? std::to_string(*t.hour) : std::string();
      const auto& m = t.matrices;
      for (std::size_t i = 0; i < z; ++i)
        for (std::size_t j = 0; j < z; ++j)
          out << set.zone_ids[i] << ',' << set.zone_ids[j] << ',' << hour << ',' << m.time_min[i * z + j] << ',' << m.distance_km[i * z + j]
              << ',' << m.cost[i * z + j] << '\n';
    }
    out.flush();
    if (!out) throw IoError("cannot write the skims CSV", {.file = path.string()});
  });
}

void write_skims(const std::filesystem::path& path, const traffic::SkimSet& set) {
  const std::string ext = path.extension().string();
  if (ext == ".omx") return write_skims_omx(path, set);
  if (ext == ".csv") return write_skims_csv(path, set);
  throw InvalidInput("skims are written as .omx (Open Matrix) or .csv, not '" + ext + "'", {.file = path.string(), .field = "--skims"});
}

}  // namespace citytwin::geo
