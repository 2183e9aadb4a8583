#pragma once
// Map matching of count stations: each station is snapped to one directed
// road link. Candidates are the links within `max_distance_m` (R-tree query,
// exact point-to-polyline distance; zone connectors never count). With a
// bearing, only links whose direction at the point nearest the station is
// within `bearing_tolerance_deg` of it qualify, which picks the counted
// direction of a two-way road; the nearest qualifying link wins. A station is
//   * matched   - one link is nearest by more than `tie_m`;
//   * ambiguous - several links qualify within `tie_m` of the nearest (no
//                 bearing on a two-way road; a station on a junction); it
//                 keeps the nearest as `link` but is not used in the fit;
//   * rejected  - no link within the distance, or none agrees with the bearing.
// Each status comes with its reason.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/twin.hpp"
#include "core/observations/observations.hpp"
#include "geo/index/spatial_index.hpp"

namespace citytwin::geo {

struct MatchOptions {
  double max_distance_m = 50;
  double bearing_tolerance_deg = 45;
  double tie_m = 2;  // links nearer than this to the nearest one are indistinguishable by distance
};

enum class MatchStatus : std::uint8_t { Matched, Ambiguous, Rejected };
const char* match_status_name(MatchStatus s);  // "matched", "ambiguous", "rejected"

struct StationMatch {
  MatchStatus status = MatchStatus::Rejected;
  std::int64_t link = -1;          // matched (or nearest ambiguous) link; -1 when rejected
  double distance_m = 0;           // to `link`, or to the nearest road link when rejected (inf: none)
  double link_bearing_deg = 0;     // direction of `link` at the snapped point (NaN when none)
  std::vector<std::uint32_t> alternatives;  // ambiguous: the other qualifying links
  std::string reason;
};

struct MatchReport {
  std::vector<StationMatch> stations;  // in the order given
  std::size_t matched = 0, ambiguous = 0, rejected = 0;
  // station -> link for matched stations, -1 otherwise (what fit_counts takes)
  std::vector<std::int64_t> station_links() const;
};

// `links` must index twin.roads.geometry.
MatchReport match_stations(const Twin& twin, const LineIndex& links, const std::vector<observations::CountStation>& stations,
                           const MatchOptions& options = {});

// The same decisions with candidates found by scanning every link (the
// oracle the R-tree version is tested against).
MatchReport match_stations_brute_force(const Twin& twin, const std::vector<observations::CountStation>& stations,
                                       const MatchOptions& options = {});

}  // namespace citytwin::geo
