#include "core/coupling/given_od.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"
#include "core/traffic/numeric_guards.hpp"
#include "core/traffic/tntp_reader.hpp"

namespace citytwin::coupling {
namespace {

// RFC 4180 fields of one line (quotes around fields, "" inside them).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  for (auto& f : out) {
    const auto b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return out;
}

bool parse_number(const std::string& s, double& v) {
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  return !s.empty() && r.ec == std::errc() && r.ptr == end;
}

GivenOd read_csv(const std::filesystem::path& path, std::ifstream& in, const std::vector<std::string>& zone_names) {
  const std::string file = path.string();
  const std::size_t Z = zone_names.size();
  GivenOd od;
  od.source = file;
  od.format = "csv";
  od.zones = Z;
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t z = 0; z < Z; ++z) by_name.emplace(zone_names[z], z);

  std::string line;
  std::int64_t line_no = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") != std::string::npos) header = csv_fields(line);
  }
  if (header.empty()) throw InvalidInput("the OD file is empty; expected a header origin,destination,hour,trips", {.file = file});
  int col[4] = {-1, -1, -1, -1};
  const char* names[4] = {"origin", "destination", "hour", "trips"};
  for (std::size_t c = 0; c < header.size(); ++c)
    for (int k = 0; k < 4; ++k)
      if (header[c] == names[k]) col[k] = static_cast<int>(c);
  for (int k = 0; k < 4; ++k)
    if (col[k] < 0)
      throw InvalidInput(std::string("the header has no '").append(names[k]).append("' column; expected origin,destination,hour,trips"),
                         {.file = file, .field = names[k], .line = line_no});

  auto zone = [&](const std::string& v, const char* field) -> std::size_t {
    if (auto it = by_name.find(v); it != by_name.end()) return it->second;
    double n = 0;
    if (parse_number(v, n) && n == std::floor(n) && n >= 1 && n <= static_cast<double>(Z)) return static_cast<std::size_t>(n) - 1;
    throw InvalidInput("unknown zone '" + v + "': zones are the twin's district names or numbers 1.." + std::to_string(Z),
                       {.file = file, .field = field, .line = line_no});
  };
  std::unordered_map<std::uint64_t, std::int64_t> seen;  // (hour, i, j) -> line
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto f = csv_fields(line);
    for (int k = 0; k < 4; ++k)
      if (static_cast<std::size_t>(col[k]) >= f.size())
        throw InvalidInput(std::string("the row has no '").append(names[k]).append("' value"), {.file = file, .field = names[k], .line = line_no});
    const std::size_t i = zone(f[col[0]], "origin"), j = zone(f[col[1]], "destination");
    double h = 0, trips = 0;
    if (!parse_number(f[col[2]], h) || h != std::floor(h) || h < 0 || h > 23)
      throw InvalidInput("hour must be a whole hour 0..23, found '" + f[col[2]] + "'", {.file = file, .field = "hour", .line = line_no});
    if (!parse_number(f[col[3]], trips) || !std::isfinite(trips) || trips < 0 || trips > traffic::kMaxOdTrips)
      throw InvalidInput("trips must be a finite number 0 .. 1e9, found '" + f[col[3]] + "'", {.file = file, .field = "trips", .line = line_no});
    const auto hour = static_cast<std::size_t>(h);
    const std::uint64_t key = (static_cast<std::uint64_t>(hour) * Z + i) * Z + j;
    if (auto [it, fresh] = seen.emplace(key, line_no); !fresh)
      throw InvalidInput("origin " + f[col[0]] + ", destination " + f[col[1]] + ", hour " + f[col[2]] + " is given twice (also on line " +
                             std::to_string(it->second) + ")",
                         {.file = file, .field = "trips", .line = line_no});
    ++od.rows;
    if (trips == 0) {
      ++od.zero_rows;
      continue;
    }
    if (i == j) ++od.intrazonal_rows;
    auto& m = od.vehicles[hour];
    if (m.empty()) m.assign(Z * Z, 0.0);
    m[i * Z + j] = trips;
    od.total += trips;
  }
  if (od.rows == 0) throw InvalidInput("the OD file has a header but no rows", {.file = file});
  return od;
}

GivenOd read_tntp(const std::filesystem::path& path, const std::vector<std::string>& zone_names) {
  const traffic::TntpTrips t = traffic::read_tntp_trips(path);
  const std::size_t Z = zone_names.size();
  if (static_cast<std::size_t>(t.zones) != Z)
    throw InvalidInput("the trips file has " + std::to_string(t.zones) + " zones but the twin has " + std::to_string(Z) +
                           " districts (TNTP zones 1..Z are the districts in order)",
                       {.file = path.string(), .field = "<NUMBER OF ZONES>"});
  GivenOd od;
  od.source = path.string();
  od.format = "tntp";
  od.zones = Z;
  std::vector<double> m(Z * Z, 0.0);
  for (const auto& e : t.entries) {
    ++od.rows;
    if (e.flow == 0) {
      ++od.zero_rows;
      continue;
    }
    if (e.origin == e.destination) ++od.intrazonal_rows;
    m[static_cast<std::size_t>(e.origin - 1) * Z + static_cast<std::size_t>(e.destination - 1)] += e.flow;
    od.total += e.flow;
  }
  for (auto& h : od.vehicles) h = m;
  return od;
}

}  // namespace

std::vector<double> GivenOd::hour(int h) const {
  const auto& m = vehicles[static_cast<std::size_t>(h)];
  return m.empty() ? std::vector<double>(zones * zones, 0.0) : m;
}

GivenOd read_given_od(const std::filesystem::path& path, const std::vector<std::string>& zone_names) {
  require_regular_file(path, "the OD file");
  std::ifstream in(path);
  if (!in) throw IoError("cannot open the OD file", {.file = path.string()});
  char first = 0;
  while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
  }
  if (first == '<') return read_tntp(path, zone_names);
  in.clear();
  in.seekg(0);
  return read_csv(path, in, zone_names);
}

}  // namespace citytwin::coupling
