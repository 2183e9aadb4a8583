#pragma once
// What the inspector shows for a selected feature: every attribute of the
// twin, its provenance (department, file, layer, feature id) and, when
// results exist, the 24-hour series of each hourly metric.
#include <set>
#include <string>
#include <vector>

#include "viewer/model/metrics.hpp"
#include "viewer/model/selection.hpp"

namespace citytwin::viewer {

struct Attribute {
  std::string name;
  std::string value;
};

// Twin attributes the loaded data does not hold, as "layer.field" keys (a
// results GeoPackage opened without its .twin: geo::ResultsTwin::missing).
// Null or empty: everything is known.
using MissingAttributes = std::set<std::string>;
inline constexpr const char* kNotInFile = "not in the results file";

struct Provenance {
  bool inferred = false;  // created by citytwin (connectors, split links, inferred substations)
  bool unavailable = false;  // the data holds no provenance for this layer
  std::string department, file, layer;
  std::int64_t feature = -1;
  std::string describe() const;  // one line for tooltips
};

struct HourlySeries {
  std::string label;  // "Volume / capacity"
  std::string unit;
  std::vector<float> baseline, scenario;  // 24 values each; empty when not available
};

std::string feature_title(const Twin& twin, const Selection& s,
                          const MissingAttributes* missing = nullptr);  // "Road link 123 (primary)"
// Every attribute; those in `missing` read kNotInFile.
std::vector<Attribute> attributes(const Twin& twin, const Selection& s, const MissingAttributes* missing = nullptr);
Provenance provenance(const Twin& twin, const Selection& s);
std::vector<HourlySeries> hourly_series(const Twin& twin, const Selection& s, const Results* baseline,
                                        const Results* scenario);

// "© OpenStreetMap contributors" when any source of the twin came from OSM
// (an .osm / .osm.pbf / .osm.bz2 path), otherwise empty.
std::string attribution(const Twin& twin);

}  // namespace citytwin::viewer
