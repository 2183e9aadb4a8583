#include "geo/observations/observation_csv.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "geo/gdal/crs.hpp"

namespace citytwin::geo {

namespace {
// A CSV field, quoted when it holds a separator, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_text(const std::filesystem::path& csv, const std::string& text) {
  write_atomically(csv, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) throw IoError("cannot write", {.file = tmp.string()});
  });
}
}  // namespace

void write_counts_csv(const Twin& twin, const std::vector<observations::TrafficCount>& counts, const std::filesystem::path& csv) {
  auto twin_crs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "the twin's CRS");
  auto to_wgs84 = make_transform(*twin_crs, *parse_crs("EPSG:4326", "WGS 84"));
  std::string text = "station,lon,lat,bearing,time,vehicles\n";
  char buf[160];
  for (const auto& c : counts) {
    Point2 p = c.position;
    if (!transform_point(*to_wgs84, p)) throw InvalidInput("station position cannot be expressed in lon/lat", {.file = csv.string(), .field = c.station});
    std::string bearing;
    if (c.bearing_deg) {
      std::snprintf(buf, sizeof buf, "%.2f", *c.bearing_deg);
      bearing = buf;
    }
    std::snprintf(buf, sizeof buf, ",%.8f,%.8f,", p.x, p.y);
    text += csv_field(c.station) + buf + bearing + "," + c.time.iso() + ",";
    std::snprintf(buf, sizeof buf, "%.10g\n", c.vehicles);
    text += buf;
  }
  write_text(csv, text);
}

void write_loads_csv(const Twin& twin, const std::vector<observations::GridMeasurement>& loads, const std::filesystem::path& csv) {
  const bool with_q = std::any_of(loads.begin(), loads.end(), [](const auto& m) { return m.q_mvar.has_value(); });
  std::string text = with_q ? "substation,time,p_mw,q_mvar\n" : "substation,time,p_mw\n";
  char buf[96];
  for (const auto& m : loads) {
    if (m.element >= twin.grid.substation_count()) throw InvalidInput("substation id " + std::to_string(m.element) + " is not in the twin");
    std::snprintf(buf, sizeof buf, ",%.10g", m.p_mw);
    text += csv_field(twin.grid.substation_name[m.element]) + "," + m.time.iso() + buf;
    if (with_q) {
      if (m.q_mvar) std::snprintf(buf, sizeof buf, ",%.10g", *m.q_mvar);
      else std::snprintf(buf, sizeof buf, ",");
      text += buf;
    }
    text += "\n";
  }
  write_text(csv, text);
}

}  // namespace citytwin::geo
