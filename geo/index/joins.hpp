#pragma once
// The cross-layer spatial joins that tie the three departments' layers into
// one twin, filling citytwin::CrossLinks. Every rule is deterministic (ties
// go to the lower id) and everything that could not be matched is counted in
// the JoinReport, never silently dropped.
//
// The rules:
//  * road link -> district: the district containing the point halfway along
//    the link's drawn polyline (by length); the lowest id if districts
//    overlap; -1 when no district contains it (counted).
//  * district -> serving substations, with shares summing to 1, by
//    JoinOptions::service_rule:
//      Nearest        the substation nearest the district centroid
//                     (Districts::centroid_x/y when filled, else the
//                     polygon's area-weighted centroid), share 1.
//      Voronoi        share = fraction of the district's area whose nearest
//                     substation is s. The area is sampled on a regular grid
//                     over the district's bounding box: cell size
//                     s = sqrt(w * h / N) with N = voronoi_samples (default
//                     4096), nx = ceil(w / s), ny = ceil(h / s) columns and
//                     rows (each at most N), a sample at the centre of each
//                     cell, kept when PolygonColumn::contains() holds. Shares
//                     are exact for the sample set; against the true area
//                     they err by about (perimeter * s) / area (under 1-2% at
//                     the default for compact districts). A district too thin
//                     for any sample falls back to Nearest (counted).
//      CapacityAware  Voronoi shares v_ds re-weighted by each substation's
//                     relative headroom r_s = capacity_s / (1 + B_s), where
//                     B_s = sum_d v_ds * (population_d + jobs_d) is the demand
//                     weight Voronoi assigns to s: share_ds = v_ds r_s /
//                     sum_s' v_ds' r_s'. Only the Voronoi neighbours of a
//                     district serve it; a substation with a larger capacity
//                     per assigned resident+job takes a larger share. If all of
//                     a district's substations have no capacity (<= 0 or not
//                     finite), its Voronoi shares are kept (counted).
//    A grid without substations leaves every district unserved (empty rows,
//    counted). Entries of a district are in ascending substation id.
//  * signalised road node -> bus: the feeding bus (substation_bus) of the
//    nearest substation whose feeding bus is energised; when the grid has no
//    such substation, the nearest energised bus. (Signals hang off the local
//    distribution network, which the twin models only down to the
//    substations.)
//  * EV charger -> the nearest energised bus, and the nearest road node that
//    is not a zone centroid (Roads::zone_node).
// A bus counts as energised when bus_energised is empty or its flag is set.
// Point matches (signals, chargers) further than max_match_distance_m are
// unmatched: their entry is kNoMatch and they are counted.
#include <cstddef>
#include <cstdint>
#include <limits>

#include "core/model/twin.hpp"
#include "geo/index/spatial_index.hpp"

namespace citytwin {

// Entry of signal_bus / charger_bus / charger_node when nothing matched.
inline constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;

struct JoinOptions {
  ServiceRule service_rule = ServiceRule::Voronoi;
  std::uint32_t voronoi_samples = 4096;  // sample grid size per district bounding box
  double max_match_distance_m = std::numeric_limits<double>::infinity();
};

struct JoinReport {
  std::size_t links_outside_districts = 0;     // link_district = -1
  std::size_t districts_unserved = 0;          // no substation at all: empty share row
  std::size_t districts_sampling_fallback = 0; // Voronoi/CapacityAware: no sample inside, used Nearest
  std::size_t districts_capacity_fallback = 0; // CapacityAware: no capacity among its substations, kept Voronoi
  std::size_t signals_unmatched = 0;           // signal_bus = kNoMatch
  std::size_t chargers_without_bus = 0;        // charger_bus = kNoMatch
  std::size_t chargers_without_node = 0;       // charger_node = kNoMatch

  // Features left without a match (fallbacks are matches, so not included).
  std::size_t unmatched() const {
    return links_outside_districts + districts_unserved + signals_unmatched + chargers_without_bus +
           chargers_without_node;
  }
  // One ImportReport entry (layer "joins") per non-zero count.
  void add_to(ImportReport& report) const;
  bool operator==(const JoinReport&) const = default;
};

// Each join fills its part of `out` (resizing it) and adds to `report`.
void join_link_districts(const Twin& twin, const TwinIndex& index, CrossLinks& out, JoinReport& report);
void join_district_substations(const Twin& twin, const TwinIndex& index, const JoinOptions& options,
                               CrossLinks& out, JoinReport& report);
void join_signal_buses(const Twin& twin, const TwinIndex& index, const JoinOptions& options, CrossLinks& out,
                       JoinReport& report);
void join_chargers(const Twin& twin, const TwinIndex& index, const JoinOptions& options, CrossLinks& out,
                   JoinReport& report);

// All of the above into a fresh CrossLinks.
JoinReport compute_cross_links(const Twin& twin, const TwinIndex& index, const JoinOptions& options,
                               CrossLinks& out);
// Builds the index, replaces twin.links and appends the counts to twin.report.
JoinReport compute_cross_links(Twin& twin, const JoinOptions& options = {});

// The Voronoi sample points of district d (see above), in row-major order
// from the bounding box's lower-left corner. Exposed for tests and the viewer.
std::vector<Point2> district_sample_points(const PolygonColumn& shapes, std::size_t d, std::uint32_t samples);

}  // namespace citytwin
