// AC Newton-Raphson against MATPOWER's reference solutions
// (datasets/reference/matpower/reference, MATPOWER 8.1.1-dev, pf.tol 1e-8).
#include <gtest/gtest.h>

#include <cmath>

#include "core/common/errors.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/newton_raphson.hpp"
#include "core/grid/power_flow.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

using test::case_path;
using test::read_reference;

double angle_diff_deg(double a, double b) { return std::remainder(a - b, 360.0); }

// Compares a solved AC case with MATPOWER: Vm 1e-6 pu, Va 1e-5 deg, branch
// flows 1e-4 MW / MVAr, losses 1e-4 MW (the acceptance tolerances).
void expect_matches_reference(const std::string& name, const PowerCase& pc, const PowerFlowResult& r) {
  const auto bus = read_reference(name + "_ac_bus.csv");
  const auto branch = read_reference(name + "_ac_branch.csv");
  ASSERT_EQ(bus.rows, pc.buses.size());
  ASSERT_EQ(branch.rows, pc.branches.size());
  double worst_vm = 0, worst_va = 0, worst_flow = 0, ref_losses = 0;
  for (std::size_t i = 0; i < bus.rows; ++i) {
    ASSERT_EQ(static_cast<std::int64_t>(bus["bus_i"][i]), pc.buses[i].id);
    worst_vm = std::max(worst_vm, std::abs(r.vm[i] - bus["Vm_pu"][i]));
    worst_va = std::max(worst_va, std::abs(angle_diff_deg(r.va_deg[i], bus["Va_deg"][i])));
  }
  for (std::size_t k = 0; k < branch.rows; ++k) {
    worst_flow = std::max({worst_flow, std::abs(r.pf[k] - branch["Pf_MW"][k]), std::abs(r.pt[k] - branch["Pt_MW"][k]),
                           std::abs(r.qf[k] - branch["Qf_MVAr"][k]), std::abs(r.qt[k] - branch["Qt_MVAr"][k])});
    ref_losses += branch["loss_MW"][k];
  }
  EXPECT_LT(worst_vm, 1e-6) << name;
  EXPECT_LT(worst_va, 1e-5) << name;
  EXPECT_LT(worst_flow, 1e-4) << name;
  EXPECT_NEAR(r.losses_mw, ref_losses, 1e-4) << name;
}

TEST(AcPowerFlow, Case118MatchesMatpower) {
  const PowerCase pc = read_matpower(case_path("case118"));
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged()) << to_string(r.status);
  EXPECT_EQ(r.iterations, 3);  // as MATPOWER
  EXPECT_LT(r.max_mismatch, 1e-8);
  EXPECT_NEAR(r.losses_mw, 132.862872, 1e-4);
  expect_matches_reference("case118", pc, r);
}

TEST(AcPowerFlow, Case2869PegaseMatchesMatpower) {
  const PowerCase pc = read_matpower(case_path("case2869pegase"));
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged()) << to_string(r.status);
  EXPECT_EQ(r.iterations, 6);  // as MATPOWER
  EXPECT_NEAR(r.losses_mw, 2782.964939, 1e-4);
  EXPECT_NEAR(r.min_vm, 0.963930, 1e-6);
  EXPECT_NEAR(r.max_vm, 1.141159, 1e-6);
  expect_matches_reference("case2869pegase", pc, r);

  // Two branches above 100 % of rateA, as in MATPOWER.
  int overloaded = 0;
  for (std::size_t k = 0; k < pc.branches.size(); ++k) overloaded += r.loading_percent(pc, k) > 100.0;
  EXPECT_EQ(overloaded, 2);
}

TEST(AcPowerFlow, GeneratorOutputMatchesMatpower) {
  for (const std::string name : {"case118", "case2869pegase"}) {
    const PowerCase pc = read_matpower(case_path(name));
    const PowerFlowResult r = solve_ac(pc);
    ASSERT_TRUE(r.converged());
    const auto gen = read_reference(name + "_ac_gen.csv");
    ASSERT_EQ(gen.rows, pc.generators.size());
    double worst_p = 0, worst_q = 0;
    for (std::size_t g = 0; g < gen.rows; ++g) {
      worst_p = std::max(worst_p, std::abs(r.pg[g] - gen["Pg_MW"][g]));
      worst_q = std::max(worst_q, std::abs(r.qg[g] - gen["Qg_MVAr"][g]));
    }
    EXPECT_LT(worst_p, 1e-4) << name;
    EXPECT_LT(worst_q, 1e-4) << name;
  }
}

TEST(AcPowerFlow, SmallCasesConverge) {
  for (const std::string name : {"case9", "case14", "case30", "case300"}) {
    const PowerCase pc = read_matpower(case_path(name));
    const PowerFlowResult r = solve_ac(pc);
    EXPECT_TRUE(r.converged()) << name << ": " << to_string(r.status);
    EXPECT_LT(r.max_mismatch, 1e-8) << name;
    EXPECT_LE(r.iterations, 10) << name;
    EXPECT_GT(r.losses_mw, 0) << name;
  }
}

TEST(AcPowerFlow, PowerBalanceCloses) {
  // Generation = load + shunt consumption + branch losses, at every case.
  for (const std::string name : {"case9", "case14", "case30", "case300"}) {
    const PowerCase pc = read_matpower(case_path(name));
    const PowerFlowResult r = solve_ac(pc);
    ASSERT_TRUE(r.converged()) << name;
    double pg = 0, qg = 0, load = 0, qload = 0;
    for (double p : r.pg) pg += p;
    for (double q : r.qg) qg += q;
    for (std::size_t i = 0; i < pc.buses.size(); ++i) {
      const double v2 = r.vm[i] * r.vm[i];
      load += pc.buses[i].pd + pc.buses[i].gs * v2;
      qload += pc.buses[i].qd - pc.buses[i].bs * v2;
    }
    double qloss = 0;
    for (std::size_t k = 0; k < pc.branches.size(); ++k) qloss += r.qf[k] + r.qt[k];
    EXPECT_NEAR(pg, load + r.losses_mw, 1e-5) << name;
    EXPECT_NEAR(qg, qload + qloss, 1e-5) << name;
  }
}

TEST(AcPowerFlow, FlatAndDcStartsReachTheSameSolution) {
  const PowerCase pc = read_matpower(case_path("case2869pegase"));
  for (StartMode start : {StartMode::flat, StartMode::dc}) {
    PowerFlowOptions options;
    options.start = start;
    options.max_iterations = 20;
    const PowerFlowResult r = solve_ac(pc, options);
    ASSERT_TRUE(r.converged()) << static_cast<int>(start);
    expect_matches_reference("case2869pegase", pc, r);
  }
}

TEST(AcPowerFlow, RepeatedSolvesReuseTheSolver) {
  AcPowerFlow solver(read_matpower(case_path("case118")));
  const PowerFlowResult first = solver.solve();
  const PowerFlowResult second = solver.solve();
  ASSERT_TRUE(first.converged());
  ASSERT_TRUE(second.converged());
  EXPECT_EQ(first.iterations, second.iterations);
  for (std::size_t i = 0; i < first.vm.size(); ++i) {
    EXPECT_NEAR(first.vm[i], second.vm[i], 1e-12);
    EXPECT_NEAR(first.va_deg[i], second.va_deg[i], 1e-10);
  }
  expect_matches_reference("case118", solver.power_case(), second);
}

TEST(AcPowerFlow, NewInjectionsKeepTheSymbolicAnalysis) {
  // The hourly loop: same solver, loads and dispatch scaled, warm start from the last hour.
  const PowerCase base = read_matpower(case_path("case2869pegase"));
  AcPowerFlow solver(base);
  const PowerFlowResult hour0 = solver.solve();
  ASSERT_TRUE(hour0.converged());
  PowerCase scaled = base;
  for (Bus& b : scaled.buses) {
    b.pd *= 1.03;
    b.qd *= 1.03;
  }
  for (Generator& g : scaled.generators) g.pg *= 1.03;
  solver.set_injections(scaled.buses, scaled.generators);
  const PowerFlowResult hour1 = solver.solve_from(hour0.vm, hour0.va_deg);
  ASSERT_TRUE(hour1.converged());
  EXPECT_LE(hour1.iterations, 4);
  const PowerFlowResult fresh = solve_ac(scaled);
  ASSERT_TRUE(fresh.converged());
  for (std::size_t i = 0; i < fresh.vm.size(); ++i) {
    EXPECT_NEAR(hour1.vm[i], fresh.vm[i], 1e-8);
    EXPECT_NEAR(hour1.va_deg[i], fresh.va_deg[i], 1e-6);
  }
  EXPECT_NEAR(hour1.losses_mw, fresh.losses_mw, 1e-5);
}

TEST(AcPowerFlow, BranchOutageAndRestore) {
  AcPowerFlow solver(read_matpower(case_path("case118")));
  const PowerFlowResult base = solver.solve();
  solver.set_branch_outage(0, true);  // 1-2, inside a mesh
  const PowerFlowResult out = solver.solve();
  ASSERT_TRUE(out.converged());
  EXPECT_EQ(out.pf[0], 0.0);
  // Reference: the same outage solved from scratch.
  PowerCase modified = solver.power_case();
  modified.branches[0].in_service = false;
  const PowerFlowResult fresh = solve_ac(modified);
  ASSERT_TRUE(fresh.converged());
  for (std::size_t i = 0; i < out.vm.size(); ++i) {
    EXPECT_NEAR(out.vm[i], fresh.vm[i], 1e-9);
    EXPECT_NEAR(out.va_deg[i], fresh.va_deg[i], 1e-7);
  }
  solver.set_branch_outage(0, false);
  const PowerFlowResult back = solver.solve();
  for (std::size_t i = 0; i < back.vm.size(); ++i) EXPECT_NEAR(back.vm[i], base.vm[i], 1e-10);
}

TEST(AcPowerFlow, NonConvergenceReportsWorstBuses) {
  PowerCase pc = read_matpower(case_path("case30"));
  for (Bus& b : pc.buses) {
    b.pd *= 8;  // far beyond the loadability limit
    b.qd *= 8;
  }
  const PowerFlowResult r = solve_ac(pc);
  EXPECT_EQ(r.status, SolveStatus::not_converged);
  EXPECT_FALSE(r.converged());
  ASSERT_FALSE(r.worst_buses.empty());
  EXPECT_LE(r.worst_buses.size(), 5u);
  EXPECT_THROW(require_converged(pc, r), NotConverged);
  try {
    require_converged(pc, r);
  } catch (const NotConverged& e) {
    EXPECT_NE(std::string(e.what()).find("worst buses"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(std::to_string(r.worst_buses[0].bus)), std::string::npos);
  }
}

TEST(AcPowerFlow, IterationLimitIsNotAnAnswer) {
  PowerFlowOptions options;
  options.max_iterations = 2;
  const PowerFlowResult r = solve_ac(read_matpower(case_path("case2869pegase")), options);
  EXPECT_EQ(r.status, SolveStatus::not_converged);
  EXPECT_EQ(r.iterations, 2);
  EXPECT_GT(r.max_mismatch, 1e-8);
}

// Two buses, one line: P + jQ drawn at bus 2 has a high- and a low-voltage
// solution. Started near the low one, Newton converges there: flagged.
PowerCase two_bus(double load_mw) {
  PowerCase pc;
  pc.name = "two_bus";
  pc.base_mva = 100;
  pc.buses = {Bus{.id = 1, .type = BusType::ref}, Bus{.id = 2, .type = BusType::pq, .pd = load_mw, .qd = 0.2 * load_mw}};
  pc.generators = {Generator{.bus = 1, .vg = 1.0, .pmax = 1000}};
  pc.branches = {Branch{.from = 1, .to = 2, .r = 0.01, .x = 0.1}};
  return pc;
}

TEST(AcPowerFlow, LowVoltageSolutionIsFlaggedImplausible) {
  AcPowerFlow solver(two_bus(300));
  const PowerFlowResult high = solver.solve_from({1.0, 1.0}, {0.0, 0.0});
  ASSERT_TRUE(high.converged());
  EXPECT_GT(high.vm[1], 0.8);
  const PowerFlowResult low = solver.solve_from({1.0, 0.2}, {0.0, -40.0});
  EXPECT_EQ(low.status, SolveStatus::implausible);
  EXPECT_FALSE(low.converged());
  EXPECT_LT(low.max_mismatch, 1e-8);  // numerically solved, still not an answer
  ASSERT_EQ(low.implausible_buses.size(), 1u);
  EXPECT_EQ(low.implausible_buses[0], 2);
  EXPECT_LT(low.vm[1], 0.5);
}

TEST(AcPowerFlow, ReactiveLimitsSwitchPvToPq) {
  PowerCase pc = read_matpower(case_path("case30"));
  const PowerFlowResult free = solve_ac(pc);
  ASSERT_TRUE(free.converged());
  // Some PV generator exceeds its limits without enforcement ...
  bool violated = false;
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    violated |= free.qg[g] > pc.generators[g].qmax + 1e-3 || free.qg[g] < pc.generators[g].qmin - 1e-3;
  }
  PowerFlowOptions options;
  options.enforce_q_limits = true;
  const PowerFlowResult limited = solve_ac(pc, options);
  ASSERT_TRUE(limited.converged());
  EXPECT_EQ(violated, !limited.pv_to_pq_buses.empty());
  // ... and none with enforcement, except the slack which is never limited.
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    const auto bus = pc.generators[g].bus;
    bool slack = false;
    for (const Bus& b : pc.buses) slack |= b.id == bus && b.type == BusType::ref;
    if (slack) continue;
    EXPECT_LE(limited.qg[g], pc.generators[g].qmax + 1e-4) << g;
    EXPECT_GE(limited.qg[g], pc.generators[g].qmin - 1e-4) << g;
  }
}

TEST(AcPowerFlow, ReactiveLimitsOnTightGenerator) {
  PowerCase pc = read_matpower(case_path("case9"));
  pc.generators[1].qmax = 0;  // bus 2 wants +6.5 MVAr at 1.025 pu
  PowerFlowOptions options;
  options.enforce_q_limits = true;
  const PowerFlowResult r = solve_ac(pc, options);
  ASSERT_TRUE(r.converged());
  ASSERT_EQ(r.pv_to_pq_buses.size(), 1u);
  EXPECT_EQ(r.pv_to_pq_buses[0], 2);
  EXPECT_NEAR(r.qg[1], 0.0, 1e-6);
  EXPECT_LT(r.vm[1], 1.025);  // the voltage set point can no longer be held
}

TEST(AcPowerFlow, IslandsEachGetASlack) {
  // Two copies of case9 side by side, the second with its REF bus turned PV:
  // two islands, the second picks its largest PV generator as slack.
  PowerCase one = read_matpower(case_path("case9"));
  PowerCase pc = one;
  for (Bus b : one.buses) {
    b.id += 100;
    if (b.type == BusType::ref) b.type = BusType::pv;
    pc.buses.push_back(b);
  }
  for (Generator g : one.generators) {
    g.bus += 100;
    pc.generators.push_back(g);
  }
  for (Branch br : one.branches) {
    br.from += 100;
    br.to += 100;
    pc.branches.push_back(br);
  }
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.islands, 2);
  const PowerFlowResult single = solve_ac(one);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(r.vm[i], single.vm[i], 1e-10);
  EXPECT_FALSE(r.warnings.empty());
  // The second island is balanced by another generator, so its state differs but is sane.
  for (std::size_t i = 9; i < 18; ++i) EXPECT_NEAR(r.vm[i], 1.0, 0.1);
}

TEST(AcPowerFlow, DeenergisedBusesAreReported) {
  PowerCase pc = read_matpower(case_path("case9"));
  // Bus 4 (isolated type) and an extra load island on its own.
  pc.buses.push_back(Bus{.id = 50, .type = BusType::pq, .pd = 10, .qd = 2});
  pc.buses.push_back(Bus{.id = 51, .type = BusType::pq, .pd = 5});
  pc.branches.push_back(Branch{.from = 50, .to = 51, .r = 0.01, .x = 0.1});
  EXPECT_THROW(solve_ac(pc), InvalidInput);  // load without supply is an error by default
  PowerFlowOptions options;
  options.network.deenergise_unsupplied_islands = true;
  const PowerFlowResult r = solve_ac(pc, options);
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.deenergised_buses, (std::vector<std::int64_t>{50, 51}));
  EXPECT_EQ(r.vm[9], 0.0);
  EXPECT_EQ(r.pf[9], 0.0);
  const PowerFlowResult plain = solve_ac(read_matpower(case_path("case9")));
  for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(r.vm[i], plain.vm[i], 1e-12);
}

TEST(AcPowerFlow, LosingTheOnlySlackDeenergisesWhenAllowed) {
  // The infeed bus is switched off (type 4): by default "no slack" is an error;
  // with de-energised islands allowed, the PV generators hold their island.
  PowerCase pc = read_matpower(case_path("case9"));
  pc.buses[0].type = BusType::isolated;  // bus 1, REF, behind a transformer to bus 4
  EXPECT_THROW(solve_ac(pc), InvalidInput);
  PowerFlowOptions options;
  options.network.deenergise_unsupplied_islands = true;
  const PowerFlowResult ac = solve_ac(pc, options);
  ASSERT_TRUE(ac.converged()) << to_string(ac.status);
  EXPECT_EQ(ac.deenergised_buses, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ac.pg[0], 0.0);
  EXPECT_GT(ac.pg[1], 163.0);  // bus 2 (largest Pmax) became the slack and picks up bus 1's share
  const PowerFlowResult dc = solve_dc(pc, options);
  EXPECT_TRUE(dc.converged());
  // Nothing left to hold the grid: everything de-energised, still an answer.
  for (Generator& g : pc.generators) g.in_service = false;
  const PowerFlowResult dark = solve_dc(pc, options);
  EXPECT_TRUE(dark.converged());
  EXPECT_EQ(dark.deenergised_buses.size(), 9u);
  const PowerFlowResult dark_ac = solve_ac(pc, options);
  EXPECT_TRUE(dark_ac.converged());
  EXPECT_EQ(dark_ac.deenergised_buses.size(), 9u);
}

TEST(AcPowerFlow, IsolatedBusTypeTakesNoPart) {
  PowerCase pc = read_matpower(case_path("case9"));
  pc.buses.push_back(Bus{.id = 60, .type = BusType::isolated, .pd = 10});
  pc.branches.push_back(Branch{.from = 9, .to = 60, .r = 0.01, .x = 0.1});
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.deenergised_buses, (std::vector<std::int64_t>{60}));
  EXPECT_EQ(r.pf.back(), 0.0);
}

TEST(AcPowerFlow, OutOfServiceElementsAreIgnored) {
  PowerCase pc = read_matpower(case_path("case9"));
  PowerCase with_extra = pc;
  with_extra.branches.push_back(Branch{.from = 5, .to = 7, .r = 0.01, .x = 0.05, .in_service = false});
  with_extra.generators.push_back(Generator{.bus = 5, .pg = 50, .vg = 1.0, .in_service = false});
  const PowerFlowResult a = solve_ac(pc), b = solve_ac(with_extra);
  ASSERT_TRUE(b.converged());
  for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(a.vm[i], b.vm[i], 1e-12);
  EXPECT_EQ(b.pf.back(), 0.0);
  EXPECT_EQ(b.pg.back(), 0.0);
}

TEST(AcPowerFlow, ZeroImpedanceBranchBecomesAStiffTie) {
  PowerCase pc = read_matpower(case_path("case9"));
  pc.buses.push_back(Bus{.id = 10, .type = BusType::pq, .pd = 20, .qd = 5});
  pc.branches.push_back(Branch{.from = 9, .to = 10});  // r = x = 0
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged());
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.back().find("zero impedance"), std::string::npos);
  EXPECT_NEAR(r.vm[9], r.vm[8], 1e-3);
  EXPECT_NEAR(r.pt.back(), -20.0, 1e-6);
}

}  // namespace
}  // namespace citytwin::grid
