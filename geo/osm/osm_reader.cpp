#include "geo/osm/osm_reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/common/regular_file.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/osm/pbf_structure.hpp"

#ifndef CITYTWIN_OSMCONF_SOURCE
#define CITYTWIN_OSMCONF_SOURCE ""
#endif

namespace citytwin::geo::osm {

namespace {

std::filesystem::path running_binary() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : p;
}

// Field indexes of one layer, resolved once; -1 when the osmconf.ini does not list the key.
struct Fields {
  OGRLayer* layer = nullptr;
  std::vector<int> idx;
  Fields(OGRLayer* l, std::initializer_list<const char*> names, std::initializer_list<const char*> required,
         const std::string& conf) : layer(l) {
    OGRFeatureDefn* d = l->GetLayerDefn();
    for (const char* n : names) idx.push_back(d->GetFieldIndex(n));
    for (const char* n : required)
      if (d->GetFieldIndex(n) < 0)
        throw InvalidInput(std::string("the OSM configuration does not report key '") + n +
                               "' as an attribute; add it to 'attributes=' of this layer",
                           {.file = conf, .layer = l->GetName(), .field = n});
  }
};

std::string text(const OGRFeature& f, int idx) {
  if (idx < 0 || !f.IsFieldSetAndNotNull(idx)) return {};
  return f.GetFieldAsString(idx);
}

bool finite(const Point2& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

void read_line(const OGRGeometry* g, std::vector<Point2>& out) {
  out.clear();
  if (!g || wkbFlatten(g->getGeometryType()) != wkbLineString) return;
  const auto* ls = g->toLineString();
  out.reserve(static_cast<std::size_t>(ls->getNumPoints()));
  for (int i = 0; i < ls->getNumPoints(); ++i) {
    const Point2 p{ls->getX(i), ls->getY(i)};
    if (finite(p)) out.push_back(p);
  }
}

void read_ring(const OGRLinearRing* r, LonLatRing& out) {
  out.clear();
  if (!r) return;
  out.reserve(static_cast<std::size_t>(r->getNumPoints()));
  for (int i = 0; i < r->getNumPoints(); ++i) out.push_back({r->getX(i), r->getY(i)});
}

void read_polygons(const OGRGeometry* g, std::vector<LonLatPolygon>& out) {
  out.clear();
  if (!g) return;
  auto add = [&](const OGRPolygon* poly) {
    LonLatPolygon p;
    LonLatRing ring;
    read_ring(poly->getExteriorRing(), ring);
    if (ring.size() < 4) return;
    p.push_back(std::move(ring));
    for (int i = 0; i < poly->getNumInteriorRings(); ++i) {
      read_ring(poly->getInteriorRing(i), ring);
      if (ring.size() >= 4) p.push_back(std::move(ring));
    }
    out.push_back(std::move(p));
  };
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) add(g->toPolygon());
  else if (type == wkbMultiPolygon)
    for (const auto* poly : g->toMultiPolygon()) add(poly);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

bool looks_like_osm(const std::filesystem::path& path) {
  const std::string name = lower(path.filename().string());
  return name.ends_with(".osm.pbf") || name.ends_with(".pbf") || name.ends_with(".osm");
}

std::filesystem::path osmconf_path() {
  std::vector<std::filesystem::path> tried;
  if (const char* env = std::getenv("CITYTWIN_OSMCONF"); env && *env) {
    if (std::filesystem::exists(env)) return env;
    tried.emplace_back(env);
  }
  if (const auto exe = running_binary(); !exe.empty()) {
    const auto installed = exe.parent_path().parent_path() / "share" / "citytwin" / "osmconf.ini";
    if (std::filesystem::exists(installed)) return installed;
    tried.push_back(installed);
  }
  const std::filesystem::path source = CITYTWIN_OSMCONF_SOURCE;
  if (!source.empty() && std::filesystem::exists(source)) return source;
  if (!source.empty()) tried.push_back(source);
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t.string();
  throw IoError("the project's osmconf.ini was not found (looked at: " + list + "); set CITYTWIN_OSMCONF to its path",
                {.file = "osmconf.ini"});
}

OsmExtract read_osm(const std::filesystem::path& path, bool want_buildings) {
  const std::string file = path.string();
  if (!std::filesystem::exists(path)) throw IoError("OpenStreetMap file not found", {.file = file});
  if (std::filesystem::is_directory(path)) throw IoError("expected an OpenStreetMap file, found a directory", {.file = file});
  require_regular_file(path, "the OpenStreetMap file");
  if (lower(file).ends_with(".pbf")) check_pbf_structure(path);  // before GDAL: it imports partial files
  const std::string conf = osmconf_path().string();
  ensure_gdal_initialised();

  const std::string conf_option = "CONFIG_FILE=" + conf;
  const char* drivers[] = {"OSM", nullptr};
  const char* options[] = {conf_option.c_str(), nullptr};
  CPLErrorReset();
  DatasetPtr ds(static_cast<GDALDataset*>(
      GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options, nullptr)));
  if (!ds) {
    const std::string why = CPLGetLastErrorType() >= CE_Failure ? std::string(CPLGetLastErrorMsg()) : std::string();
    throw IoError("not an OpenStreetMap file that GDAL's OSM driver can read (expected .osm.pbf or .osm XML)" +
                      (why.empty() ? std::string() : ": " + why),
                  {.file = file});
  }
  OGRLayer* points = ds->GetLayerByName("points");
  OGRLayer* lines = ds->GetLayerByName("lines");
  OGRLayer* polys = ds->GetLayerByName("multipolygons");
  if (!points || !lines || !polys) throw IoError("the OSM driver did not expose points/lines/multipolygons layers", {.file = file});

  // Only three of the five layers, and only the features we use: GDAL then
  // skips building geometries for everything else.
  ds->ExecuteSQL("SET interest_layers = points,lines,multipolygons", nullptr, nullptr);
  points->SetAttributeFilter("highway = 'traffic_signals' OR power IN ('substation', 'sub_station')");
  lines->SetAttributeFilter("highway IS NOT NULL OR route = 'ferry' OR power IN ('line', 'minor_line', 'cable')");
  polys->SetAttributeFilter(want_buildings
                                ? "boundary = 'administrative' OR power IN ('substation', 'sub_station') OR building IS NOT NULL"
                                : "boundary = 'administrative' OR power IN ('substation', 'sub_station')");

  enum { P_HIGHWAY, P_POWER, P_VOLTAGE, P_NAME, P_SUBSTATION };
  const Fields pf(points, {"highway", "power", "voltage", "name", "substation"}, {"highway", "power", "voltage"}, conf);
  enum { L_HIGHWAY, L_ONEWAY, L_LANES, L_MAXSPEED, L_JUNCTION, L_ACCESS, L_MOTOR, L_AREA, L_NAME, L_POWER, L_VOLTAGE, L_CIRCUITS, L_CABLES,
         L_ROUTE, L_MOTORCAR, L_DURATION };
  const Fields lf(lines, {"highway", "oneway", "lanes", "maxspeed", "junction", "access", "motor_vehicle", "area", "name", "power", "voltage", "circuits", "cables",
                          "route", "motorcar", "duration"},
                  {"highway", "oneway", "lanes", "maxspeed", "junction", "power", "voltage", "circuits"}, conf);
  enum { M_BOUNDARY, M_ADMIN, M_NAME, M_POP, M_POWER, M_VOLTAGE, M_SUBSTATION, M_BUILDING, M_AMENITY, M_SHOP, M_OFFICE };
  const Fields mf(polys, {"boundary", "admin_level", "name", "population", "power", "voltage", "substation", "building", "amenity", "shop", "office"},
                  {"boundary", "admin_level", "power", "voltage", "building"}, conf);

  OsmExtract x;
  x.path = file;
  CPLErrorReset();
  OGRLayer* layer = nullptr;
  for (;;) {
    FeaturePtr f(ds->GetNextFeature(&layer, nullptr, nullptr, nullptr));
    if (!f) break;
    ++x.features_read;
    const OGRGeometry* g = f->GetGeometryRef();
    if (layer == lines) {
      const auto& i = lf.idx;
      std::string power = text(*f, i[L_POWER]);
      std::string highway = text(*f, i[L_HIGHWAY]);
      if (power == "line" || power == "minor_line" || power == "cable") {
        RawPowerLine p;
        p.id = f->GetFID();
        p.power = std::move(power);
        p.voltage = text(*f, i[L_VOLTAGE]);
        p.circuits = text(*f, i[L_CIRCUITS]);
        p.cables = text(*f, i[L_CABLES]);
        p.name = text(*f, i[L_NAME]);
        read_line(g, p.line);
        if (p.line.size() >= 2) x.power_lines.push_back(std::move(p));
      }
      std::string route = text(*f, i[L_ROUTE]);
      if (!highway.empty() || route == "ferry") {
        RawRoad r;
        r.route = std::move(route);
        r.motorcar = text(*f, i[L_MOTORCAR]);
        r.duration = text(*f, i[L_DURATION]);
        r.id = f->GetFID();
        r.highway = std::move(highway);
        r.oneway = text(*f, i[L_ONEWAY]);
        r.lanes = text(*f, i[L_LANES]);
        r.maxspeed = text(*f, i[L_MAXSPEED]);
        r.junction = text(*f, i[L_JUNCTION]);
        r.access = text(*f, i[L_ACCESS]);
        r.motor_vehicle = text(*f, i[L_MOTOR]);
        r.area = text(*f, i[L_AREA]);
        r.name = text(*f, i[L_NAME]);
        read_line(g, r.line);
        x.roads.push_back(std::move(r));
      }
    } else if (layer == points) {
      const auto& i = pf.idx;
      if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint) continue;
      const Point2 p{g->toPoint()->getX(), g->toPoint()->getY()};
      if (!finite(p)) continue;
      if (text(*f, i[P_HIGHWAY]) == "traffic_signals") {
        x.signals.push_back(p);
        x.signal_ids.push_back(f->GetFID());
      }
      if (std::string power = text(*f, i[P_POWER]); power == "substation" || power == "sub_station") {
        RawSubstation s;
        s.id = f->GetFID();
        s.is_point = true;
        s.point = p;
        s.power = std::move(power);
        s.voltage = text(*f, i[P_VOLTAGE]);
        s.name = text(*f, i[P_NAME]);
        s.substation = text(*f, i[P_SUBSTATION]);
        x.substations.push_back(std::move(s));
      }
    } else if (layer == polys) {
      const auto& i = mf.idx;
      if (text(*f, i[M_BOUNDARY]) == "administrative") {
        RawArea a;
        a.id = f->GetFID();
        a.name = text(*f, i[M_NAME]);
        a.admin_level = text(*f, i[M_ADMIN]);
        a.population = text(*f, i[M_POP]);
        read_polygons(g, a.polygons);
        if (!a.polygons.empty()) x.admin_areas.push_back(std::move(a));
      }
      if (std::string power = text(*f, i[M_POWER]); power == "substation" || power == "sub_station") {
        RawSubstation s;
        s.id = f->GetFID();
        s.power = std::move(power);
        s.voltage = text(*f, i[M_VOLTAGE]);
        s.name = text(*f, i[M_NAME]);
        s.substation = text(*f, i[M_SUBSTATION]);
        read_polygons(g, s.polygons);
        if (!s.polygons.empty()) x.substations.push_back(std::move(s));
      }
      if (want_buildings) {
        if (std::string b = text(*f, i[M_BUILDING]); !b.empty() && b != "no") {
          RawBuilding rb;
          rb.building = std::move(b);
          rb.has_workplace_tag = !text(*f, i[M_AMENITY]).empty() || !text(*f, i[M_SHOP]).empty() || !text(*f, i[M_OFFICE]).empty();
          read_polygons(g, rb.polygons);
          if (!rb.polygons.empty()) x.buildings.push_back(std::move(rb));
        }
      }
    }
  }
  if (CPLGetLastErrorType() >= CE_Failure) {
    const std::string msg = CPLGetLastErrorMsg();
    if (msg.find("Non increasing node id") != std::string::npos)
      throw IoError("the OpenStreetMap file's nodes are not sorted by id (GDAL's OSM driver needs sorted files; "
                    "`osmium sort` fixes it): " + msg,
                    {.file = file, .layer = layer ? layer->GetName() : ""});
    throw IoError(std::string("the OpenStreetMap file is truncated or corrupt: GDAL's OSM driver stopped with: ") + CPLGetLastErrorMsg(),
                  {.file = file, .layer = layer ? layer->GetName() : ""});
  }
  return x;
}

}  // namespace citytwin::geo::osm
