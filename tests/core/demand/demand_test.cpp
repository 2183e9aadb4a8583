#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "core/demand/electric_load.hpp"
#include "core/demand/gravity.hpp"
#include "core/demand/trip_generation.hpp"

using namespace citytwin::demand;

namespace {
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
}  // namespace

// Acceptance test (c): gravity totals reproduce P_i and A_j within the IPF tolerance.
TEST(Gravity, ReproducesProductionsAndAttractionsWithinTolerance) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  const std::size_t n = 60;
  std::vector<double> P(n), A(n), xs(n), ys(n), cost(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    P[i] = 100 + 5000 * u(rng);
    A[i] = 50 + 8000 * u(rng);
    xs[i] = 20 * u(rng);
    ys[i] = 20 * u(rng);
  }
  const double k = sum(P) / sum(A);
  for (double& a : A) a *= k;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) cost[i * n + j] = 2 + 2.5 * std::hypot(xs[i] - xs[j], ys[i] - ys[j]);
  for (const GammaFriction f : DemandParameters{}.friction) {
    const auto r = distribute(P, A, cost, f, 1e-8, 1000);
    ASSERT_TRUE(r.converged);
    for (std::size_t i = 0; i < n; ++i) {
      double row = 0, col = 0;
      for (std::size_t j = 0; j < n; ++j) {
        row += r.trips[i * n + j];
        col += r.trips[j * n + i];
      }
      EXPECT_NEAR(row, P[i], 1e-8 * P[i]);
      EXPECT_NEAR(col, A[i], 1e-8 * A[i] + 1e-9);
    }
  }
}

TEST(Gravity, CloserDestinationsGetMoreTrips) {
  // Three zones on a line, equal P and A: the middle pair trades more than the ends.
  const std::vector<double> P{1000, 1000, 1000}, A{1000, 1000, 1000};
  const std::vector<double> cost{1, 10, 20, 10, 1, 10, 20, 10, 1};
  const auto r = distribute(P, A, cost, {-0.020, -0.123}, 1e-10, 1000);
  EXPECT_GT(r.trips[0 * 3 + 1], r.trips[0 * 3 + 2]);
}

TEST(TripGeneration, AttractionsBalancedToProductionsPerPurpose) {
  const std::vector<double> hh{1000, 200, 0}, er{10, 500, 0}, es{20, 3000, 100}, eo{5, 400, 1000};
  const auto t = generate_trips({hh, er, es, eo}, DemandParameters{});
  for (int p = 0; p < kPurposes; ++p) EXPECT_NEAR(sum(t.attractions[p]), sum(t.productions[p]), 1e-9 * sum(t.productions[p]));
  EXPECT_DOUBLE_EQ(t.productions[HBW][0], 1000 * TripRates{}.per_household[HBW]);
  EXPECT_EQ(t.productions[HBW][2], 0);
  EXPECT_GT(t.attractions[HBW][1], t.attractions[HBW][0]);  // the job centre attracts commuters
}

TEST(TimeOfDay, FactorsSumToOneAndPeaksAreWhereTheSpecSays) {
  const TimeOfDay& t = default_time_of_day();
  for (int p = 0; p < kPurposes; ++p) {
    double s = 0;
    for (int h = 0; h < kHours; ++h) s += t.from_home[p][h] + t.to_home[p][h];
    EXPECT_NEAR(s, 1.0, 1e-12) << purpose_name(p);
  }
  const auto& from = t.from_home[HBW];
  EXPECT_EQ(std::max_element(from.begin(), from.end()) - from.begin(), 7);  // 07-08
  const auto& to = t.to_home[HBW];
  EXPECT_EQ(std::max_element(to.begin(), to.end()) - to.begin(), 17);  // 17-18
}

// Acceptance test (f): the BDEW annual sum with F(t) equals the input annual kWh within 0.5 %.
TEST(ElectricLoad, AnnualSumWithDynamisationMatchesAnnualEnergy) {
  double f = 0;
  for (int t = 1; t <= 365; ++t) f += bdew_dynamisation(t);
  EXPECT_NEAR(f / 365.0, 1.0, 0.005);
  // Published checkpoints of the polynomial (COUPLING.md): 1.24 on 1 Jan, min ~0.785 near day 202.
  EXPECT_NEAR(bdew_dynamisation(1), 1.24, 0.01);
  double min_f = 10;
  int min_day = 0;
  for (int t = 1; t <= 365; ++t)
    if (bdew_dynamisation(t) < min_f) min_f = bdew_dynamisation(t), min_day = t;
  EXPECT_NEAR(min_f, 0.785, 0.01);
  EXPECT_NEAR(min_day, 202, 5);
}

TEST(ElectricLoad, DailyEnergyOfAZoneIsAnnualOver365TimesF) {
  LoadParameters p = default_load_parameters();
  double res = 0;
  for (int h = 0; h < kHours; ++h) res += zone_base_load(1000, 0, h, p).p_mw;
  EXPECT_NEAR(res, 1000 * p.residential_kwh_per_household / 365.0 * bdew_dynamisation(p.day_of_year) / 1000.0, 1e-3);
  // Evening peak at 19 h for households, late morning for commerce.
  EXPECT_GT(zone_base_load(1000, 0, 19, p).p_mw, zone_base_load(1000, 0, 3, p).p_mw * 4);
  EXPECT_GT(zone_base_load(0, 1000, 11, p).p_mw, zone_base_load(0, 1000, 19, p).p_mw);
  EXPECT_GT(zone_base_load(1000, 1000, 12, p).q_mvar, 0);
}
