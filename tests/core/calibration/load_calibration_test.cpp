// Load calibration: the bounded two-factor least squares against a brute-force
// search of the box, its degenerate cases, the factors applied to bus loads
// (and nothing changed without them), the calibration kept in a snapshot and
// validated when read back.
#include "core/calibration/load_calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <array>

#include "core/calibration/calibrate_twin.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/calibrated_loads.hpp"
#include "core/model/snapshot.hpp"
#include "tests/core/coupling/small_city.hpp"

namespace citytwin::calibration {
namespace {

using Parts = std::array<std::vector<double>, kLoadParts>;

double objective(const Parts& X, const std::vector<double>& r, const std::array<double, 3>& f) {
  double s = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double m = f[0] * X[0][i] + f[1] * X[1][i] + f[2] * X[2][i] - r[i];
    s += m * m;
  }
  return s;
}

TEST(LoadFactors, ExactInsideTheBoxRecoverTheTrueFactors) {
  // Residential and commercial shapes differ (H0-like evening, G0-like midday), EV in the evening.
  const Parts X = {std::vector<double>{4, 3, 6, 8, 12, 14}, std::vector<double>{2, 9, 10, 8, 4, 2}, std::vector<double>{1, 0.5, 2, 4, 3, 0.2}};
  std::vector<double> r(6);
  for (std::size_t i = 0; i < 6; ++i) r[i] = 1.3 * X[0][i] + 0.7 * X[1][i] + 2.5 * X[2][i];
  const auto f = solve_load_factors(X, r);
  EXPECT_NEAR(f.factor[0], 1.3, 1e-6);
  EXPECT_NEAR(f.factor[1], 0.7, 1e-6);
  EXPECT_NEAR(f.factor[2], 2.5, 1e-6);
  for (bool b : f.at_bound) EXPECT_FALSE(b);
}

// Random problems whose unconstrained optimum is often outside the box: the
// solver's answer lies in the box and is no worse than the best point of a
// grid over the box (3 x 0.025 steps; the objective is smooth, so the grid's
// best is within a small margin of the true minimum, never below it).
TEST(LoadFactors, BoundedOptimumBeatsABruteForceGrid) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 60; ++trial) {
    Parts X;
    std::vector<double> r(10);
    const double tr = u(rng) * 3 - 0.5, tc = u(rng) * 3 - 0.5, te = u(rng) * 8 - 2;  // often outside [0.5, 2]^2 x [0, 4]
    for (int i = 0; i < 10; ++i) {
      X[0].push_back(5 + 10 * u(rng)), X[1].push_back(5 + 10 * u(rng)), X[2].push_back(3 * u(rng));
      r[i] = tr * X[0][i] + tc * X[1][i] + te * X[2][i] + u(rng) - 0.5;
    }
    const auto f = solve_load_factors(X, r);
    for (int p = 0; p < 2; ++p) ASSERT_TRUE(f.factor[p] >= kLoadFactorMin && f.factor[p] <= kLoadFactorMax);
    ASSERT_TRUE(f.factor[2] >= kEvFactorMin && f.factor[2] <= kEvFactorMax);
    double best = INFINITY;
    for (int i = 0; i <= 60; ++i)
      for (int j = 0; j <= 60; ++j)
        for (int k = 0; k <= 160; ++k) best = std::min(best, objective(X, r, {0.5 + 1.5 * i / 60.0, 0.5 + 1.5 * j / 60.0, 4.0 * k / 160.0}));
    EXPECT_LE(objective(X, r, f.factor), best * (1 + 1e-7) + 1e-9) << "trial " << trial;
  }
}

TEST(LoadFactors, ClampedAtTheBoundAndDegenerateCasesKeepThePrior) {
  const std::vector<double> R = {10, 20, 30}, C = {5, 5, 5}, Z = {0, 0, 0}, E = {1, 2, 1};
  // Residential load three times the model's: its factor stops at 2 (commercial
  // takes what it can), and without EV load the EV factor stays at the prior.
  const auto high = solve_load_factors({R, Z, Z}, {30, 60, 90});
  EXPECT_DOUBLE_EQ(high.factor[0], 2.0);
  EXPECT_TRUE(high.at_bound[0]);
  EXPECT_NEAR(high.factor[1], 1.0, 1e-6);
  EXPECT_NEAR(high.factor[2], 1.0, 1e-6);
  // Nothing to scale at all.
  const auto none = solve_load_factors({Z, Z, Z}, {5, 5, 5});
  EXPECT_EQ(none.factor, (std::array<double, 3>{1, 1, 1}));
  // Negative EV wanted: clamped at 0 with the residential factor re-fitted on
  // that face (hand solution: sum(R r) / sum(R R)).
  const std::vector<double> r = {9, 18, 29};
  const auto neg = solve_load_factors({R, Z, E}, r);
  EXPECT_DOUBLE_EQ(neg.factor[2], 0.0);
  EXPECT_TRUE(neg.at_bound[2]);
  EXPECT_NEAR(neg.factor[0], (10 * 9 + 20 * 18 + 30 * 29) / 1400.0, 1e-6);
  (void)C;
}

TEST(CalibratedLoads, FactorsScaleEachPartPerSubstationAndNoneChangesNothing) {
  Twin twin = testing::small_city();
  const std::size_t Z = twin.districts.size(), ns = twin.grid.substation_count();
  coupling::ZoneBaseLoads base{std::vector<double>(Z), std::vector<double>(Z), std::vector<double>(Z), std::vector<double>(Z)};
  std::vector<double> ev(Z);
  for (std::size_t z = 0; z < Z; ++z) base.p[z] = 1 + 0.1 * z, base.q[z] = 0.3, base.residential_p[z] = 0.6, base.residential_q[z] = 0.1, ev[z] = 0.05 * z;
  const std::vector<double> stations(twin.chargers.size(), 0.2);
  const auto plain = coupling::calibrated_bus_loads(twin, base, ev, stations, 0.5);
  // Without calibration: the simulation's former sum, bit for bit.
  std::vector<double> p(Z);
  for (std::size_t z = 0; z < Z; ++z) p[z] = base.p[z] + ev[z];
  auto expect = coupling::zone_loads_on_buses(twin, p, base.q, 0.5);
  for (std::size_t c = 0; c < stations.size(); ++c)
    if (twin.links.charger_bus[c] != 0xFFFFFFFFu) expect.p[twin.links.charger_bus[c]] += stations[c];
  ASSERT_EQ(plain.p, expect.p);
  ASSERT_EQ(plain.q, expect.q);
  // With factors: per substation, residential x fr + commercial x fc + EV x fe + signals.
  TwinCalibration& c = twin.calibration;
  for (std::size_t k = 0; k < ns; ++k) {
    c.substation_residential_factor.push_back(0.6 + 0.1 * static_cast<double>(k % 10));
    c.substation_commercial_factor.push_back(1.9 - 0.1 * static_cast<double>(k % 10));
    c.substation_ev_factor.push_back(0.5 * static_cast<double>(k % 5));
  }
  const auto cal = coupling::calibrated_bus_loads(twin, base, ev, stations, 0.5);
  std::vector<double> com_p(Z), com_q(Z);
  for (std::size_t z = 0; z < Z; ++z) com_p[z] = base.p[z] - base.residential_p[z], com_q[z] = base.q[z] - base.residential_q[z];
  const auto r0 = coupling::zone_loads_on_buses(twin, base.residential_p, base.residential_q, 0.0);
  const auto c0 = coupling::zone_loads_on_buses(twin, com_p, com_q, 0.0);
  const auto e0 = coupling::zone_loads_on_buses(twin, ev, std::vector<double>(Z, 0.0), 0.0);
  const auto s0 = coupling::zone_loads_on_buses(twin, {}, {}, 0.5);
  for (std::size_t b = 0; b < twin.grid.bus_count(); ++b) {
    const auto k = twin.grid.bus_substation[b];
    const double fr = k >= 0 ? c.substation_residential_factor[k] : 1, fc = k >= 0 ? c.substation_commercial_factor[k] : 1,
                 fe = k >= 0 ? c.substation_ev_factor[k] : 1;
    double st = 0;
    for (std::size_t s = 0; s < stations.size(); ++s)
      if (twin.links.charger_bus[s] == b) st += stations[s];
    EXPECT_NEAR(cal.p[b], fr * r0.p[b] + fc * c0.p[b] + fe * (e0.p[b] + st) + s0.p[b], 1e-12) << "bus " << b;
    EXPECT_NEAR(cal.q[b], fr * r0.q[b] + fc * c0.q[b], 1e-12);
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
  c.substation_residential_factor.assign(twin.grid.substation_count(), 1.1);
  c.substation_commercial_factor.assign(twin.grid.substation_count(), 0.9);
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
  t.calibration.substation_residential_factor[2] = 7;
  expect_bad(t, "substation_residential_factor", "entry 2");
  t = twin;
  t.calibration.substation_commercial_factor[0] = 0.1;
  expect_bad(t, "substation_commercial_factor", "entry 0");
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
