// The OSM import of the two shared extracts (Malta 2018, Andorra 2025),
// checked against counts made here with plain GDAL queries on the same files.
// Each extract is imported once per test binary (a lazily built static).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/model/grid_infeeds.hpp"
#include "core/model/road_graph_builder.hpp"
#include "core/model/snapshot.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/results/twin_export.hpp"
#include "geo/osm/osm_import.hpp"
#include "geo/osm/osm_reader.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;

namespace {

std::string shared(const std::string& file) { return std::string(CITYTWIN_REFERENCE_DATA) + "/osm/" + file; }

struct Imported {
  Twin twin;
  geo::osm::OsmImportSummary sum;
};

const Imported& imported(const std::string& file) {
  static std::map<std::string, Imported> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    Imported im;
    im.twin = geo::osm::import_osm(shared(file), {}, &im.sum);
    it = cache.emplace(file, std::move(im)).first;
  }
  return it->second;
}

#define REQUIRE_EXTRACT(file)                                                                 \
  if (!std::filesystem::exists(shared(file))) GTEST_SKIP() << "shared data missing: " << shared(file)

std::int64_t report_count(const Twin& t, const std::string& layer, const std::string& reason_part) {
  std::int64_t n = 0;
  for (const auto& e : t.report.entries)
    if (e.layer == layer && e.reason.find(reason_part) != std::string::npos) n += e.count;
  return n;
}

// Plain GDAL: open with the given osmconf.ini ("" = GDAL's default one).
geo::DatasetPtr open_osm(const std::string& path, const std::string& conf) {
  geo::ensure_gdal_initialised();
  const std::string opt = "CONFIG_FILE=" + conf;
  const char* options[] = {opt.c_str(), nullptr};
  const char* drivers[] = {"OSM", nullptr};
  return geo::DatasetPtr(static_cast<GDALDataset*>(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, conf.empty() ? nullptr : options, nullptr)));
}

// Every feature of one layer matching `where`, by (fid, feature) callback.
template <class F>
void each(const std::string& path, const std::string& conf, const char* layer, const std::string& where, F&& f) {
  auto ds = open_osm(path, conf);
  ASSERT_TRUE(ds) << path;
  OGRLayer* l = ds->GetLayerByName(layer);
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->SetAttributeFilter(where.c_str()), OGRERR_NONE) << where;
  for (geo::FeaturePtr feat(l->GetNextFeature()); feat; feat.reset(l->GetNextFeature())) f(*feat);
}

const std::string kDrivable =
    "highway IN ('motorway','motorway_link','trunk','trunk_link','primary','primary_link','secondary','secondary_link',"
    "'tertiary','tertiary_link','unclassified','residential','living_street')"
    " AND (area IS NULL OR area <> 'yes')"
    " AND (motor_vehicle IS NULL OR motor_vehicle NOT IN ('no','private','agricultural','forestry'))"
    " AND (motor_vehicle IS NOT NULL OR access IS NULL OR access NOT IN ('no','private','agricultural','forestry'))";
const std::string kCarFerry = "route = 'ferry' AND (motor_vehicle IN ('yes','designated') OR motorcar IN ('yes','designated'))";

void check_roads(const std::string& file) {
  const auto& [t, s] = imported(file);
  const std::string conf = s.osmconf;
  // Drivable ways, counted and collected independently.
  std::set<std::int64_t> ids;
  std::int64_t ways = 0;
  each(shared(file), conf, "lines", "(" + kDrivable + ") OR (" + kCarFerry + ")", [&](OGRFeature& f) {
    ++ways;
    ids.insert(f.GetFID());
  });
  EXPECT_EQ(ways, static_cast<std::int64_t>(s.drivable_ways) + report_count(t, "roads", "fewer than two nodes")) << file;
  std::int64_t ferries = 0;
  each(shared(file), conf, "lines", kCarFerry, [&](OGRFeature&) { ++ferries; });
  EXPECT_EQ(ferries, static_cast<std::int64_t>(s.ferry_ways));

  // Every road link comes from one of those ways; most ways survive in the graph
  // (a chain merged by degree-2 simplification keeps its first way's id).
  std::set<std::int64_t> used;
  std::size_t road_links = 0;
  for (std::size_t l = 0; l < t.roads.link_count(); ++l) {
    if (t.roads.road_class[l] == RoadClass::Connector) continue;
    ++road_links;
    EXPECT_EQ(t.roads.link_source.source[l], t.roads.link_source.source[0]);
    ASSERT_TRUE(ids.count(t.roads.link_source.feature[l])) << "link " << l << " from way " << t.roads.link_source.feature[l];
    used.insert(t.roads.link_source.feature[l]);
  }
  EXPECT_GT(static_cast<double>(used.size()), 0.7 * static_cast<double>(ids.size())) << file;
  EXPECT_GE(road_links, used.size());
  std::cout << file << ": " << ways << " drivable ways (GDAL), " << used.size() << " in the graph, " << road_links << " road links, "
            << t.roads.node_count() << " nodes\n";

  // Signals: every traffic_signals node read; most land on a junction.
  std::int64_t signals = 0;
  each(shared(file), conf, "points", "highway = 'traffic_signals'", [&](OGRFeature&) { ++signals; });
  EXPECT_EQ(signals, static_cast<std::int64_t>(s.signals_in_file));
  const auto sig = t.roads.signals();
  EXPECT_GT(sig.size(), 0u);
  EXPECT_LE(sig.size(), s.signals_matched);
  EXPECT_GE(static_cast<double>(s.signals_matched), 0.6 * static_cast<double>(signals));
  std::cout << file << ": " << signals << " traffic_signals nodes (GDAL), " << s.signals_matched << " matched, " << sig.size()
            << " signalised junctions\n";

  // The pruned graph is strongly connected (connectors aside) and keeps > 95 % of the length.
  std::vector<std::uint32_t> from, to;
  std::set<std::uint32_t> zone(t.roads.zone_node.begin(), t.roads.zone_node.end());
  for (std::size_t l = 0; l < t.roads.link_count(); ++l)
    if (t.roads.road_class[l] != RoadClass::Connector) {
      from.push_back(t.roads.link_from[l]);
      to.push_back(t.roads.link_to[l]);
    }
  const auto comp = strongly_connected_components(t.roads.node_count(), from, to);
  for (std::uint32_t n = 0; n < t.roads.node_count(); ++n) {
    if (!zone.count(n)) {
      ASSERT_EQ(comp[n], 0u) << "road node " << n << " outside the one component";
    }
  }
  EXPECT_GT(s.kept_directed_m / s.drivable_directed_m, 0.95) << file;
  std::cout << file << ": " << 100 * s.kept_directed_m / s.drivable_directed_m << " % of the drivable length kept\n";
}

struct PowerCounts {
  std::int64_t substation_areas = 0, substation_points = 0, lines = 0, circuits = 0;
};

// Substations with GDAL's *default* osmconf.ini (power only in other_tags; closed
// ways in `lines`), lines and their voltage levels with the project's.
PowerCounts gdal_power(const std::string& file, const std::string& conf) {
  PowerCounts c;
  const std::string sub = "other_tags LIKE '%\"power\"=>\"substation\"%' OR other_tags LIKE '%\"power\"=>\"sub_station\"%'";
  each(shared(file), "", "lines", sub, [&](OGRFeature& f) {
    const auto* ls = f.GetGeometryRef() ? f.GetGeometryRef()->toLineString() : nullptr;
    if (ls && ls->get_IsClosed()) ++c.substation_areas;
  });
  each(shared(file), "", "multipolygons", sub, [&](OGRFeature&) { ++c.substation_areas; });
  each(shared(file), "", "points", sub, [&](OGRFeature&) { ++c.substation_points; });
  each(shared(file), conf, "lines", "power IN ('line', 'minor_line', 'cable')", [&](OGRFeature& f) {
    ++c.lines;
    std::set<std::string> levels;
    std::stringstream ss(f.IsFieldSetAndNotNull(f.GetFieldIndex("voltage")) ? f.GetFieldAsString("voltage") : "");
    for (std::string v; std::getline(ss, v, ';');)
      if (!v.empty()) levels.insert(v);
    c.circuits += std::max<std::int64_t>(1, static_cast<std::int64_t>(levels.size()));
  });
  return c;
}

void check_grid(const std::string& file) {
  const auto& [t, s] = imported(file);
  const PowerGrid& g = t.grid;
  const PowerCounts c = gdal_power(file, s.osmconf);
  EXPECT_EQ(c.substation_areas + c.substation_points, static_cast<std::int64_t>(s.substations_in_file)) << file;
  EXPECT_EQ(c.lines, static_cast<std::int64_t>(s.power_lines));
  const std::int64_t duplicates = report_count(t, "grid.substations", "mapped twice");
  EXPECT_EQ(static_cast<std::int64_t>(g.substation_count()),
            c.substation_areas + c.substation_points - duplicates + static_cast<std::int64_t>(s.inferred_substations));
  // One branch per voltage level of each line, less loops inside one substation; the rest are inferred.
  std::int64_t mapped = 0, inferred = 0;
  for (std::size_t b = 0; b < g.branch_count(); ++b) (g.branch_source.inferred(b) ? inferred : mapped) += 1;
  EXPECT_EQ(mapped, c.circuits - report_count(t, "grid.lines", "same bus"));
  EXPECT_EQ(inferred, static_cast<std::int64_t>(s.inferred_branches));
  // Buses: one per voltage level of every substation, plus inferred junction/terminal buses.
  std::set<std::int32_t> subs_with_bus;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    if (g.bus_substation[b] >= 0) subs_with_bus.insert(g.bus_substation[b]);
    else EXPECT_TRUE(g.bus_source.inferred(b)) << "a bus outside substations must be inferred";
    EXPECT_GT(g.bus_kv[b], 0);
  }
  EXPECT_EQ(subs_with_bus.size(), g.substation_count());
  std::int64_t inferred_subs = 0;
  for (std::size_t k = 0; k < g.substation_count(); ++k) inferred_subs += g.substation_source.inferred(k);
  EXPECT_EQ(inferred_subs, static_cast<std::int64_t>(s.inferred_substations));
  std::int64_t slack = 0;
  for (auto type : g.bus_type) slack += type == BusType::Slack;
  // The bulk supply point plus one assumed infeed per island that has a substation but no mapped line to it.
  const std::int64_t infeeds = report_count(t, "grid", "assumed infeed");
  EXPECT_EQ(slack, 1 + infeeds);
  const IslandSupply supply = island_supply(g);
  EXPECT_EQ(supply.islands - 1, static_cast<std::int64_t>(s.grid_islands));
  EXPECT_EQ(supply.unsupplied_buses, report_count(t, "grid", "not connected to any slack"));
  PowerGrid again = g;
  EXPECT_EQ(assume_island_infeeds(again).assumed_infeeds, 0) << "an island with a substation was left without supply";
  for (std::size_t b = 0; b < g.branch_count(); ++b) {
    EXPECT_NE(g.branch_from[b], g.branch_to[b]);
    EXPECT_GT(g.branch_x[b], 0);
  }
  std::cout << file << ": GDAL " << c.substation_areas << " substation areas + " << c.substation_points << " nodes, " << c.lines
            << " power lines (" << c.circuits << " voltage circuits); twin " << g.substation_count() << " substations ("
            << s.inferred_substations << " inferred), " << g.bus_count() << " buses, " << g.branch_count() << " branches ("
            << s.inferred_branches << " inferred), " << s.grid_islands << " islands\n";
}

void check_districts(const std::string& file, int level, std::initializer_list<const char*> names) {
  const auto& [t, s] = imported(file);
  const Districts& d = t.districts;
  std::int64_t gdal = 0;
  each(shared(file), s.osmconf, "multipolygons", "boundary = 'administrative' AND admin_level = '" + std::to_string(level) + "'",
       [&](OGRFeature&) { ++gdal; });
  EXPECT_EQ(s.admin_level, level);
  EXPECT_TRUE(s.admin_level_automatic);
  EXPECT_EQ(static_cast<std::int64_t>(d.size()), gdal) << file;
  for (const char* n : names) {
    bool found = false;
    for (const auto& name : d.name) found |= name.find(n) != std::string::npos;
    EXPECT_TRUE(found) << "district '" << n << "' missing in " << file;
  }
  // Every district is a zone, served by at least one substation whose feeding bus exists.
  ASSERT_EQ(t.roads.zone_node.size(), d.size());
  ASSERT_EQ(t.links.district_sub_offsets.size(), d.size() + 1);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const auto a = t.links.district_sub_offsets[i], b = t.links.district_sub_offsets[i + 1];
    ASSERT_LT(a, b) << d.name[i] << " is not served";
    double share = 0;
    for (auto k = a; k < b; ++k) {
      ASSERT_LT(t.links.district_sub[k], t.grid.substation_count());
      EXPECT_LT(t.grid.substation_bus[t.links.district_sub[k]], t.grid.bus_count());
      share += t.links.district_sub_share[k];
    }
    EXPECT_NEAR(share, 1.0, 1e-9);
    EXPECT_GT(d.population[i], 0) << d.name[i];
    EXPECT_GT(d.area_m2[i], 0);
  }
  EXPECT_FALSE(s.population_method.empty());
  EXPECT_GT(report_count(t, "districts", "population apportioned"), 0);
}

}  // namespace

TEST(OsmMalta, RoadsMatchGdalCountsAndFormOneStronglyConnectedGraph) {
  REQUIRE_EXTRACT("malta-2018-08-27.osm.pbf");
  check_roads("malta-2018-08-27.osm.pbf");
}
TEST(OsmMalta, GridMatchesGdalCounts) {
  REQUIRE_EXTRACT("malta-2018-08-27.osm.pbf");
  check_grid("malta-2018-08-27.osm.pbf");
}
TEST(OsmMalta, SixtySevenLocalCouncilsAllServed) {
  REQUIRE_EXTRACT("malta-2018-08-27.osm.pbf");
  check_districts("malta-2018-08-27.osm.pbf", 8, {"Valletta", "Sliema", "Birkirkara", "Rabat", "Mellieħa"});
}
TEST(OsmAndorra, RoadsMatchGdalCountsAndFormOneStronglyConnectedGraph) {
  REQUIRE_EXTRACT("andorra-2025-01-18.osm.pbf");
  check_roads("andorra-2025-01-18.osm.pbf");
}
TEST(OsmAndorra, GridMatchesGdalCounts) {
  REQUIRE_EXTRACT("andorra-2025-01-18.osm.pbf");
  check_grid("andorra-2025-01-18.osm.pbf");
}
TEST(OsmAndorra, SevenParishesAllServed) {
  REQUIRE_EXTRACT("andorra-2025-01-18.osm.pbf");
  check_districts("andorra-2025-01-18.osm.pbf", 7,
                  {"Canillo", "Encamp", "Ordino", "La Massana", "Andorra la Vella", "Sant Julià de Lòria", "Escaldes-Engordany"});
}

TEST(OsmAndorra, MultiVoltageLinesGiveOneBranchPerLevelAndTransformersJoinLevels) {
  REQUIRE_EXTRACT("andorra-2025-01-18.osm.pbf");
  const PowerGrid& g = imported("andorra-2025-01-18.osm.pbf").twin.grid;
  std::set<double> kv(g.bus_kv.begin(), g.bus_kv.end());
  EXPECT_TRUE(kv.count(110) && kv.count(150) && kv.count(225)) << "the tagged transmission levels";
  std::size_t transformers = 0;
  for (std::size_t b = 0; b < g.branch_count(); ++b) {
    if (g.branch_kind[b] != BranchKind::Transformer) continue;
    ++transformers;
    EXPECT_EQ(g.bus_substation[g.branch_from[b]], g.bus_substation[g.branch_to[b]]);
    EXPECT_NE(g.bus_kv[g.branch_from[b]], g.bus_kv[g.branch_to[b]]);
    EXPECT_TRUE(g.branch_source.inferred(b));
  }
  EXPECT_GT(transformers, 0u);
}

TEST(OsmMalta, GeoPackageExportOpensWithOgrinfoAndSnapshotRoundTrips) {
  REQUIRE_EXTRACT("malta-2018-08-27.osm.pbf");
  const Twin& t = imported("malta-2018-08-27.osm.pbf").twin;
  const citytwin::testing::TempDir scratch("osm_export");
  const auto dir = scratch.path();
  const auto gpkg = dir / "malta.gpkg";
  const auto counts = geo::export_twin(t, gpkg);
  EXPECT_EQ(counts.districts, t.districts.size());
  EXPECT_EQ(counts.substations, t.grid.substation_count());
  if (std::system("ogrinfo --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "ogrinfo not on PATH";
  const auto log = dir / "ogrinfo.txt";
  const std::string cmd = "ogrinfo -ro -so -al '" + gpkg.string() + "' > '" + log.string() + "' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* layer : {"roads", "road_nodes", "grid_buses", "grid_branches", "substations", "districts"})
    EXPECT_NE(text.find(std::string("Layer name: ") + layer), std::string::npos) << layer;
  EXPECT_NE(text.find("Feature Count: " + std::to_string(t.districts.size())), std::string::npos);
  write_snapshot(t, dir / "malta.twin");
  EXPECT_TRUE(read_snapshot(dir / "malta.twin") == t);
}
