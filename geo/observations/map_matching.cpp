#include "geo/observations/map_matching.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "core/common/errors.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::geo {

namespace obs = citytwin::observations;

const char* match_status_name(MatchStatus s) {
  switch (s) {
    case MatchStatus::Matched: return "matched";
    case MatchStatus::Ambiguous: return "ambiguous";
    case MatchStatus::Rejected: return "rejected";
  }
  return "?";
}

std::vector<std::int64_t> MatchReport::station_links() const {
  std::vector<std::int64_t> out(stations.size(), -1);
  for (std::size_t s = 0; s < stations.size(); ++s)
    if (stations[s].status == MatchStatus::Matched) out[s] = stations[s].link;
  return out;
}

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void validate(const MatchOptions& o) {
  if (!(o.max_distance_m > 0) || !(o.bearing_tolerance_deg >= 0 && o.bearing_tolerance_deg <= 180) || !(o.tie_m >= 0))
    throw InvalidInput("map matching: the distance must be > 0, the bearing tolerance within 0..180 degrees and the tie distance >= 0");
}

// The decision, given the non-connector links within the distance by
// (distance, id) and the distance of the nearest non-connector link at all.
StationMatch decide(const Twin& twin, const obs::CountStation& st, const std::vector<IndexHit>& candidates, double nearest_m,
                    const MatchOptions& o) {
  StationMatch m;
  const std::string within = " within " + fmt("%g", o.max_distance_m) + " m";
  if (candidates.empty()) {
    m.distance_m = nearest_m;
    m.link_bearing_deg = std::numeric_limits<double>::quiet_NaN();
    m.reason = "no road link" + within + (std::isfinite(nearest_m) ? " (the nearest is " + fmt("%.0f", nearest_m) + " m away)" : " (the twin has no road links)");
    return m;
  }
  struct Candidate {
    IndexHit hit;
    double bearing;
  };
  std::vector<Candidate> ok;
  for (const auto& h : candidates) {
    const double b = obs::polyline_bearing_at(twin.roads.geometry, h.id, st.position);
    if (!st.bearing_deg || (std::isfinite(b) && obs::bearing_difference(b, *st.bearing_deg) <= o.bearing_tolerance_deg)) ok.push_back({h, b});
  }
  if (ok.empty()) {
    const auto& n = candidates.front();
    const double b = obs::polyline_bearing_at(twin.roads.geometry, n.id, st.position);
    m.distance_m = n.distance_m;
    m.link_bearing_deg = b;
    m.reason = "bearing " + fmt("%.0f", *st.bearing_deg) + " deg disagrees with every road link" + within + ": the nearest, link " +
               std::to_string(n.id) + " at " + fmt("%.1f", n.distance_m) + " m, runs " + fmt("%.0f", b) + " deg (" +
               fmt("%.0f", obs::bearing_difference(b, *st.bearing_deg)) + " deg off; tolerance " + fmt("%g", o.bearing_tolerance_deg) + ")";
    return m;
  }
  const Candidate& best = ok.front();
  m.link = best.hit.id;
  m.distance_m = best.hit.distance_m;
  m.link_bearing_deg = best.bearing;
  for (std::size_t i = 1; i < ok.size(); ++i)
    if (ok[i].hit.distance_m <= best.hit.distance_m + o.tie_m) m.alternatives.push_back(ok[i].hit.id);
  if (m.alternatives.empty()) {
    m.status = MatchStatus::Matched;
    m.reason = "link " + std::to_string(best.hit.id) + " at " + fmt("%.1f", best.hit.distance_m) + " m" +
               (st.bearing_deg ? ", direction " + fmt("%.0f", best.bearing) + " deg" : std::string());
    return m;
  }
  m.status = MatchStatus::Ambiguous;
  const RoadNetwork& r = twin.roads;
  const std::uint32_t a = best.hit.id, other = m.alternatives.front();
  const bool two_way = m.alternatives.size() == 1 && r.link_from[a] == r.link_to[other] && r.link_to[a] == r.link_from[other];
  std::string list = std::to_string(a);
  for (auto l : m.alternatives) list += ", " + std::to_string(l);
  if (!st.bearing_deg && two_way)
    m.reason = "no bearing, and the nearest road is two-way (links " + list + "): give the bearing of the counted direction";
  else
    m.reason = "links " + list + " are all within " + fmt("%g", o.tie_m) + " m of the nearest" +
               (st.bearing_deg ? " and run within " + fmt("%g", o.bearing_tolerance_deg) + " deg of the bearing" : std::string(" (no bearing)"));
  return m;
}

MatchReport tally(std::vector<StationMatch> stations) {
  MatchReport r;
  r.stations = std::move(stations);
  for (const auto& s : r.stations) {
    if (s.status == MatchStatus::Matched) ++r.matched;
    else if (s.status == MatchStatus::Ambiguous) ++r.ambiguous;
    else ++r.rejected;
  }
  return r;
}

bool is_road(const Twin& twin, std::uint32_t l) { return twin.roads.road_class[l] != RoadClass::Connector; }

}  // namespace

MatchReport match_stations(const Twin& twin, const LineIndex& links, const std::vector<obs::CountStation>& stations, const MatchOptions& o) {
  validate(o);
  std::vector<StationMatch> out;
  out.reserve(stations.size());
  const IdFilter road = [&twin](std::uint32_t l) { return is_road(twin, l); };
  for (const auto& st : stations) {
    std::vector<IndexHit> c = links.within(st.position, o.max_distance_m);
    std::erase_if(c, [&](const IndexHit& h) { return !is_road(twin, h.id); });
    double nearest = std::numeric_limits<double>::infinity();
    if (c.empty()) {
      const auto n = links.nearest(st.position, 1, road);
      if (!n.empty()) nearest = n.front().distance_m;
    }
    out.push_back(decide(twin, st, c, nearest, o));
  }
  return tally(std::move(out));
}

MatchReport match_stations_brute_force(const Twin& twin, const std::vector<obs::CountStation>& stations, const MatchOptions& o) {
  validate(o);
  std::vector<StationMatch> out;
  for (const auto& st : stations) {
    std::vector<IndexHit> c;
    double nearest = std::numeric_limits<double>::infinity();
    for (std::uint32_t l = 0; l < twin.roads.link_count(); ++l) {
      if (!is_road(twin, l) || twin.roads.geometry.points(l) == 0) continue;
      const double d = point_polyline_distance(twin.roads.geometry, l, st.position);
      nearest = std::min(nearest, d);
      if (d <= o.max_distance_m) c.push_back({l, d});
    }
    std::sort(c.begin(), c.end(), [](const IndexHit& a, const IndexHit& b) { return std::tie(a.distance_m, a.id) < std::tie(b.distance_m, b.id); });
    out.push_back(decide(twin, st, c, nearest, o));
  }
  return tally(std::move(out));
}

}  // namespace citytwin::geo
