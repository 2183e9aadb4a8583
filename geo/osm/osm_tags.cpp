#include "geo/osm/osm_tags.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "geo/import/manifest.hpp"

namespace citytwin::geo::osm {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits on ';' (the OSM multi-value separator) and ','.
std::vector<std::string_view> split_values(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ';' || s[i] == ',') {
      const auto part = trim(s.substr(start, i - start));
      if (!part.empty()) out.push_back(part);
      start = i + 1;
    }
  }
  return out;
}

// Leading decimal number of s; `rest` gets what follows it (trimmed).
std::optional<double> leading_number(std::string_view s, std::string_view& rest) {
  s = trim(s);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  rest = trim(std::string_view(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr)));
  return v;
}

struct CountryLimits {
  const char* code;
  float urban, rural, trunk, motorway;  // km/h; 0 = use the generic value
};
// Statutory limits for cars (the "implied" values of the OSM wiki's
// Default_speed_limits page, rounded to km/h). Generic row last.
constexpr std::array<CountryLimits, 17> kCountries = {{
    {"mt", 50, 80, 80, 80},      {"ad", 50, 90, 90, 90},      {"es", 50, 90, 100, 120},
    {"fr", 50, 80, 110, 130},    {"de", 50, 100, 100, 130},   {"at", 50, 100, 100, 130},
    {"ch", 50, 80, 100, 120},    {"it", 50, 90, 110, 130},    {"nl", 50, 80, 100, 100},
    {"be", 50, 90, 120, 120},    {"pt", 50, 90, 100, 120},    {"pl", 50, 90, 120, 140},
    {"cz", 50, 90, 110, 130},    {"dk", 50, 80, 80, 130},     {"ru", 60, 90, 90, 110},
    {"gb", 48.3f, 96.6f, 112.7f, 112.7f},  // 30 / 60 / 70 / 70 mph
    {"", 50, 90, 100, 120},
}};

const CountryLimits& country(std::string_view code) {
  for (const auto& c : kCountries)
    if (code == c.code) return c;
  return kCountries.back();
}

float class_default(RoadClass cls) { return builtin_road_defaults()[static_cast<std::size_t>(cls)].speed_kph; }

// "XX:something" country-style values.
std::optional<float> country_default(std::string_view cc, std::string_view kind, RoadClass cls) {
  const CountryLimits& c = country(cc);
  if (kind == "urban") return c.urban;
  if (kind == "rural") return c.rural;
  if (kind == "trunk" || kind == "nsl_dual" || kind == "expressway") return c.trunk;
  if (kind == "motorway") return c.motorway;
  if (kind == "nsl_single") return c.rural;
  if (kind == "living_street" || kind == "pedestrian") return 7.0f;
  if (kind == "bicycle_road" || kind == "school") return 30.0f;
  if (kind.starts_with("zone")) {
    std::string_view rest;
    auto digits = kind.substr(4);
    if (!digits.empty() && digits.front() == ':') digits.remove_prefix(1);
    if (const auto v = leading_number(digits, rest); v && *v > 0) return static_cast<float>(*v);
    return std::nullopt;
  }
  (void)cls;
  return std::nullopt;
}

}  // namespace

bool drivable_class(std::string_view highway, bool include_service, RoadClass& out) {
  if (highway.empty()) return false;
  const std::string h(highway);
  if (h == "road" || h == "busway" || h == "bus_guideway" || h == "track" || h == "pedestrian") return false;
  RoadClass c;
  if (!parse_road_class(h, c)) return false;
  if (c == RoadClass::Connector) return false;
  if (c == RoadClass::Service && !include_service) return false;
  out = c;
  return true;
}

bool osm_oneway(std::string_view oneway, std::string_view highway, std::string_view junction, OneWay& out) {
  const std::string v = lower(trim(oneway));
  if (v.empty()) {
    const bool implied = highway == "motorway" || highway == "motorway_link" || junction == "roundabout" || junction == "circular";
    out = implied ? OneWay::Forward : OneWay::No;
    return true;
  }
  if (v == "yes" || v == "true" || v == "1") out = OneWay::Forward;
  else if (v == "-1" || v == "reverse") out = OneWay::Backward;
  else if (v == "no" || v == "false" || v == "0") out = OneWay::No;
  else {
    out = OneWay::No;
    return false;
  }
  return true;
}

std::optional<float> parse_maxspeed(std::string_view value, RoadClass cls) {
  const auto values = split_values(value);
  if (values.empty()) return std::nullopt;
  const std::string v = lower(values.front());
  if (v == "walk") return 6.0f;
  if (v == "none" || v == "unlimited") return cls == RoadClass::Motorway ? 130.0f : class_default(cls);
  if (v == "signals" || v == "variable") return class_default(cls);
  if (const auto colon = v.find(':'); colon != std::string::npos && colon > 0 && !std::isdigit(static_cast<unsigned char>(v[0])))
    return v.substr(0, colon) == "zone" ? country_default("", v, cls)
                                        : country_default(std::string_view(v).substr(0, colon), std::string_view(v).substr(colon + 1), cls);
  if (v.starts_with("zone")) return country_default("", v, cls);
  std::string_view unit;
  const auto n = leading_number(v, unit);
  if (!n || *n <= 0) return std::nullopt;
  if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph") return static_cast<float>(*n);
  if (unit == "mph") return static_cast<float>(*n * 1.609344);
  if (unit == "knots") return static_cast<float>(*n * 1.852);
  return std::nullopt;
}

bool ferry_carries_cars(std::string_view motor_vehicle, std::string_view motorcar) {
  auto yes = [](std::string_view v) { return v == "yes" || v == "designated"; };
  return yes(motor_vehicle) || yes(motorcar);
}

std::optional<double> parse_duration_h(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  std::vector<double> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || value[i] == ':') {
      double v = 0;
      const auto piece = value.substr(start, i - start);
      const auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
      if (ec != std::errc() || ptr != piece.data() + piece.size() || v < 0) return std::nullopt;
      parts.push_back(v);
      start = i + 1;
    }
  }
  double h = 0;
  if (parts.size() == 1) h = parts[0] / 60;
  else if (parts.size() == 2) h = parts[0] + parts[1] / 60;
  else if (parts.size() == 3) h = parts[0] + parts[1] / 60 + parts[2] / 3600;
  else return std::nullopt;
  return h > 0 ? std::optional<double>(h) : std::nullopt;
}

std::optional<float> parse_lanes(std::string_view value) {
  const auto values = split_values(value);
  if (values.empty()) return std::nullopt;
  std::string_view rest;
  const auto n = leading_number(values.front(), rest);
  if (!n || *n <= 0 || !rest.empty() || *n > 20) return std::nullopt;
  return static_cast<float>(*n);
}

std::vector<double> parse_voltages_kv(std::string_view value) {
  std::vector<double> out;
  for (auto part : split_values(value)) {
    std::string_view unit;
    auto n = leading_number(part, unit);
    if (!n || *n <= 0) continue;
    const std::string u = lower(unit);
    double kv = u == "kv" ? *n : u == "v" || u.empty() ? *n / 1000.0 : -1;
    if (kv <= 0) continue;
    if (u.empty() && *n < 1000) kv = *n;  // "110" written in kV
    kv = std::round(kv * 1000.0) / 1000.0;
    if (std::find(out.begin(), out.end(), kv) == out.end()) out.push_back(kv);
  }
  std::sort(out.begin(), out.end(), std::greater<>());
  return out;
}

std::vector<int> parse_counts(std::string_view value) {
  std::vector<int> out;
  for (auto part : split_values(value)) {
    std::string_view rest;
    const auto n = leading_number(part, rest);
    if (n && *n >= 1 && *n < 100 && rest.empty()) out.push_back(static_cast<int>(*n));
  }
  return out;
}

std::optional<double> parse_population(std::string_view value) {
  std::string digits;
  for (char c : trim(value)) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == ' ' || c == ',' || c == '.' || c == '\'') continue;  // thousands separators
    else if (c == ';') break;
    else return std::nullopt;
  }
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  return std::stod(digits);
}

BuildingUse building_use(std::string_view building) {
  static constexpr std::array<std::string_view, 14> residential = {
      "yes", "residential", "house", "apartments", "detached", "semidetached_house", "terrace", "bungalow",
      "dormitory", "farm", "cabin", "houseboat", "static_caravan", "flats"};
  static constexpr std::array<std::string_view, 27> work = {
      "commercial", "retail", "office", "industrial", "warehouse", "school", "university", "college",
      "hospital", "hotel", "public", "civic", "government", "kindergarten", "church", "chapel", "mosque",
      "temple", "cathedral", "supermarket", "manufacture", "fire_station", "train_station", "transportation",
      "sports_hall", "stadium", "clinic"};
  const std::string b = lower(building);
  if (std::find(residential.begin(), residential.end(), b) != residential.end()) return BuildingUse::Residential;
  if (std::find(work.begin(), work.end(), b) != work.end()) return BuildingUse::NonResidential;
  return BuildingUse::Other;
}

}  // namespace citytwin::geo::osm
