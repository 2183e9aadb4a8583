#include "geo/observations/observation_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "core/common/errors.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/gdal/vector_reader.hpp"

namespace citytwin::geo {

namespace obs = citytwin::observations;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool is_csv(const std::string& source) { return lower(std::filesystem::path(source).extension().string()) == ".csv"; }

// The source's column names, and whether its layer has geometry (opened
// once up front, so a missing column fails before any row is read).
struct LayerColumns {
  std::vector<std::string> names;
  bool has_geometry = false;
};

LayerColumns layer_columns(const LayerSpec& spec) {
  DatasetPtr ds = open_vector(spec.source);
  OGRLayer* layer = nullptr;
  if (!spec.sql.empty()) {
    layer = ds->ExecuteSQL(spec.sql.c_str(), nullptr, nullptr);
    if (!layer) throw InvalidInput("SQL statement failed: " + last_gdal_error(), {.file = spec.source, .layer = spec.display_layer()});
  } else if (!spec.layer.empty()) {
    layer = &require_layer(*ds, spec.source, spec.layer);
  } else {
    if (ds->GetLayerCount() != 1)
      throw InvalidInput("the data source has " + std::to_string(ds->GetLayerCount()) + " layers; name one with 'layer'", {.file = spec.source});
    layer = ds->GetLayer(0);
  }
  LayerColumns c;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i) c.names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
  c.has_geometry = defn->GetGeomFieldCount() > 0 && !is_csv(spec.source);
  if (!spec.sql.empty()) ds->ReleaseResultSet(layer);
  return c;
}

// Maps every wanted attribute that the source has (by mapping or by its
// default name) and fails naming the first required one it lacks.
LayerSpec resolve_columns(LayerSpec spec, const LayerColumns& columns, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional) {
  auto find = [&](const std::string& name) -> const std::string* {
    for (const auto& c : columns.names)
      if (lower(c) == lower(name)) return &c;
    return nullptr;
  };
  auto list = [&] {
    std::string s;
    for (const auto& c : columns.names) s += (s.empty() ? "" : ", ") + c;
    return s.empty() ? std::string("no columns") : s;
  };
  for (const auto& attr : required) {
    if (spec.field(attr)) continue;  // mapped: LayerReader checks that it exists
    const std::string* c = find(attr);
    if (!c)
      throw InvalidInput("missing column '" + attr + "' (or map another column to it with fields." + attr + " = \"...\" in an observation manifest); the layer has: " + list(),
                         {.file = spec.source, .layer = spec.display_layer(), .field = attr});
    spec.fields[attr] = *c;
  }
  for (const auto& attr : optional)
    if (!spec.field(attr))
      if (const std::string* c = find(attr)) spec.fields[attr] = *c;
  return spec;
}

// A LayerReader whose locations say "line N" for CSV files and whose
// required values fail with the column named.
class Rows {
 public:
  explicit Rows(const LayerSpec& spec) : reader_(spec), csv_(is_csv(spec.source)) {}
  LayerReader& reader() { return reader_; }
  bool next() { return reader_.next(); }
  std::int64_t row() const { return csv_ ? reader_.fid() + 1 : reader_.fid(); }
  SourceLocation where(const std::string& attribute) const {
    SourceLocation loc = reader_.where(attribute);
    if (csv_) {
      loc.line = reader_.fid() + 1;  // OGR numbers CSV data rows from 1, after the header line
      loc.feature.reset();
      loc.layer.clear();             // a CSV file's one layer is the file
    }
    return loc;
  }
  [[noreturn]] void fail(const std::string& attribute, const std::string& message) const { throw InvalidInput(message, where(attribute)); }

  std::optional<double> number(const std::string& attribute) const {
    try {
      return reader_.number(attribute);
    } catch (const InvalidInput& e) {
      fail(attribute, e.message());
    }
  }
  double required_number(const std::string& attribute) const {
    auto v = number(attribute);
    if (!v) fail(attribute, "value is empty");
    return *v;
  }
  std::string required_text(const std::string& attribute) const {
    auto v = reader_.text(attribute);
    if (!v || v->empty()) fail(attribute, "value is empty");
    return *v;
  }
  obs::LocalHour time() const {
    const std::string s = required_text("time");
    std::string why;
    auto t = obs::parse_local_hour(s, why);
    if (!t) fail("time", "unparseable time: " + why);
    return *t;
  }
  double non_negative(const std::string& attribute, const std::string& what) const {
    const double v = required_number(attribute);
    if (v < 0) fail(attribute, "negative " + what + " " + fmt(v));
    return v;
  }

 private:
  LayerReader reader_;
  bool csv_;
};

}  // namespace

std::vector<obs::TrafficCount> read_counts(const LayerSpec& in, const Twin& twin) {
  LayerSpec spec = in;
  const LayerColumns columns = layer_columns(spec);
  const bool mapped_lonlat = spec.field("lon") || spec.field("lat");
  auto has = [&](const char* n) { return std::any_of(columns.names.begin(), columns.names.end(), [&](const auto& c) { return lower(c) == n; }); };
  const bool use_lonlat = mapped_lonlat || (has("lon") && has("lat")) || !columns.has_geometry;
  std::vector<std::string> required = {"station", "time", "vehicles"};
  if (use_lonlat) required.insert(required.end(), {"lon", "lat"});
  spec = resolve_columns(spec, columns, required, {"bearing", "class", "speed_kmh"});
  const std::string lonlat_crs = spec.crs.empty() ? "EPSG:4326" : spec.crs;
  if (spec.crs.empty() && use_lonlat) spec.crs = "EPSG:4326";  // a CSV has no CRS of its own
  Rows rows(spec);
  auto target = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "the twin's CRS");
  TransformPtr lonlat_to_twin;
  if (use_lonlat) lonlat_to_twin = make_transform(*parse_crs(lonlat_crs, spec.key + ".crs"), *target);
  else rows.reader().set_target_crs(*target);

  std::vector<obs::TrafficCount> out;
  std::unordered_map<std::string, std::size_t> first_row_of;  // station -> index into out
  while (rows.next()) {
    obs::TrafficCount c;
    c.row = rows.row();
    c.station = rows.required_text("station");
    if (use_lonlat) {
      Point2 p{rows.required_number("lon"), rows.required_number("lat")};
      if (lonlat_crs == "EPSG:4326" && (std::abs(p.x) > 180 || std::abs(p.y) > 90))
        rows.fail(std::abs(p.x) > 180 ? "lon" : "lat", "longitude/latitude out of range");
      if (!transform_point(*lonlat_to_twin, p)) rows.fail("lon", "position cannot be transformed into the twin's CRS");
      c.position = p;
    } else {
      const GeometryStatus st = rows.reader().point(c.position);
      if (st != GeometryStatus::Ok) rows.fail("", std::string("station position: ") + geometry_status_text(st));
    }
    if (auto b = rows.number("bearing")) {
      if (*b < -360 || *b > 360) rows.fail("bearing", "bearing " + fmt(*b) + " is not in degrees (-360 .. 360)");
      c.bearing_deg = std::fmod(*b + 360.0, 360.0);
    }
    c.time = rows.time();
    c.vehicles = rows.non_negative("vehicles", "count");
    if (auto cls = rows.reader().text("class")) c.vehicle_class = *cls;
    if (auto v = rows.number("speed_kmh")) {
      if (*v < 0) rows.fail("speed_kmh", "negative speed");
      c.speed_kmh = v;
    }
    // A station is one place counting one direction.
    auto [it, first] = first_row_of.try_emplace(c.station, out.size());
    if (!first) {
      const obs::TrafficCount& f = out[it->second];
      if (std::hypot(f.position.x - c.position.x, f.position.y - c.position.y) > 1.0)
        rows.fail(use_lonlat ? "lon" : "", "station '" + c.station + "' is " +
                                                  fmt(std::hypot(f.position.x - c.position.x, f.position.y - c.position.y)) +
                                                  " m from where its row " + std::to_string(f.row) + " puts it");
      if (f.bearing_deg.has_value() != c.bearing_deg.has_value() ||
          (f.bearing_deg && std::abs(*f.bearing_deg - *c.bearing_deg) > 1e-6))
        rows.fail("bearing", "station '" + c.station + "' has another bearing in its row " + std::to_string(f.row));
    }
    out.push_back(std::move(c));
  }
  return out;
}

namespace {
std::uint32_t element_id(const Rows& rows, const std::string& attribute, const std::string& value, std::size_t count, const char* what) {
  char* end = nullptr;
  const long long id = std::strtoll(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || id < 0 || static_cast<std::size_t>(id) >= count)
    rows.fail(attribute, std::string("unknown ") + what + " '" + value + "'" +
                             (std::string(what) == "substation" ? " (neither a substation name of this twin nor an id 0.." : " (not an id 0..") +
                             std::to_string(count == 0 ? 0 : count - 1) + ")");
  return static_cast<std::uint32_t>(id);
}

std::vector<obs::GridMeasurement> read_meters(const LayerSpec& in, const std::string& element_column, std::size_t count,
                                              const std::unordered_map<std::string, std::uint32_t>& by_name, const char* what,
                                              bool with_q) {
  LayerSpec spec = resolve_columns(in, layer_columns(in), {element_column, "time", "p_mw"}, with_q ? std::vector<std::string>{"q_mvar"} : std::vector<std::string>{});
  if (spec.crs.empty()) spec.crs = "EPSG:4326";  // no geometry is read; a CSV has no CRS to find
  Rows rows(spec);
  std::vector<obs::GridMeasurement> out;
  while (rows.next()) {
    obs::GridMeasurement m;
    m.row = rows.row();
    const std::string name = rows.required_text(element_column);
    auto it = by_name.find(name);
    m.element = it != by_name.end() ? it->second : element_id(rows, element_column, name, count, what);
    m.time = rows.time();
    m.p_mw = rows.required_number("p_mw");
    if (with_q) m.q_mvar = rows.number("q_mvar");
    out.push_back(m);
  }
  return out;
}
}  // namespace

std::vector<obs::GridMeasurement> read_substation_loads(const LayerSpec& spec, const Twin& twin) {
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (std::uint32_t k = 0; k < twin.grid.substation_count(); ++k) by_name.try_emplace(twin.grid.substation_name[k], k);
  return read_meters(spec, "substation", twin.grid.substation_count(), by_name, "substation", true);
}

std::vector<obs::GridMeasurement> read_branch_loads(const LayerSpec& spec, const Twin& twin) {
  return read_meters(spec, "branch", twin.grid.branch_count(), {}, "branch", false);
}

std::vector<obs::ChargingRecord> read_charging(const LayerSpec& in) {
  LayerSpec spec = resolve_columns(in, layer_columns(in), {"station", "time", "energy_kwh", "sessions"}, {});
  if (spec.crs.empty()) spec.crs = "EPSG:4326";  // no geometry is read; a CSV has no CRS to find
  Rows rows(spec);
  std::vector<obs::ChargingRecord> out;
  while (rows.next()) {
    obs::ChargingRecord r;
    r.row = rows.row();
    r.station = rows.required_text("station");
    r.time = rows.time();
    r.energy_kwh = rows.non_negative("energy_kwh", "energy");
    r.sessions = rows.non_negative("sessions", "number of sessions");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace citytwin::geo
