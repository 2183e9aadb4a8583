#pragma once
// The twin: roads, grid and districts of one city in one metric CRS, plus the
// cross-layer links the traffic, grid and coupling models need. Plain
// structure-of-arrays: no GDAL types, nothing that cannot be memcpy'd to a GPU
// or a snapshot column by column.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "core/model/provenance.hpp"
#include "core/model/twin_calibration.hpp"

namespace citytwin {

// Road classes in descending order of importance (OSM highway names).
enum class RoadClass : std::uint8_t {
  Motorway, Trunk, Primary, Secondary, Tertiary, Unclassified, Residential, Service, LivingStreet,
  Connector,  // zone centroid connector (inferred)
  Count
};
const char* road_class_name(RoadClass c);
bool parse_road_class(const std::string& name, RoadClass& out);  // accepts "*_link" forms

// Compressed sparse rows: row r owns entries [offsets[r], offsets[r+1]).
struct Csr {
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> entries;  // link ids
  bool operator==(const Csr&) const = default;
};

struct RoadNetwork {
  // nodes
  std::vector<double> node_x, node_y;
  std::vector<std::uint8_t> node_signal;  // 1 if signalised
  ProvenanceColumn node_source;
  // directed links
  std::vector<std::uint32_t> link_from, link_to;
  std::vector<double> length_m;
  std::vector<double> free_flow_s;
  std::vector<double> capacity_vph;
  std::vector<float> lanes;
  std::vector<RoadClass> road_class;
  std::vector<float> speed_kph;   // speed limit
  std::vector<double> toll;
  std::vector<float> bpr_alpha, bpr_beta;
  LineColumn geometry;            // drawn polyline, from -> to
  ProvenanceColumn link_source;
  // zones: district z's centroid is road node zone_node[z]; connectors are
  // links of class Connector.
  std::vector<std::uint32_t> zone_node;
  // adjacency, built by build_adjacency()
  Csr out_links, in_links;

  std::size_t node_count() const { return node_x.size(); }
  std::size_t link_count() const { return link_from.size(); }
  std::vector<std::uint32_t> signals() const;
  void build_adjacency();
  bool operator==(const RoadNetwork&) const = default;
};

enum class BusType : std::uint8_t { PQ = 1, PV = 2, Slack = 3, Isolated = 4 };
enum class BranchKind : std::uint8_t { Line, Cable, Transformer };

// The grid's columns are appended only through add_bus / add_branch /
// add_substation / add_generator, one element at a time, so no builder can
// leave them of different lengths; check_consistency() is what every builder
// (the manifest import, the OSM import) runs when it is done.
struct PowerGrid {
  static constexpr std::uint32_t kUnsetBus = 0xFFFFFFFFu;
  using Rings = std::vector<std::vector<Point2>>;  // one polygon: outer ring first, then holes

  struct Bus {
    Point2 at;
    double kv = 0;
    std::int32_t substation = -1;  // -1: not inside a substation
    BusType type = BusType::PQ;
    bool energised = true;
    std::uint32_t source = ProvenanceColumn::kInferred;
    std::int64_t feature = -1;
  };
  struct Branch {
    std::uint32_t from = 0, to = 0;
    BranchKind kind = BranchKind::Line;
    double r = 0, x = 0, b = 0;  // per unit on base_mva
    double rating_mva = 0;
    bool in_service = true;
    std::span<const Point2> geometry;  // drawn from -> to
    std::uint32_t source = ProvenanceColumn::kInferred;
    std::int64_t feature = -1;
  };
  struct Substation {
    std::span<const Rings> shape;  // its polygons; x, y become their centroid
    double capacity_mva = 0;
    std::string name;
    std::uint32_t bus = kUnsetBus;  // its feeding bus; set substation_bus[k] once that bus exists
    std::uint32_t source = ProvenanceColumn::kInferred;
    std::int64_t feature = -1;
  };
  struct Generator {
    std::uint32_t bus = 0;
    double p_mw = 0, vm_pu = 1.0, q_min_mvar = -1e9, q_max_mvar = 1e9;
  };

  double base_mva = 100.0;
  // buses
  std::vector<double> bus_x, bus_y;
  std::vector<double> bus_kv;
  std::vector<BusType> bus_type;
  std::vector<std::uint8_t> bus_energised;
  std::vector<std::int32_t> bus_substation;  // -1 if not inside a substation
  ProvenanceColumn bus_source;
  // branches, impedances in per unit on base_mva and the from-bus kV
  std::vector<std::uint32_t> branch_from, branch_to;
  std::vector<BranchKind> branch_kind;
  std::vector<double> branch_r, branch_x, branch_b;
  std::vector<double> branch_rating_mva;
  std::vector<std::uint8_t> branch_in_service;
  LineColumn branch_geometry;
  ProvenanceColumn branch_source;
  // substations
  PolygonColumn substation_shape;  // a point substation is a small square
  std::vector<double> substation_x, substation_y;
  std::vector<double> substation_capacity_mva;
  std::vector<std::string> substation_name;
  std::vector<std::uint32_t> substation_bus;  // its lowest-voltage (feeding) bus
  ProvenanceColumn substation_source;
  // generators / infeeds (the slack is where the grid meets the transmission system)
  std::vector<std::uint32_t> gen_bus;
  std::vector<double> gen_p_mw, gen_vm_pu, gen_q_min_mvar, gen_q_max_mvar;

  std::size_t bus_count() const { return bus_x.size(); }
  std::size_t branch_count() const { return branch_from.size(); }
  std::size_t substation_count() const { return substation_x.size(); }
  std::size_t generator_count() const { return gen_bus.size(); }

  // Each appends one element to every column of its table and returns its
  // index. add_bus throws std::out_of_range for a substation that does not
  // exist yet; add_branch for an end that is not a bus, std::invalid_argument
  // for a branch from a bus to itself; add_generator for a bus out of range.
  std::uint32_t add_bus(const Bus& bus);
  std::uint32_t add_branch(const Branch& branch);
  std::uint32_t add_substation(const Substation& substation);
  std::uint32_t add_generator(const Generator& generator);

  // Every column as long as its table, every id in range (branch ends, a bus's
  // substation, a substation's and a generator's bus, provenance sources below
  // `source_layers`), no branch from a bus to itself, numbers finite. Throws
  // InvalidInput naming the first offending field ("grid.branch_to[3] is 7,
  // outside the 5 buses"). Defined with validate_twin (twin_validation.cpp).
  void check_consistency(std::size_t source_layers) const;
  bool operator==(const PowerGrid&) const = default;
};

struct Districts {
  std::vector<std::string> name;
  std::vector<double> population, households;
  std::vector<double> jobs, jobs_retail, jobs_service, jobs_other;
  std::vector<double> area_m2;
  std::vector<double> centroid_x, centroid_y;
  PolygonColumn shape;
  ProvenanceColumn source;

  std::size_t size() const { return name.size(); }
  // area_m2 and centroid_x / centroid_y of every polygon in `shape` (they
  // are derived from it, and sized to it).
  void derive_area_and_centroids();
  bool operator==(const Districts&) const = default;
};

struct EvChargers {
  std::vector<double> x, y;
  std::vector<std::uint32_t> plugs;
  std::vector<double> kw_per_plug;
  ProvenanceColumn source;
  std::size_t size() const { return x.size(); }
  bool operator==(const EvChargers&) const = default;
};

// How a district's load is shared among substations.
enum class ServiceRule : std::uint8_t { Nearest, Voronoi, CapacityAware };
const char* service_rule_name(ServiceRule r);
const char* branch_kind_name(BranchKind k);  // "line", "cable", "transformer"

// Results of the spatial joins (geo/joins) that tie the layers together.
struct CrossLinks {
  std::vector<std::int32_t> link_district;      // per road link, -1 if outside all districts
  ServiceRule service_rule = ServiceRule::Voronoi;
  // district -> serving substations with shares summing to 1 (CSR)
  std::vector<std::uint32_t> district_sub_offsets{0};
  std::vector<std::uint32_t> district_sub;
  std::vector<double> district_sub_share;
  std::vector<std::uint32_t> signal_node;       // road node of each signal
  std::vector<std::uint32_t> signal_bus;        // bus that powers it
  std::vector<std::uint32_t> charger_bus;
  std::vector<std::uint32_t> charger_node;
  bool operator==(const CrossLinks&) const = default;
};

// What the import did beyond copying: counted, never silent.
struct ImportReport {
  struct Entry {
    std::string what;    // "skipped", "inferred", "warning"
    std::string layer;
    std::int64_t count = 0;
    std::string reason;
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  void add(std::string what, std::string layer, std::int64_t count, std::string reason);
  bool operator==(const ImportReport&) const = default;
};

struct Twin {
  std::string name;
  std::string crs;          // e.g. "EPSG:32633" (WKT kept alongside for exact reproduction)
  std::string crs_wkt;
  std::vector<SourceLayer> sources;
  RoadNetwork roads;
  PowerGrid grid;
  Districts districts;
  EvChargers chargers;
  CrossLinks links;
  ImportReport report;
  TwinCalibration calibration;  // empty unless `citytwin calibrate` made this twin

  Box2 extent() const;
  // Road nodes of the signals, in the order of links.signal_node / signal_bus
  // (the signalised nodes themselves when the joins have not run).
  std::vector<std::uint32_t> signal_nodes() const { return links.signal_node.empty() ? roads.signals() : links.signal_node; }
  bool operator==(const Twin&) const = default;
};

}  // namespace citytwin
