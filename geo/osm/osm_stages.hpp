#pragma once
// The importer's stages (internal to geo/osm): each takes the raw extract,
// already projected into the twin's metric CRS, and fills its part of the twin.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/twin.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/osm/osm_import.hpp"
#include "geo/osm/osm_reader.hpp"

namespace citytwin::geo::osm {

// Projects every coordinate of the extract from WGS 84 into `target`, in place
// (TBB, one coordinate transformation per thread).
void project_extract(OsmExtract& x, const OGRSpatialReference& target);

// Indexes into Twin::sources of the layers the extract fed.
struct OsmSources {
  std::uint32_t roads, signals, lines, substation_areas, substation_points, districts;
};
OsmSources register_sources(Twin& twin, const std::string& path);

// Roads -> twin.roads; throws InvalidInput when nothing is drivable.
void build_osm_roads(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, Twin& twin, OsmImportSummary& sum);

// Districts -> twin.districts, with population and jobs. Returns each
// district's load centre (area-weighted centre of its residential
// footprints, else its centroid).
std::vector<Point2> build_osm_districts(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, Twin& twin,
                                        OsmImportSummary& sum);

// Substations, lines, transformers; then the distribution-level completion
// for the districts' load centres; then slack and islands.
void build_osm_grid(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, const std::vector<Point2>& load_centres,
                    Twin& twin, OsmImportSummary& sum);

// Planar polygon helpers on metric rings (closed or not).
double ring_area_abs(const std::vector<Point2>& ring);

}  // namespace citytwin::geo::osm
