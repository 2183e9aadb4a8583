// A run scored against hand-made observations: the profile (weekdays only),
// the capacity rule, unmatched stations and hours the run lacks, with every
// statistic computed by hand.
#include "core/observations/run_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/errors.hpp"

namespace citytwin::observations {
namespace {

struct Case {
  Twin twin;
  coupling::SimulationResult run;
};

// Two links (capacity 1000 and 500 veh/h), one substation with two buses;
// the run has hours 8 and 9.
Case make_case() {
  Case c;
  c.twin.roads.capacity_vph = {1000, 500};
  c.twin.roads.link_from = {0, 1};
  c.twin.roads.link_to = {1, 2};
  c.twin.grid.branch_from = {0};
  c.twin.grid.branch_rating_mva = {50};
  c.twin.grid.bus_substation = {0, 0};
  c.twin.grid.bus_x = {0, 0};
  c.twin.grid.substation_x = {0};
  c.twin.grid.substation_capacity_mva = {40};
  c.twin.grid.substation_name = {"Mitte"};
  for (int h : {8, 9}) {
    coupling::HourResult r;
    r.totals.hour = h;
    r.link_flow = {h == 8 ? 900.0f : 600.0f, 100.0f};
    r.bus_load_mw = {h == 8 ? 10.0f : 15.0f, 5.0f};
    r.bus_energised = {1, 1};
    r.branch_loading_pct = {40};
    c.run.hours.push_back(r);
  }
  return c;
}

TrafficCount count(const std::string& station, int day, int hour, double v, std::int64_t row) {
  return {station, {0, 0}, 90.0, {2026, 3, day, hour}, v, "", std::nullopt, row};
}

TEST(RunFit, CountsProfileAgainstTheRun) {
  const Case c = make_case();
  // Station A on link 0: weekdays 2nd and 3rd March at 8 (1000, 800 -> 900) and
  // 9 (500, 700 -> 600), a Saturday value (ignored by the weekday profile) and
  // an hour 10 the run lacks. Station B on link 1: 3500 > 3 x 500 is
  // implausible; its hour 9 value 64 is scored. Station C is unmatched.
  const std::vector<TrafficCount> counts = {
      count("A", 2, 8, 1000, 2), count("A", 3, 8, 800, 3), count("A", 2, 9, 500, 4), count("A", 3, 9, 700, 5),
      count("A", 7, 8, 50, 6),   count("A", 2, 10, 10, 7), count("B", 2, 8, 3500, 8), count("B", 2, 9, 64, 9),
      count("C", 2, 8, 10, 10),
  };
  const StationTable st = station_table(counts);
  ASSERT_EQ(st.stations.size(), 3u);
  const CountFit f = fit_counts(c.twin, c.run, counts, st, {0, 1, -1});
  EXPECT_EQ(f.quality.count(Finding::Implausible), 1);
  ASSERT_EQ(f.rows.size(), 3u);  // A at 8 and 9, B at 9
  EXPECT_EQ(f.rows[0].element, 0u);
  EXPECT_EQ(f.rows[0].hour, 8);
  EXPECT_DOUBLE_EQ(f.rows[0].observed, 900);
  EXPECT_EQ(f.rows[0].days, 2u);
  EXPECT_DOUBLE_EQ(f.rows[0].modelled, 900);
  EXPECT_DOUBLE_EQ(f.rows[0].geh, 0);
  EXPECT_DOUBLE_EQ(f.rows[1].observed, 600);
  EXPECT_EQ(f.rows[2].element, 1u);
  EXPECT_EQ(f.rows[2].link, 1);
  // B at 9: M = 100, C = 64: GEH = sqrt(2 x 36^2 / 164) = 3.9755.
  EXPECT_NEAR(f.rows[2].geh, std::sqrt(2.0 * 36 * 36 / 164), 1e-12);
  EXPECT_EQ(f.stations_scored, 2u);
  EXPECT_EQ(f.profile_hours_not_in_run, 1u);  // A at 10
  EXPECT_EQ(f.overall.n, 3u);
  EXPECT_EQ(f.overall.geh_below_5, 3u);
  // The weekend profile holds the Saturday value alone.
  const CountFit w = fit_counts(c.twin, c.run, counts, st, {0, 1, -1}, {.day_type = DayType::Weekend});
  ASSERT_EQ(w.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(w.rows[0].observed, 50);
  EXPECT_NEAR(w.rows[0].geh, std::sqrt(2.0 * 850 * 850 / 950), 1e-12);
}

TEST(RunFit, SubstationLoadsMapeAndPeak) {
  const Case c = make_case();
  // Modelled: 15 MW at 8, 20 MW at 9. Observed 12 and 25: APE 25 % and 20 %,
  // MAPE 22.5 %; peak 20 vs 25: 20 %. A reading of 130 MW > 3 x 40 MVA is implausible.
  const std::vector<GridMeasurement> loads = {{0, {2026, 3, 2, 8}, 12, std::nullopt, 1},
                                              {0, {2026, 3, 2, 9}, 25, std::nullopt, 2},
                                              {0, {2026, 3, 3, 9}, 130, std::nullopt, 3}};
  const LoadsFit f = fit_substation_loads(c.twin, c.run, loads);
  EXPECT_EQ(f.quality.count(Finding::Implausible), 1);
  ASSERT_EQ(f.elements.size(), 1u);
  EXPECT_NEAR(f.elements[0].fit.mape_pct, 22.5, 1e-12);
  EXPECT_NEAR(f.mape_pct, 22.5, 1e-12);
  EXPECT_NEAR(f.peak_mape_pct, 20, 1e-12);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(f.rows[1].modelled, 20);
}

TEST(RunFit, ARunWithoutTheMeasuredLayerIsAnError) {
  Case c = make_case();
  const std::vector<TrafficCount> counts = {count("A", 2, 8, 1000, 2)};
  const std::vector<GridMeasurement> loads = {{0, {2026, 3, 2, 8}, 12, std::nullopt, 1}};
  Case grid_only = c;
  for (auto& h : grid_only.run.hours) h.link_flow.clear();
  try {
    fit_counts(grid_only.twin, grid_only.run, counts, station_table(counts), {0});
    ADD_FAILURE() << "expected an error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("no road link flows for hour 8"), std::string::npos) << e.what();
  }
  for (auto& h : c.run.hours) h.bus_load_mw.clear(), h.branch_loading_pct.clear();
  EXPECT_THROW(fit_substation_loads(c.twin, c.run, loads), InvalidInput);
  EXPECT_THROW(fit_branch_flows(c.twin, c.run, loads), InvalidInput);
}

}  // namespace
}  // namespace citytwin::observations
