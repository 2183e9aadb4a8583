#pragma once
// One sequential pass over an OpenStreetMap extract (.osm.pbf or .osm XML)
// through GDAL's OSM driver, with the project's osmconf.ini: every feature
// the importer needs, with its raw tag values and its geometry in WGS 84
// longitude/latitude. Nothing is interpreted here (see osm_tags.hpp); the
// GDAL handles stay inside osm_reader.cpp.
//
// The driver reads the file once, layer after layer interleaved, through
// GDALDataset::GetNextFeature(); attribute filters per layer let GDAL skip
// the geometry of everything else, and `SET interest_layers` skips the
// multilinestrings and other_relations layers entirely.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"

namespace citytwin::geo::osm {

using LonLatRing = std::vector<Point2>;
using LonLatPolygon = std::vector<LonLatRing>;  // outer ring first, then holes

struct RawRoad {
  std::int64_t id = 0;
  std::string highway, oneway, lanes, maxspeed, junction, access, motor_vehicle, area, name;
  std::string route, motorcar, duration;  // ferries (route=ferry) that carry cars
  std::vector<Point2> line;
};

struct RawPowerLine {
  std::int64_t id = 0;
  std::string power, voltage, circuits, cables, name;
  std::vector<Point2> line;
};

// A substation drawn as an area (closed way or multipolygon) or as a node.
struct RawSubstation {
  std::int64_t id = 0;
  bool is_point = false;
  std::string power, voltage, name, substation;
  std::vector<LonLatPolygon> polygons;  // empty for a point
  Point2 point;                         // the node, or unused
};

struct RawArea {
  std::int64_t id = 0;
  std::string name, admin_level, population;
  std::vector<LonLatPolygon> polygons;
};

struct RawBuilding {
  std::string building;
  bool has_workplace_tag = false;  // amenity / shop / office present
  std::vector<LonLatPolygon> polygons;
};

struct OsmExtract {
  std::string path;
  std::vector<RawRoad> roads;           // every `highway` way and route=ferry (filtered later)
  std::vector<Point2> signals;          // highway=traffic_signals nodes
  std::vector<std::int64_t> signal_ids;
  std::vector<RawPowerLine> power_lines;  // power=line|minor_line|cable
  std::vector<RawSubstation> substations; // power=substation|sub_station (areas and nodes)
  std::vector<RawArea> admin_areas;     // boundary=administrative polygons
  std::vector<RawBuilding> buildings;
  std::int64_t features_read = 0;
};

// The project's osmconf.ini: $CITYTWIN_OSMCONF if set, else share/citytwin/
// osmconf.ini next to the running binary (installed layout), else the copy in
// the source tree (build tree and tests). Throws IoError naming the places
// tried when none exists.
std::filesystem::path osmconf_path();

// Reads the extract. Throws IoError when the file is missing, is not an OSM
// file GDAL recognises, or is truncated/corrupt (GDAL's message quoted, with
// the layer being read).
OsmExtract read_osm(const std::filesystem::path& path, bool want_buildings = true);

// True for the extensions dispatched to the OSM importer: .osm.pbf, .pbf, .osm.
bool looks_like_osm(const std::filesystem::path& path);

}  // namespace citytwin::geo::osm
