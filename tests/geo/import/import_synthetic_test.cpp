// Import of the synthetic city: counts and invariants checked against what
// the generator wrote (not against an earlier import).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numeric>

#include "core/model/snapshot.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "tests/support/test_files.hpp"
#include "geo/import/twin_import.hpp"
#include "tests/support/test_seed.hpp"

using namespace citytwin;

namespace {

struct Imported {
  datasets::SyntheticCity city;
  datasets::WrittenCity written;
  Twin twin;
};

const Imported& imported() {
  static citytwin::testing::TempDir dir("synthetic_import");
  static const Imported result = [] {
    Imported r;
    datasets::SyntheticOptions o;
    o.target_links = 8000;
    o.seed = citytwin::testing::test_seed(11);
    r.city = datasets::generate_synthetic_city(o);
    r.written = datasets::write_synthetic_city(r.city, dir.path());
    r.twin = geo::import_twin(geo::load_manifest(r.written.manifest));
    return r;
  }();
  return result;
}

double polyline_length(const std::vector<Point2>& l) {
  double s = 0;
  for (std::size_t k = 1; k < l.size(); ++k) s += std::hypot(l[k].x - l[k - 1].x, l[k].y - l[k - 1].y);
  return s;
}

}  // namespace

TEST(ImportSynthetic, LayerCountsMatchWhatTheDepartmentsDelivered) {
  const auto& r = imported();
  const Twin& t = r.twin;
  EXPECT_EQ(t.crs, "EPSG:32633");
  EXPECT_EQ(t.districts.size(), r.city.districts.size());
  EXPECT_EQ(t.grid.substation_count(), r.city.substations.size());
  EXPECT_EQ(t.grid.bus_count(), r.city.substations.size());  // one 110 kV bus each, no junctions
  EXPECT_EQ(t.grid.branch_count(), r.city.lines.size());
  EXPECT_EQ(t.chargers.size(), r.city.chargers.size());
  EXPECT_EQ(t.roads.signals().size(), r.city.signals.size());
  EXPECT_EQ(t.roads.zone_node.size(), t.districts.size());
  EXPECT_EQ(t.sources.size(), 6u);
}

TEST(ImportSynthetic, DirectedRoadLengthIsPreservedThroughSplittingAndMerging) {
  const auto& r = imported();
  double expected = 0;
  for (const auto& road : r.city.roads) expected += polyline_length(road.line) * (road.oneway == "B" ? 2 : 1);
  double got = 0;
  for (std::size_t l = 0; l < r.twin.roads.link_count(); ++l)
    if (r.twin.roads.road_class[l] != RoadClass::Connector) got += r.twin.roads.length_m[l];
  // Coordinates went UTM -> WGS 84 -> UTM; that round trip is sub-millimetre.
  EXPECT_NEAR(got, expected, expected * 1e-9);
}

TEST(ImportSynthetic, AttributesAreMappedWithUnits) {
  const Twin& t = imported().twin;
  for (std::size_t l = 0; l < t.roads.link_count(); ++l) {
    if (t.roads.road_class[l] != RoadClass::Residential) continue;
    // residential: 20 mph, 600 veh/h per direction in the transport department's data
    EXPECT_NEAR(t.roads.speed_kph[l], 20 * 1.609344, 1e-4);
    EXPECT_DOUBLE_EQ(t.roads.capacity_vph[l], 600);
    EXPECT_NEAR(t.roads.free_flow_s[l], t.roads.length_m[l] / (20 * 1.609344 / 3.6), 1e-6);
    break;
  }
  double pop = 0, written = 0;
  for (double p : t.districts.population) pop += p;
  for (const auto& d : imported().city.districts) written += d.population;
  EXPECT_DOUBLE_EQ(pop, written);
}

TEST(ImportSynthetic, JoinsCoverEveryLinkDistrictAndSignal) {
  const Twin& t = imported().twin;
  ASSERT_EQ(t.links.link_district.size(), t.roads.link_count());
  for (auto d : t.links.link_district) EXPECT_GE(d, 0);
  ASSERT_EQ(t.links.district_sub_offsets.size(), t.districts.size() + 1);
  for (std::size_t d = 0; d < t.districts.size(); ++d) {
    double share = 0;
    for (auto k = t.links.district_sub_offsets[d]; k < t.links.district_sub_offsets[d + 1]; ++k) share += t.links.district_sub_share[k];
    EXPECT_NEAR(share, 1.0, 1e-12) << "district " << d;
  }
  EXPECT_EQ(t.links.signal_bus.size(), t.roads.signals().size());
}

TEST(ImportSynthetic, ProvenanceTracesLinksBackToTheTransportDepartment) {
  const Twin& t = imported().twin;
  std::size_t from_roads = 0;
  for (std::size_t l = 0; l < t.roads.link_count(); ++l) {
    if (t.roads.link_source.inferred(l)) {
      EXPECT_EQ(t.roads.road_class[l], RoadClass::Connector);
      continue;
    }
    const auto& src = t.sources.at(t.roads.link_source.source[l]);
    EXPECT_EQ(src.department, "transport");
    EXPECT_EQ(src.layer, "streets");
    EXPECT_GE(t.roads.link_source.feature[l], 1);
    ++from_roads;
  }
  EXPECT_GT(from_roads, 0u);
}

TEST(ImportSynthetic, SnapshotRoundTripIsExact) {
  const Twin& t = imported().twin;
  const citytwin::testing::TempDir scratch("synthetic_roundtrip");
  const auto p = scratch / "roundtrip.twin";
  write_snapshot(t, p);
  EXPECT_TRUE(read_snapshot(p) == t);
}

TEST(ImportSynthetic, GeneratorIsDeterministic) {
  datasets::SyntheticOptions o;
  o.target_links = 3000;
  o.seed = 5;
  const auto a = datasets::generate_synthetic_city(o), b = datasets::generate_synthetic_city(o);
  ASSERT_EQ(a.roads.size(), b.roads.size());
  for (std::size_t i = 0; i < a.roads.size(); ++i) ASSERT_EQ(a.roads[i].line.size(), b.roads[i].line.size());
  EXPECT_EQ(a.roads.back().line.back().x, b.roads.back().line.back().x);
  o.seed = 6;
  EXPECT_NE(datasets::generate_synthetic_city(o).roads.front().line[1].x, a.roads.front().line[1].x);
}
