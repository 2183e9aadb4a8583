// Districts: boundary=administrative polygons at one admin level (given, or
// chosen automatically), with population and jobs (tags, else apportioned from
// totals by building footprint area, else by road length). Method:
// datasets/osm/README.md.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "geo/index/spatial_index.hpp"
#include "geo/osm/osm_stages.hpp"
#include "geo/osm/osm_tags.hpp"

namespace citytwin::geo::osm {

namespace {

constexpr std::size_t kMinDistricts = 5, kMaxDistricts = 300;
constexpr std::size_t kCoverageSamples = 4000;
constexpr double kPersonsPerHousehold = 2.3;  // as the manifest path
constexpr double kRetailShare = 0.15, kServiceShare = 0.60, kOtherShare = 0.25;

bool overlaps(const Box2& a, const Box2& b) {
  return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

Box2 polygons_box(const std::vector<LonLatPolygon>& ps) {
  Box2 b{1e300, 1e300, -1e300, -1e300};
  for (const auto& p : ps)
    for (const Point2& q : p.front()) {
      b.min_x = std::min(b.min_x, q.x);
      b.min_y = std::min(b.min_y, q.y);
      b.max_x = std::max(b.max_x, q.x);
      b.max_y = std::max(b.max_y, q.y);
    }
  return b;
}

bool finite_polygons(const std::vector<LonLatPolygon>& ps) {
  for (const auto& p : ps)
    for (const auto& r : p)
      for (const Point2& q : r)
        if (!std::isfinite(q.x) || !std::isfinite(q.y)) return false;
  return !ps.empty();
}

struct Candidate {
  const RawArea* area;
  Box2 box;
};

// Share `total` over districts by weight; districts with weight 0 get 0.
void apportion(std::vector<double>& out, const std::vector<std::size_t>& who, const std::vector<double>& weight, double total) {
  double sum = 0;
  for (auto d : who) sum += weight[d];
  for (auto d : who) out[d] = sum > 0 ? total * weight[d] / sum : total / static_cast<double>(who.size());
}

Point2 polygon_centroid_area(const LonLatPolygon& p, double& area) {
  // Area-weighted centroid of the outer ring (holes ignored: footprints are small).
  const auto& r = p.front();
  double a = 0, cx = 0, cy = 0;
  for (std::size_t i = 0, n = r.size(); i < n; ++i) {
    const Point2& u = r[i];
    const Point2& v = r[(i + 1) % n];
    const double w = u.x * v.y - v.x * u.y;
    a += w;
    cx += (u.x + v.x) * w;
    cy += (u.y + v.y) * w;
  }
  area = std::abs(a) / 2;
  if (std::abs(a) < 1e-9) return r.front();
  return {cx / (3 * a), cy / (3 * a)};
}

}  // namespace

std::vector<Point2> build_osm_districts(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, Twin& twin,
                                        OsmImportSummary& sum) {
  RoadNetwork& roads = twin.roads;
  ImportReport& rep = twin.report;
  // The extent of every drivable way read (islands included).
  Box2 road_box{1e300, 1e300, -1e300, -1e300};
  for (const RawRoad& r : x.roads) {
    RoadClass c;
    if (!drivable_class(r.highway, o.include_service, c)) continue;
    for (const Point2& p : r.line) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      road_box.min_x = std::min(road_box.min_x, p.x);
      road_box.min_y = std::min(road_box.min_y, p.y);
      road_box.max_x = std::max(road_box.max_x, p.x);
      road_box.max_y = std::max(road_box.max_y, p.y);
    }
  }

  // Polygons per admin level that reach the road extent.
  std::map<int, std::vector<Candidate>> levels;
  std::size_t unlevelled = 0;
  for (const RawArea& a : x.admin_areas) {
    if (!finite_polygons(a.polygons)) continue;
    int level = 0;
    try {
      level = std::stoi(a.admin_level);
    } catch (...) {
      ++unlevelled;
      continue;
    }
    const Box2 b = polygons_box(a.polygons);
    if (overlaps(b, road_box)) levels[level].push_back({&a, b});
  }

  // Road sample points for the coverage of each level.
  std::vector<Point2> samples;
  const std::size_t stride = std::max<std::size_t>(1, roads.node_count() / kCoverageSamples);
  for (std::size_t n = 0; n < roads.node_count(); n += stride) samples.push_back({roads.node_x[n], roads.node_y[n]});
  auto coverage = [&](const std::vector<Candidate>& cs) {
    PolygonColumn shapes;
    for (const Candidate& c : cs) {
      shapes.begin_feature();
      for (const auto& p : c.area->polygons) shapes.add_polygon(p);
    }
    const PolygonIndex idx = PolygonIndex::build(shapes);
    std::vector<std::uint8_t> in(samples.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, samples.size(), 64), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) in[i] = idx.containing(samples[i]).empty() ? 0 : 1;
    });
    std::size_t k = 0;
    for (auto v : in) k += v;
    return samples.empty() ? 0.0 : static_cast<double>(k) / static_cast<double>(samples.size());
  };

  std::ostringstream present;
  for (const auto& [level, cs] : levels) present << (present.tellp() > 0 ? ", " : "") << level << ": " << cs.size();
  const std::string present_text = levels.empty() ? std::string("none") : present.str();

  int chosen = 0;
  std::string why;
  if (o.admin_level > 0) {
    if (!levels.count(o.admin_level))
      throw InvalidInput("no boundary=administrative polygons at admin_level " + std::to_string(o.admin_level) +
                             " reach the road network; levels present (level: polygons): " + present_text,
                         {.file = x.path, .layer = "multipolygons", .field = "admin_level"});
    chosen = o.admin_level;
    why = "admin_level " + std::to_string(chosen) + " given on the command line";
  } else if (!levels.empty()) {
    // Best cover of the roads among levels with a sensible count; the finest
    // of those within 5 % of the best cover.
    std::map<int, double> cover;
    for (const auto& [level, cs] : levels)
      if (cs.size() >= kMinDistricts && cs.size() <= kMaxDistricts) cover[level] = coverage(cs);
    if (cover.empty())
      for (const auto& [level, cs] : levels)
        if (cs.size() >= 2) cover[level] = coverage(cs);
    if (cover.empty())
      for (const auto& [level, cs] : levels) cover[level] = coverage(cs);
    double best = 0;
    for (const auto& [level, c] : cover) best = std::max(best, c);
    for (const auto& [level, c] : cover)
      if (c > 0 && c >= best - 0.05 && (chosen == 0 || levels[level].size() > levels[chosen].size())) chosen = level;
    if (chosen > 0) {
      std::ostringstream w;
      w.precision(3);
      w << "admin_level " << chosen << " chosen automatically: " << levels[chosen].size() << " polygons covering "
        << 100 * cover[chosen] << " % of the road nodes (levels present, level: polygons: " << present_text << ")";
      why = w.str();
    }
  }
  sum.admin_level = chosen;
  sum.admin_level_automatic = o.admin_level == 0;

  Districts& d = twin.districts;
  d = Districts{};
  if (chosen > 0) {
    twin.sources[s.districts].layer = "multipolygons: boundary=administrative, admin_level=" + std::to_string(chosen);
    rep.add(o.admin_level > 0 ? "warning" : "inferred", "districts", 1, why);
    for (const Candidate& c : levels[chosen]) {
      d.shape.begin_feature();
      for (const auto& p : c.area->polygons) d.shape.add_polygon(p);
      d.name.push_back(c.area->name.empty() ? "district " + std::to_string(c.area->id) : c.area->name);
      d.source.add(s.districts, c.area->id);
    }
  } else {
    // No boundaries: one district over the road extent, marked inferred.
    const Box2& b = road_box;
    d.shape.begin_feature();
    d.shape.add_polygon({{{b.min_x, b.min_y}, {b.max_x, b.min_y}, {b.max_x, b.max_y}, {b.min_x, b.max_y}, {b.min_x, b.min_y}}});
    d.name.push_back(twin.name + " (whole extract)");
    d.source.add(ProvenanceColumn::kInferred, -1);
    rep.add("warning", "districts", 1,
            "no boundary=administrative polygons reach the road network: one district over the roads' bounding box inferred");
  }
  const std::size_t n = d.size();
  d.derive_area_and_centroids();

  // Building footprints and road length per district.
  const PolygonIndex index = PolygonIndex::build(d.shape);
  struct Foot {
    std::int32_t district = -1;
    double area = 0;
    Point2 centre;
    BuildingUse use = BuildingUse::Other;
  };
  std::vector<Foot> feet(x.buildings.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x.buildings.size(), 256), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const RawBuilding& b = x.buildings[i];
      if (!finite_polygons(b.polygons)) continue;
      Foot& f = feet[i];
      double a = 0;
      f.centre = polygon_centroid_area(b.polygons.front(), a);
      for (std::size_t k = 1; k < b.polygons.size(); ++k) {
        double more = 0;
        polygon_centroid_area(b.polygons[k], more);
        a += more;
      }
      f.area = a;
      f.use = building_use(b.building);
      if (b.has_workplace_tag && f.use == BuildingUse::Residential && b.building != "apartments" && b.building != "house")
        f.use = BuildingUse::NonResidential;
      const auto hit = index.containing(f.centre);
      if (!hit.empty()) f.district = static_cast<std::int32_t>(hit.front());
    }
  });
  std::vector<double> res_area(n, 0), work_area(n, 0), road_len(n, 0), lc_x(n, 0), lc_y(n, 0);
  for (const Foot& f : feet) {
    if (f.district < 0 || f.area <= 0) continue;
    if (f.use == BuildingUse::Residential) {
      res_area[f.district] += f.area;
      lc_x[f.district] += f.centre.x * f.area;
      lc_y[f.district] += f.centre.y * f.area;
    } else if (f.use == BuildingUse::NonResidential) {
      work_area[f.district] += f.area;
    }
  }
  std::vector<std::int32_t> link_district(roads.link_count(), -1);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, roads.link_count(), 1024), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t l = r.begin(); l != r.end(); ++l) {
      const auto hit = index.containing(roads.geometry.point(l, roads.geometry.points(l) / 2));
      if (!hit.empty()) link_district[l] = static_cast<std::int32_t>(hit.front());
    }
  });
  for (std::size_t l = 0; l < roads.link_count(); ++l)
    if (link_district[l] >= 0) road_len[link_district[l]] += roads.length_m[l];

  // Population: tags first; the rest from the total (or the tagged districts' density).
  d.population.assign(n, 0);
  std::vector<std::size_t> untagged;
  std::size_t tagged = 0;
  double tagged_sum = 0, tagged_res = 0, tagged_road = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const RawArea* a = nullptr;
    if (chosen > 0) a = levels[chosen][i].area;
    const auto pop = a ? parse_population(a->population) : std::nullopt;
    if (pop) {
      d.population[i] = *pop;
      ++tagged;
      tagged_sum += *pop;
      tagged_res += res_area[i];
      tagged_road += road_len[i];
    } else {
      untagged.push_back(i);
    }
  }
  double untagged_res = 0;
  for (auto i : untagged) untagged_res += res_area[i];
  const bool by_buildings = untagged_res > 0;
  const std::vector<double>& weight = by_buildings ? res_area : road_len;
  const std::string weight_name = by_buildings ? "residential building footprint area" : "road length (no residential buildings mapped)";
  std::ostringstream pm;
  pm << tagged << " of " << n << " districts from population tags";
  if (!untagged.empty()) {
    if (o.population_total) {
      const double rest = std::max(0.0, *o.population_total - tagged_sum);
      apportion(d.population, untagged, weight, rest);
      pm << "; " << untagged.size() << " apportioned " << rest << " residents (--population-total " << *o.population_total
         << " minus tagged " << tagged_sum << ") by " << weight_name;
      if (*o.population_total < tagged_sum)
        rep.add("warning", "districts", 1, "--population-total is below the sum of population tags: untagged districts get 0");
    } else if (tagged > 0 && (by_buildings ? tagged_res : tagged_road) > 0) {
      const double density = tagged_sum / (by_buildings ? tagged_res : tagged_road);
      for (auto i : untagged) d.population[i] = density * weight[i];
      pm << "; " << untagged.size() << " estimated at the tagged districts' " << density << " residents per unit of " << weight_name;
    } else {
      pm << "; " << untagged.size() << " left at 0 (no tags to calibrate on: give --population-total)";
      rep.add("warning", "districts", static_cast<std::int64_t>(untagged.size()),
              "population unknown (no population tag, no --population-total): 0 assumed");
    }
    rep.add("inferred", "districts", static_cast<std::int64_t>(untagged.size()), "population apportioned: " + pm.str());
  }
  sum.population_method = pm.str();

  double pop_total = 0;
  for (double p : d.population) pop_total += p;
  const double jobs_total = o.jobs_total ? *o.jobs_total : o.jobs_per_resident * pop_total;
  double work_sum = 0;
  for (double w : work_area) work_sum += w;
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  d.jobs.assign(n, 0);
  apportion(d.jobs, all, work_sum > 0 ? work_area : road_len, jobs_total);
  std::ostringstream jm;
  jm << jobs_total << " jobs (" << (o.jobs_total ? "--jobs-total" : std::to_string(o.jobs_per_resident) + " x population")
     << ") apportioned by " << (work_sum > 0 ? "non-residential building footprint area" : "road length (no workplaces mapped)");
  sum.jobs_method = jm.str();
  rep.add("inferred", "districts", static_cast<std::int64_t>(n), "jobs: " + jm.str() + "; sectors 15 % retail, 60 % service, 25 % other");
  d.households.resize(n);
  d.jobs_retail.resize(n);
  d.jobs_service.resize(n);
  d.jobs_other.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    d.households[i] = d.population[i] / kPersonsPerHousehold;
    d.jobs_retail[i] = d.jobs[i] * kRetailShare;
    d.jobs_service[i] = d.jobs[i] * kServiceShare;
    d.jobs_other[i] = d.jobs[i] * kOtherShare;
  }

  std::vector<Point2> centres(n);
  for (std::size_t i = 0; i < n; ++i)
    centres[i] = res_area[i] > 0 ? Point2{lc_x[i] / res_area[i], lc_y[i] / res_area[i]} : Point2{d.centroid_x[i], d.centroid_y[i]};
  return centres;
}

}  // namespace citytwin::geo::osm
