#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/observations/fit_statistics.hpp"

namespace citytwin::observations {
namespace {

TEST(Geh, TextbookValues) {
  // GEH = sqrt(2 (M - C)^2 / (M + C)).
  EXPECT_DOUBLE_EQ(geh(100, 100), 0);
  EXPECT_DOUBLE_EQ(geh(0, 0), 0);
  EXPECT_NEAR(geh(1100, 1000), std::sqrt(2.0 * 100 * 100 / 2100), 1e-12);  // 3.0861
  EXPECT_NEAR(geh(1100, 1000), 3.0861, 1e-4);
  // The classic rule of thumb: about 5 at 400 vs 300 veh/h (5.345) and at
  // 10 % off a flow of 5000 (M = 5500, C = 5000: 6.901); 1 at 1 vs 0.
  EXPECT_NEAR(geh(400, 300), 5.3452, 1e-4);
  EXPECT_NEAR(geh(5500, 5000), 6.9007, 1e-4);
  EXPECT_NEAR(geh(1, 0), std::sqrt(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(geh(300, 400), geh(400, 300));  // symmetric
  EXPECT_TRUE(std::isnan(geh(-1, 0)));
}

TEST(FlowFit, HandComputed) {
  const std::vector<double> m = {110, 200, 330, 400}, c = {100, 200, 300, 500};
  const FlowFit f = flow_fit(m, c);
  EXPECT_EQ(f.n, 4u);
  // GEH: 0.9759, 0, 1.6903, 4.7140 -> all four below 5.
  EXPECT_EQ(f.geh_below_5, 4u);
  EXPECT_DOUBLE_EQ(f.share_geh_below_5, 1.0);
  EXPECT_NEAR(f.max_geh, std::sqrt(2.0 * 100 * 100 / 900), 1e-12);
  EXPECT_NEAR(f.mean_geh, (std::sqrt(200.0 / 210) + std::sqrt(1800.0 / 630) + std::sqrt(20000.0 / 900)) / 4, 1e-12);
  // SSE = 100 + 0 + 900 + 10000 = 11000; %RMSE = sqrt(11000 / 3) / (1100 / 4) * 100 = 22.0193.
  EXPECT_NEAR(f.rmse_pct, std::sqrt(11000.0 / 3) / 275 * 100, 1e-9);
  EXPECT_NEAR(f.rmse_pct, 22.0193, 1e-4);
  // mean C = 275; SST = 175^2 + 75^2 + 25^2 + 225^2 = 87500; R2 = 1 - 11000 / 87500.
  EXPECT_NEAR(f.r2, 1.0 - 11000.0 / 87500, 1e-12);
  // Pearson: mean M = 260; sum dm dc = (-150)(-175) + (-60)(-75) + 70*25 + 140*225 = 64000;
  // sum dm^2 = 22500 + 3600 + 4900 + 19600 = 50600.
  EXPECT_NEAR(f.pearson_r2, 64000.0 * 64000 / (50600.0 * 87500), 1e-12);
  EXPECT_DOUBLE_EQ(f.sum_modelled, 1040);
  EXPECT_DOUBLE_EQ(f.sum_observed, 1100);
}

TEST(FlowFit, ABiasLowersR2ButNotPearson) {
  const std::vector<double> c = {100, 200, 300, 400};
  std::vector<double> m;
  for (double v : c) m.push_back(1.5 * v);
  const FlowFit f = flow_fit(m, c);
  EXPECT_NEAR(f.pearson_r2, 1.0, 1e-12);
  EXPECT_LT(f.r2, 0.5);  // SSE = 0.25 * 300000 = 75000, SST = 50000: R2 = -0.5
  EXPECT_NEAR(f.r2, -0.5, 1e-12);
  // GEH 4.472, 6.325, 7.746, 8.944: only the smallest flow passes.
  EXPECT_EQ(f.geh_below_5, 1u);
}

TEST(FlowFit, EmptyAndMismatched) {
  const FlowFit f = flow_fit({}, {});
  EXPECT_EQ(f.n, 0u);
  EXPECT_TRUE(std::isnan(f.share_geh_below_5));
  const std::vector<double> a = {1}, b = {1, 2};
  EXPECT_THROW(flow_fit(a, b), std::invalid_argument);
}

TEST(LoadFit, MapeAndDailyPeak) {
  const std::vector<double> m = {9, 22, 30, 5}, o = {10, 20, 25, 0};
  const LoadFit f = load_fit(m, o);
  EXPECT_EQ(f.hours, 4u);
  EXPECT_EQ(f.zero_observed, 1u);
  // (0.1 + 0.1 + 0.2) / 3 = 13.333 %
  EXPECT_NEAR(f.mape_pct, 40.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(f.observed_peak, 25);
  EXPECT_DOUBLE_EQ(f.modelled_peak, 30);
  EXPECT_NEAR(f.peak_ape_pct, 20, 1e-12);
}

}  // namespace
}  // namespace citytwin::observations
