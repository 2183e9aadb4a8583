// Load calibration: the bounded two-factor least squares against a brute-force
// search of the box, its degenerate cases, the factors applied to bus loads
// (and nothing changed without them), the calibration kept in a snapshot and
// validated when read back.
#include "core/calibration/load_calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "core/calibration/calibrate_twin.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/calibrated_loads.hpp"
#include "core/model/snapshot.hpp"
#include "tests/core/coupling/small_city.hpp"

namespace citytwin::calibration {
namespace {

double objective(const std::vector<double>& B, const std::vector<double>& E, const std::vector<double>& r, double a, double b) {
  double s = 0;
  for (std::size_t i = 0; i < B.size(); ++i) s += (a * B[i] + b * E[i] - r[i]) * (a * B[i] + b * E[i] - r[i]);
  return s;
}

TEST(LoadFactors, ExactInsideTheBoxRecoverTheTrueFactors) {
  const std::vector<double> B = {10, 12, 15, 20, 18, 11}, E = {1, 0.5, 2, 4, 3, 0.2};
  std::vector<double> r(B.size());
  for (std::size_t i = 0; i < B.size(); ++i) r[i] = 1.3 * B[i] + 2.5 * E[i];
  const auto f = solve_load_factors(B, E, r);
  EXPECT_NEAR(f.load, 1.3, 1e-6);
  EXPECT_NEAR(f.ev, 2.5, 1e-6);
  EXPECT_FALSE(f.load_at_bound);
  EXPECT_FALSE(f.ev_at_bound);
}

// Random problems whose unconstrained optimum is often outside the box: the
// solver's answer is no worse than the best point of a fine grid over the box,
// and lies in the box.
TEST(LoadFactors, BoundedOptimumBeatsABruteForceGrid) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> B(8), E(8), r(8);
    const double ta = u(rng) * 4 - 1, tb = u(rng) * 8 - 2;  // true factors, often outside [0.5, 2] x [0, 4]
    for (int i = 0; i < 8; ++i) B[i] = 5 + 10 * u(rng), E[i] = 3 * u(rng), r[i] = ta * B[i] + tb * E[i] + u(rng) - 0.5;
    const auto f = solve_load_factors(B, E, r);
    ASSERT_GE(f.load, kLoadFactorMin);
    ASSERT_LE(f.load, kLoadFactorMax);
    ASSERT_GE(f.ev, kEvFactorMin);
    ASSERT_LE(f.ev, kEvFactorMax);
    double best = INFINITY;
    for (int i = 0; i <= 300; ++i)
      for (int j = 0; j <= 400; ++j) best = std::min(best, objective(B, E, r, 0.5 + 1.5 * i / 300.0, 4.0 * j / 400.0));
    EXPECT_LE(objective(B, E, r, f.load, f.ev), best * (1 + 1e-7) + 1e-9) << "trial " << trial;
  }
}

TEST(LoadFactors, ClampedAtTheBoundAndDegenerateCasesKeepThePrior) {
  const std::vector<double> B = {10, 20, 30}, E0 = {0, 0, 0}, E = {1, 2, 1};
  // Load three times the model's: the load factor stops at 2, EV takes what it can.
  const auto high = solve_load_factors(B, E0, {30, 60, 90});
  EXPECT_DOUBLE_EQ(high.load, 2.0);
  EXPECT_TRUE(high.load_at_bound);
  EXPECT_NEAR(high.ev, 1.0, 1e-6);  // no EV load: its factor stays at the prior
  // Nothing to scale at all.
  const auto none = solve_load_factors({0, 0}, {0, 0}, {5, 5});
  EXPECT_EQ(none.load, 1.0);
  EXPECT_EQ(none.ev, 1.0);
  // Negative EV wanted: clamped at 0 with the load factor re-fitted on that edge (hand solution: a = sum(B r) / sum(B B)).
  const std::vector<double> r = {9, 18, 29};
  const auto neg = solve_load_factors(B, E, r);
  EXPECT_DOUBLE_EQ(neg.ev, 0.0);
  EXPECT_NEAR(neg.load, (10 * 9 + 20 * 18 + 30 * 29) / 1400.0, 1e-6);
}

TEST(CalibratedLoads, FactorsScaleBaseAndEvPerSubstationAndNoneChangesNothing) {
  Twin twin = testing::small_city();
  const std::size_t Z = twin.districts.size(), ns = twin.grid.substation_count();
  std::vector<double> base(Z), q(Z), ev(Z);
  for (std::size_t z = 0; z < Z; ++z) base[z] = 1 + 0.1 * z, q[z] = 0.3, ev[z] = 0.05 * z;
  const std::vector<double> stations(twin.chargers.size(), 0.2);
  const auto plain = coupling::calibrated_bus_loads(twin, base, q, ev, stations, 0.5);
  // Without calibration: the simulation's former sum, bit for bit.
  std::vector<double> p(Z);
  for (std::size_t z = 0; z < Z; ++z) p[z] = base[z] + ev[z];
  auto expect = coupling::zone_loads_on_buses(twin, p, q, 0.5);
  for (std::size_t c = 0; c < stations.size(); ++c)
    if (twin.links.charger_bus[c] != 0xFFFFFFFFu) expect.p[twin.links.charger_bus[c]] += stations[c];
  ASSERT_EQ(plain.p, expect.p);
  ASSERT_EQ(plain.q, expect.q);
  // With factors: per substation, load x a + EV x b (base, EV and signals computed apart).
  twin.calibration.substation_load_factor.assign(ns, 1.0);
  twin.calibration.substation_ev_factor.assign(ns, 1.0);
  for (std::size_t k = 0; k < ns; ++k) twin.calibration.substation_load_factor[k] = 0.6 + 0.1 * static_cast<double>(k % 10), twin.calibration.substation_ev_factor[k] = 0.5 * static_cast<double>(k % 5);
  const auto cal = coupling::calibrated_bus_loads(twin, base, q, ev, stations, 0.5);
  const auto b0 = coupling::zone_loads_on_buses(twin, base, q, 0.0);
  const auto e0 = coupling::zone_loads_on_buses(twin, ev, std::vector<double>(Z, 0.0), 0.0);
  const auto s0 = coupling::zone_loads_on_buses(twin, {}, {}, 0.5);
  for (std::size_t b = 0; b < twin.grid.bus_count(); ++b) {
    const auto k = twin.grid.bus_substation[b];
    const double a = k >= 0 ? twin.calibration.substation_load_factor[k] : 1, e = k >= 0 ? twin.calibration.substation_ev_factor[k] : 1;
    double st = 0;
    for (std::size_t c = 0; c < stations.size(); ++c)
      if (twin.links.charger_bus[c] == b) st += stations[c];
    EXPECT_NEAR(cal.p[b], a * b0.p[b] + e * (e0.p[b] + st) + s0.p[b], 1e-12) << "bus " << b;
    EXPECT_NEAR(cal.q[b], a * b0.q[b], 1e-12);
  }
}

TEST(CalibrationInSnapshot, RoundTripsAndBadValuesNameTheFieldAndEntry) {
  Twin twin = testing::small_city();
  const testing::TempDir dir("calib_snapshot");
  // Uncalibrated: still written as version 1.
  write_snapshot(twin, dir / "plain.twin");
  {
    std::ifstream in(dir / "plain.twin", std::ios::binary);
    char head[12];
    in.read(head, 12);
    std::uint32_t v = 0;
    std::memcpy(&v, head + 8, 4);
    EXPECT_EQ(v, kSnapshotVersion);
  }
  TwinCalibration& c = twin.calibration;
  c.od_hour = {7, 7, 8};
  c.od_origin = {0, 1, 0};
  c.od_destination = {2, 0, 2};
  c.od_factor = {1.5, 0.8, 1.2};
  c.substation_load_factor.assign(twin.grid.substation_count(), 1.1);
  c.substation_ev_factor.assign(twin.grid.substation_count(), 2.0);
  c.source = "test";
  write_snapshot(twin, dir / "cal.twin");
  const Twin back = read_snapshot(dir / "cal.twin");
  EXPECT_EQ(back.calibration, c);
  EXPECT_EQ(back, twin);

  auto expect_bad = [&](Twin t, const std::string& field, const std::string& words) {
    write_snapshot(t, dir / "bad.twin");
    try {
      read_snapshot(dir / "bad.twin");
      ADD_FAILURE() << "read a snapshot with a bad " << field;
    } catch (const InvalidInput& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(field), std::string::npos) << m;
      EXPECT_NE(m.find(words), std::string::npos) << m;
      EXPECT_NE(m.find("bad.twin"), std::string::npos) << m;
    }
  };
  Twin t = twin;
  t.calibration.substation_load_factor[2] = 7;
  expect_bad(t, "substation_load_factor", "entry 2");
  t = twin;
  t.calibration.substation_ev_factor[1] = NAN;
  expect_bad(t, "substation_ev_factor", "entry 1");
  t = twin;
  t.calibration.od_origin[1] = 100000;
  expect_bad(t, "od_origin", "entry 1");
  t = twin;
  t.calibration.od_hour[2] = 30;
  expect_bad(t, "od_hour", "entry 2");
  t = twin;
  std::swap(t.calibration.od_origin[0], t.calibration.od_origin[1]);  // unsorted
  expect_bad(t, "od_hour", "sorted");
  t = twin;
  t.calibration.od_factor[0] = -1;
  expect_bad(t, "od_factor", "entry 0");
  t = twin;
  t.calibration.substation_ev_factor.pop_back();
  expect_bad(t, "substation_ev_factor", "substations");
}

TEST(OdFactors, MultiplyOnlyTheirHourAndCells) {
  TwinCalibration c;
  c.od_hour = {7, 7, 8};
  c.od_origin = {0, 1, 0};
  c.od_destination = {1, 1, 0};
  c.od_factor = {2, 0.5, 3};
  std::vector<double> od(4, 10.0);
  apply_od_factors(c, 7, 2, od);
  EXPECT_EQ(od, (std::vector<double>{10, 20, 10, 5}));
  std::vector<double> od8(4, 10.0);
  apply_od_factors(c, 8, 2, od8);
  EXPECT_EQ(od8, (std::vector<double>{30, 10, 10, 10}));
  std::vector<double> od9(4, 10.0);
  apply_od_factors(c, 9, 2, od9);
  EXPECT_EQ(od9, (std::vector<double>(4, 10.0)));
}

TEST(HoldOut, ShareOfMatchedStationsSeededAndInRange) {
  std::vector<std::int64_t> links(50, -1);
  for (int s = 0; s < 50; s += 2) links[s] = s;  // 25 matched
  const auto a = hold_out_stations(links, 0.2, 3), b = hold_out_stations(links, 0.2, 3), c = hold_out_stations(links, 0.2, 4);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (auto s : a) EXPECT_GE(links[s], 0);
  EXPECT_TRUE(hold_out_stations(links, 0, 1).empty());
  EXPECT_THROW(hold_out_stations(links, 1.0, 1), InvalidInput);
  EXPECT_THROW(hold_out_stations(links, -0.1, 1), InvalidInput);
  EXPECT_THROW(hold_out_stations(links, NAN, 1), InvalidInput);
}

}  // namespace
}  // namespace citytwin::calibration
