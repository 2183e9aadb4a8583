// GridModel keeps the factorised DC model while nothing changes state: a
// sequence of hours with changing loads and outages must give exactly what a
// fresh model (no kept factorisation) gives for each hour, and reuse it
// whenever the in-service set repeats.
#include <gtest/gtest.h>

#include <random>

#include "core/coupling/grid_model.hpp"
#include "tests/core/coupling/small_city.hpp"

namespace citytwin::coupling {
namespace {

void expect_same_hour(const GridHour& a, const GridHour& b, int step) {
  EXPECT_EQ(a.converged, b.converged) << "step " << step;
  EXPECT_EQ(a.bus_energised, b.bus_energised) << "step " << step;
  EXPECT_EQ(a.branch_flow_mw, b.branch_flow_mw) << "step " << step;
  EXPECT_EQ(a.branch_loading_pct, b.branch_loading_pct) << "step " << step;
  EXPECT_EQ(a.substation_load_mva, b.substation_load_mva) << "step " << step;
  EXPECT_EQ(a.served_mw, b.served_mw) << "step " << step;
  EXPECT_EQ(a.unserved_mw, b.unserved_mw) << "step " << step;
  EXPECT_EQ(a.slack_mw, b.slack_mw) << "step " << step;
}

TEST(GridModel, KeptFactorisationGivesTheSameHoursAsFreshSolves) {
  const Twin& twin = testing::small_city();
  const std::size_t nb = twin.grid.bus_count(), nl = twin.grid.branch_count();
  ASSERT_GT(nb, 3u);
  ASSERT_GT(nl, 3u);
  GridModel kept(twin);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> load(0.0, 5.0);
  std::vector<std::uint8_t> no_bus(nb, 0), no_branch(nl, 0), branch_out = no_branch, bus_out = no_bus;
  branch_out[nl / 2] = 1;
  // Hours 0-3 intact, 4-5 a branch out, 6 a bus out too, 7-9 repaired.
  const std::vector<std::pair<const std::vector<std::uint8_t>*, const std::vector<std::uint8_t>*>> topology = {
      {&no_bus, &no_branch}, {&no_bus, &no_branch},   {&no_bus, &no_branch},   {&no_bus, &no_branch},
      {&no_bus, &branch_out}, {&no_bus, &branch_out}, {&bus_out, &branch_out}, {&no_bus, &no_branch},
      {&no_bus, &no_branch},  {&no_bus, &no_branch}};
  bus_out[nb / 3] = 1;
  for (std::size_t step = 0; step < topology.size(); ++step) {
    std::vector<double> p(nb), q(nb);
    for (std::size_t b = 0; b < nb; ++b) p[b] = load(rng), q[b] = 0.3 * p[b];
    const GridHour a = kept.solve(p, q, *topology[step].first, *topology[step].second);
    const GridHour b = GridModel(twin).solve(p, q, *topology[step].first, *topology[step].second);
    expect_same_hour(a, b, static_cast<int>(step));
  }
  // Factorised anew at steps 0, 4, 6 and 7; kept at the other six.
  EXPECT_EQ(kept.new_factorisations(), 4);
  EXPECT_EQ(kept.reused_factorisations(), 6);
}

}  // namespace
}  // namespace citytwin::coupling
