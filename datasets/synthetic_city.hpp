#pragma once
// A deterministic synthetic city: a ring-radial-grid street pattern with
// arterials and signals at arterial junctions, a meshed 110 kV
// sub-transmission grid whose substations feed districts, and districts whose
// population and jobs fall off from the centre. All coordinates are metric
// (WGS 84 / UTM 33N, EPSG:32633); the writer stores each department's layers
// in a different CRS with its own field names, as real departments do.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"

namespace citytwin::datasets {

inline constexpr const char* kSyntheticCrs = "EPSG:32633";

struct SyntheticOptions {
  std::size_t target_links = 20000;  // directed road links, approximately
  std::uint64_t seed = 1;
  double block_m = 150;              // street spacing
};

struct SynthRoad {
  std::vector<Point2> line;
  std::string fclass;     // OSM-style class name
  int lanes_total;        // both directions
  double speed_mph;
  double capacity_vph;    // per direction
  std::string oneway;     // "FT", "TF" or "B"
};
struct SynthSubstation {
  std::string name;
  std::vector<Point2> ring;  // closed outline
  double kv, capacity_mva;
};
struct SynthLine {
  std::vector<Point2> line;
  bool cable;
  double kv, rating_mva;
  double r_ohm_km, x_ohm_km, c_nf_km;  // < 0: not recorded by the department
  int circuits;
};
struct SynthDistrict {
  std::string code, name;
  std::vector<Point2> ring;
  double population, households, jobs, jobs_retail, jobs_service, jobs_other;
};
struct SynthCharger {
  Point2 p;
  int plugs;
  double kw_per_plug;
};

struct SyntheticCity {
  std::vector<SynthRoad> roads;
  std::vector<Point2> signals;
  std::vector<SynthSubstation> substations;
  std::vector<SynthLine> lines;
  std::vector<SynthDistrict> districts;
  std::vector<SynthCharger> chargers;
  std::string slack_substation;
};

SyntheticCity generate_synthetic_city(const SyntheticOptions& options);

// The street lattice's side (nodes per row) and district count the generator
// will use for these options, known before generating (memory checks).
int synthetic_grid_side(const SyntheticOptions& options);
std::size_t synthetic_district_count(const SyntheticOptions& options);

}  // namespace citytwin::datasets
