// The results GeoPackage of a coupled run, written and read back.
#include <gtest/gtest.h>

#include <cmath>

#include "core/coupling/simulation.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "tests/support/test_files.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/results/results_reader.hpp"
#include "geo/results/results_writer.hpp"
#include "geo/import/twin_import.hpp"

using namespace citytwin;

TEST(ResultsFile, CoupledRunRoundTripsThroughTheGeoPackage) {
  citytwin::testing::TempDir dir("results_file");
  datasets::SyntheticOptions o;
  o.target_links = 2000;
  const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir.path());
  const Twin twin = geo::import_twin(geo::load_manifest(written.manifest));
  coupling::Scenario s;
  s.name = "outage";
  s.coupling.ev_share = 0.2;
  s.outages.push_back({coupling::AssetKind::Substation, 0, 17, 2});
  coupling::SimulationOptions so;
  so.hours = {8, 17};
  const auto run = coupling::simulate(twin, s, so);
  const auto gpkg = dir / "run.gpkg";
  geo::write_results(twin, run, gpkg);
  const auto back = geo::read_results(gpkg, twin);
  EXPECT_EQ(back.scenario, "outage");
  ASSERT_EQ(back.hours.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto &a = run.hours[i], &b = back.hours[i];
    EXPECT_EQ(a.totals.hour, b.totals.hour);
    EXPECT_DOUBLE_EQ(a.totals.vehicle_hours, b.totals.vehicle_hours);
    EXPECT_DOUBLE_EQ(a.totals.unserved_energy_mwh, b.totals.unserved_energy_mwh);
    EXPECT_DOUBLE_EQ(a.totals.demand_vehicles, b.totals.demand_vehicles);
    EXPECT_GT(b.totals.demand_vehicles, 0);
    EXPECT_DOUBLE_EQ(a.totals.queued_sessions, b.totals.queued_sessions);
    // floats stored as doubles come back exactly
    EXPECT_EQ(a.link_flow, b.link_flow);
    EXPECT_EQ(a.link_vc, b.link_vc);
    EXPECT_EQ(a.bus_energised, b.bus_energised);
    EXPECT_EQ(a.substation_utilisation, b.substation_utilisation);
    EXPECT_EQ(a.district_unserved_mwh, b.district_unserved_mwh);
    EXPECT_EQ(a.signal_dark, b.signal_dark);
  }
  EXPECT_EQ(back.hours[1].substation_failed[0], 1);

  // A file for another twin is refused with the file and layer named.
  Twin other = twin;
  other.roads.link_from.resize(10);
  other.roads.link_to.resize(10);
  citytwin::testing::expect_error<InvalidInput>([&] { geo::read_results(gpkg, other); }, {"run.gpkg", "roads_hourly_data", "another twin"});
}

namespace {

// The synthetic city's twin and a results file of one run, made once per process.
struct RunFile {
  citytwin::testing::TempDir dir{"results_twin"};
  Twin twin;
  std::filesystem::path gpkg;
  RunFile() {
    datasets::SyntheticOptions o;
    o.target_links = 1500;
    const auto written = datasets::write_synthetic_city(datasets::generate_synthetic_city(o), dir.path());
    twin = geo::import_twin(geo::load_manifest(written.manifest));
    coupling::SimulationOptions so;
    so.hours = {8};
    gpkg = dir / "run.gpkg";
    const coupling::Scenario baseline;  // a named object: GCC 12 warns (falsely) about a temporary's string
    geo::write_results(twin, coupling::simulate(twin, baseline, so), gpkg);
  }
};
const RunFile& run_file() {
  static const RunFile f;
  return f;
}

// Runs SQL on a copy of the run's file (older versions, corrupt files).
std::filesystem::path altered_copy(const std::string& name, const std::vector<std::string>& sql) {
  const auto out = run_file().dir / name;
  std::filesystem::copy_file(run_file().gpkg, out, std::filesystem::copy_options::overwrite_existing);
  geo::ensure_gdal_initialised();
  geo::DatasetPtr ds(static_cast<GDALDataset*>(GDALOpenEx(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr)));
  EXPECT_TRUE(ds) << out;
  for (const auto& s : sql) ds->ReleaseResultSet(ds->ExecuteSQL(s.c_str(), nullptr, nullptr));
  return out;
}

}  // namespace

TEST(ResultsFile, TheTwinIsReadFromTheFileAlone) {
  const Twin& t = run_file().twin;
  const geo::ResultsTwin rt = geo::read_results_twin(run_file().gpkg);
  const Twin& b = rt.twin;
  // the twin's name, not the file's
  ASSERT_NE(t.name, "run");
  EXPECT_EQ(b.name, t.name);
  EXPECT_EQ(b.crs, t.crs);
  EXPECT_EQ(b.sources, t.sources);
  // roads: geometry, topology, stored attributes and provenance exactly
  EXPECT_EQ(b.roads.geometry, t.roads.geometry);
  EXPECT_EQ(b.roads.link_from, t.roads.link_from);
  EXPECT_EQ(b.roads.link_to, t.roads.link_to);
  EXPECT_EQ(b.roads.road_class, t.roads.road_class);
  EXPECT_EQ(b.roads.capacity_vph, t.roads.capacity_vph);
  EXPECT_EQ(b.roads.free_flow_s, t.roads.free_flow_s);
  EXPECT_EQ(b.roads.length_m, t.roads.length_m);
  EXPECT_EQ(b.roads.lanes, t.roads.lanes);
  EXPECT_EQ(b.roads.speed_kph, t.roads.speed_kph);
  EXPECT_EQ(b.roads.link_source, t.roads.link_source);
  EXPECT_EQ(b.signal_nodes(), t.signal_nodes());
  for (std::size_t l = 0; l < t.roads.link_count(); ++l) {
    const auto v = t.roads.link_from[l];
    ASSERT_EQ(b.roads.node_x[v], t.roads.node_x[v]) << "link " << l;
    ASSERT_EQ(b.roads.node_y[v], t.roads.node_y[v]) << "link " << l;
  }
  // grid
  EXPECT_EQ(b.grid.bus_x, t.grid.bus_x);
  EXPECT_EQ(b.grid.bus_y, t.grid.bus_y);
  EXPECT_EQ(b.grid.bus_kv, t.grid.bus_kv);
  EXPECT_EQ(b.grid.bus_substation, t.grid.bus_substation);
  EXPECT_EQ(b.grid.bus_source, t.grid.bus_source);
  EXPECT_EQ(b.grid.branch_geometry, t.grid.branch_geometry);
  EXPECT_EQ(b.grid.branch_from, t.grid.branch_from);
  EXPECT_EQ(b.grid.branch_to, t.grid.branch_to);
  EXPECT_EQ(b.grid.branch_kind, t.grid.branch_kind);
  EXPECT_EQ(b.grid.branch_rating_mva, t.grid.branch_rating_mva);
  EXPECT_EQ(b.grid.substation_shape, t.grid.substation_shape);
  EXPECT_EQ(b.grid.substation_name, t.grid.substation_name);
  EXPECT_EQ(b.grid.substation_capacity_mva, t.grid.substation_capacity_mva);
  EXPECT_EQ(b.grid.substation_bus, t.grid.substation_bus);
  EXPECT_EQ(b.grid.substation_source, t.grid.substation_source);
  // districts
  EXPECT_EQ(b.districts.shape, t.districts.shape);
  EXPECT_EQ(b.districts.name, t.districts.name);
  EXPECT_EQ(b.districts.population, t.districts.population);
  EXPECT_EQ(b.districts.jobs, t.districts.jobs);
  EXPECT_EQ(b.districts.source, t.districts.source);
  // what the file does not hold is named, and nothing it holds is
  for (const char* m : {"roads.toll", "roads.bpr", "buses.type", "branches.impedance", "districts.jobs_by_sector", "chargers"})
    EXPECT_TRUE(rt.missing.count(m)) << m;
  for (const char* m : {"roads.lanes", "roads.from_node", "roads.provenance", "roads.signals", "buses.substation_id", "sources",
                        "twin.name"})
    EXPECT_FALSE(rt.missing.count(m)) << m;
  EXPECT_TRUE(std::isnan(b.roads.toll[0]));
  // and the hourly values read with it equal those read with the twin
  const auto with_twin = geo::read_results(run_file().gpkg, t);
  const auto alone = geo::read_results(run_file().gpkg, b);
  ASSERT_EQ(alone.hours.size(), 1u);
  EXPECT_EQ(alone.hours[0].link_vc, with_twin.hours[0].link_vc);
  EXPECT_EQ(alone.hours[0].signal_dark, with_twin.hours[0].signal_dark);
  EXPECT_EQ(alone.hours[0].branch_loading_pct, with_twin.hours[0].branch_loading_pct);
  EXPECT_TRUE(geo::is_sqlite_file(run_file().gpkg));
}

TEST(ResultsFile, AnOlderFileReadsWhatItHasAndNamesTheRest) {
  // files of the previous version: no node ids, lanes, provenance or sources
  const auto old = altered_copy("old.gpkg", {"ALTER TABLE roads DROP COLUMN from_node", "ALTER TABLE roads DROP COLUMN to_node",
                                             "ALTER TABLE roads DROP COLUMN lanes", "ALTER TABLE roads DROP COLUMN source_id",
                                             "ALTER TABLE roads DROP COLUMN source_fid", "DROP TABLE sources",
                                             "DELETE FROM gpkg_contents WHERE table_name = 'sources'",
                                             "DELETE FROM gpkg_metadata_reference", "DELETE FROM gpkg_metadata"});
  const geo::ResultsTwin rt = geo::read_results_twin(old);
  const Twin& t = run_file().twin;
  for (const char* m : {"roads.from_node", "roads.lanes", "roads.provenance", "sources", "twin.name"})
    EXPECT_TRUE(rt.missing.count(m)) << m;
  EXPECT_EQ(rt.twin.name, "old");
  ASSERT_EQ(rt.twin.roads.link_count(), t.roads.link_count());
  EXPECT_TRUE(std::isnan(rt.twin.roads.lanes[0]));
  EXPECT_TRUE(rt.twin.roads.link_source.source.empty());
  EXPECT_EQ(rt.twin.roads.geometry, t.roads.geometry);
  // nodes are the lines' distinct end points: links meet where they met
  for (std::size_t l = 0; l < t.roads.link_count(); ++l) {
    const auto a = rt.twin.roads.link_to[l];
    EXPECT_EQ(rt.twin.roads.node_x[a], t.roads.node_x[t.roads.link_to[l]]);
  }
}

TEST(ResultsFile, ACorruptTwinLayerIsNamedWithFeatureAndField) {
  const auto dup = altered_copy("dup.gpkg", {"UPDATE roads SET link_id = 0 WHERE fid = 5"});
  citytwin::testing::expect_error<InvalidInput>([&] { geo::read_results_twin(dup); }, {"dup.gpkg", "roads", "feature 5", "link_id"});
  const auto cls = altered_copy("cls.gpkg", {"UPDATE roads SET class = 'highway' WHERE fid = 3"});
  citytwin::testing::expect_error<InvalidInput>([&] { geo::read_results_twin(cls); }, {"cls.gpkg", "roads", "feature 3", "class", "highway"});
  const auto bus = altered_copy("bus.gpkg", {"UPDATE branches SET from_bus = 99999 WHERE fid = 1"});
  citytwin::testing::expect_error<InvalidInput>([&] { geo::read_results_twin(bus); }, {"bus.gpkg", "branches", "from_bus", "99999"});
  const auto none = altered_copy("nohours.gpkg", {"DROP TABLE hours", "DELETE FROM gpkg_contents WHERE table_name = 'hours'"});
  citytwin::testing::expect_error<InvalidInput>([&] { geo::read_results_twin(none); }, {"nohours.gpkg", "hours"});
}
