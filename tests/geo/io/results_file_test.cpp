// The results GeoPackage of a coupled run, written and read back.
#include <gtest/gtest.h>

#include "core/coupling/simulation.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "fixtures.hpp"
#include "geo/io/results_reader.hpp"
#include "geo/io/results_writer.hpp"
#include "geo/io/twin_import.hpp"

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
