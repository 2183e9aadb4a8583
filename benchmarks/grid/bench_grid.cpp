// bench_grid: power flow on MATPOWER's case2869pegase (the reference
// point: MATPOWER 8 on Octave, AC Newton-Raphson 0.13-0.20 s, DC 0.021 s) and
// on synthetic grids of 10k-100k buses; N-1 DC screening over 1 and 2 threads.
//
//   bench_grid --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/common/parallel.hpp"
#include "core/grid/contingency.hpp"
#include "core/grid/dc_powerflow.hpp"
#include "core/grid/jacobian.hpp"
#include "core/grid/klu_solver.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/network.hpp"
#include "core/grid/newton_raphson.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/synthetic_grid.hpp"
#include "core/grid/ybus.hpp"

namespace {

using namespace citytwin::grid;

const PowerCase& matpower_case(const std::string& name) {
  static std::map<std::string, PowerCase> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache.emplace(name, read_matpower(std::string(CITYTWIN_REFERENCE_DATA) + "/matpower/" + name + ".m")).first;
  }
  return it->second;
}

const PowerCase& synthetic(std::int32_t buses) {
  static std::map<std::int32_t, PowerCase> cache;
  auto it = cache.find(buses);
  if (it == cache.end()) it = cache.emplace(buses, synthetic_grid({.buses = buses, .seed = 7})).first;
  return it->second;
}

void check(const PowerFlowResult& r, benchmark::State& state) {
  if (!r.converged()) state.SkipWithError("power flow did not converge");
}

// --- case2869pegase -------------------------------------------------------

void BM_Pegase_Read(benchmark::State& state) {
  const std::string path = std::string(CITYTWIN_REFERENCE_DATA) + "/matpower/case2869pegase.m";
  for (auto _ : state) benchmark::DoNotOptimize(read_matpower(path));
}
BENCHMARK(BM_Pegase_Read)->Unit(benchmark::kMillisecond);

// One call from the case struct: network, Ybus, Jacobian pattern, KLU analysis,
// 6 Newton iterations, branch flows and generator outputs.
void BM_Pegase_AC_OneShot(benchmark::State& state) {
  const PowerCase& pc = matpower_case("case2869pegase");
  for (auto _ : state) {
    const PowerFlowResult r = solve_ac(pc);
    check(r, state);
    state.counters["iterations"] = r.iterations;
  }
}
BENCHMARK(BM_Pegase_AC_OneShot)->Unit(benchmark::kMillisecond);

// The same solve with the solver kept: symbolic analysis and pivot order reused
// (the hourly / scenario loop).
void BM_Pegase_AC_Reused(benchmark::State& state) {
  AcPowerFlow solver(matpower_case("case2869pegase"));
  (void)solver.solve();
  for (auto _ : state) {
    const PowerFlowResult r = solver.solve();
    check(r, state);
    state.counters["iterations"] = r.iterations;
  }
}
BENCHMARK(BM_Pegase_AC_Reused)->Unit(benchmark::kMillisecond);

void BM_Pegase_AC_FlatStart(benchmark::State& state) {
  PowerFlowOptions options;
  options.start = StartMode::flat;
  AcPowerFlow solver(matpower_case("case2869pegase"), options);
  for (auto _ : state) {
    const PowerFlowResult r = solver.solve();
    check(r, state);
    state.counters["iterations"] = r.iterations;
  }
}
BENCHMARK(BM_Pegase_AC_FlatStart)->Unit(benchmark::kMillisecond);

void BM_Pegase_DC_OneShot(benchmark::State& state) {
  const PowerCase& pc = matpower_case("case2869pegase");
  for (auto _ : state) check(solve_dc(pc), state);
}
BENCHMARK(BM_Pegase_DC_OneShot)->Unit(benchmark::kMillisecond);

// Pieces of one AC solve, to see where the time goes.
void BM_Pegase_Part_Network(benchmark::State& state) {
  const PowerCase& pc = matpower_case("case2869pegase");
  for (auto _ : state) benchmark::DoNotOptimize(build_network(pc));
}
BENCHMARK(BM_Pegase_Part_Network)->Unit(benchmark::kMicrosecond);

void BM_Pegase_Part_YbusAndPattern(benchmark::State& state) {
  const Network net = build_network(matpower_case("case2869pegase"));
  for (auto _ : state) {
    const Ybus y = build_ybus(net, net.branch_active);
    benchmark::DoNotOptimize(build_jacobian_pattern(net, y));
  }
}
BENCHMARK(BM_Pegase_Part_YbusAndPattern)->Unit(benchmark::kMicrosecond);

void BM_Pegase_Part_KluAnalyze(benchmark::State& state) {
  const Network net = build_network(matpower_case("case2869pegase"));
  const Ybus y = build_ybus(net, net.branch_active);
  const JacobianPattern jac = build_jacobian_pattern(net, y);
  for (auto _ : state) {
    KluSolver lu;
    lu.analyze(jac.size, jac.col_ptr, jac.row_idx);
  }
  state.counters["n"] = jac.size;
  state.counters["nnz"] = static_cast<double>(jac.row_idx.size());
}
BENCHMARK(BM_Pegase_Part_KluAnalyze)->Unit(benchmark::kMicrosecond);

// One Newton step's linear algebra at the start point: assemble, factor or refactor, solve.
void BM_Pegase_Part_JacobianStep(benchmark::State& state) {
  const PowerCase& pc = matpower_case("case2869pegase");
  const Network net = build_network(pc);
  const Ybus y = build_ybus(net, net.branch_active);
  JacobianPattern jac = build_jacobian_pattern(net, y);
  std::vector<Cplx> v(net.n_bus), cur(net.n_bus);
  std::vector<double> vm(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    vm[i] = pc.buses[i].vm;
    v[i] = polar(vm[i], pc.buses[i].va * kDegToRad);
  }
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    cur[i] = row_current(y.row_ptr[i], y.row_ptr[i + 1], y.col.data(), y.y.data(), v.data());
  }
  KluSolver lu;
  lu.analyze(jac.size, jac.col_ptr, jac.row_idx);
  assemble_jacobian(jac, y, v, vm, cur);
  lu.factor(jac.values.data());
  std::vector<double> rhs(jac.size, 1.0);
  const int mode = static_cast<int>(state.range(0));  // 0 assemble, 1 factor, 2 refactor, 3 solve
  for (auto _ : state) {
    switch (mode) {
      case 0:
        assemble_jacobian(jac, y, v, vm, cur);
        break;
      case 1:
        lu.factor(jac.values.data());
        break;
      case 2:
        lu.refactor(jac.values.data());
        break;
      default:
        lu.solve(rhs.data());
        break;
    }
  }
  state.SetLabel(mode == 0 ? "assemble" : mode == 1 ? "klu_factor" : mode == 2 ? "klu_refactor" : "klu_solve");
}
BENCHMARK(BM_Pegase_Part_JacobianStep)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

// KLU options on the pegase Jacobian: ordering (0 AMD on J, 1 COLAMD, 2 AMD on
// the bus graph as AcPowerFlow does) x BTF x scaling (-1 = no scaling / checks).
void BM_Pegase_Part_KluOptions(benchmark::State& state) {
  const PowerCase& pc = matpower_case("case2869pegase");
  const Network net = build_network(pc);
  const Ybus y = build_ybus(net, net.branch_active);
  JacobianPattern jac = build_jacobian_pattern(net, y);
  std::vector<Cplx> v(net.n_bus), cur(net.n_bus);
  std::vector<double> vm(net.n_bus);
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    vm[i] = pc.buses[i].vm;
    v[i] = polar(vm[i], pc.buses[i].va * kDegToRad);
  }
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    cur[i] = row_current(y.row_ptr[i], y.row_ptr[i + 1], y.col.data(), y.y.data(), v.data());
  }
  assemble_jacobian(jac, y, v, vm, cur);
  KluOptions options;
  options.ordering = static_cast<int>(state.range(0));
  options.btf = state.range(1) != 0;
  options.scale = static_cast<int>(state.range(2));
  if (state.range(1) == 0 && state.range(0) == 2) options.initial_fill = 2.5;
  const int mode = static_cast<int>(state.range(3));  // 0 refactor, 1 analyze + factor
  const bool bus_order = options.ordering == 2;      // AMD on the bus graph, expanded
  if (bus_order) options.ordering = 0;
  KluSolver lu(options);
  auto analyze = [&] {
    if (bus_order) {
      lu.analyze_given(jac.size, jac.col_ptr, jac.row_idx, bus_block_order(jac, y));
    } else {
      lu.analyze(jac.size, jac.col_ptr, jac.row_idx);
    }
  };
  analyze();
  lu.factor(jac.values.data());
  for (auto _ : state) {
    if (mode == 0) {
      lu.refactor(jac.values.data());
    } else {
      analyze();
      lu.factor(jac.values.data());
    }
  }
  state.counters["lu_nnz"] = static_cast<double>(lu.factor_nnz());
  state.SetLabel(std::string(bus_order ? "bus AMD" : options.ordering == 0 ? "AMD" : "COLAMD") + (options.btf ? "+BTF" : "") +
                 (options.initial_fill != 10 ? " initmem 2.5" : "") + " scale " +
                 std::to_string(options.scale) + (mode == 0 ? ": refactor" : ": analyze+factor"));
}
BENCHMARK(BM_Pegase_Part_KluOptions)
    ->ArgsProduct({{0, 1, 2}, {0, 1}, {-1, 0, 2}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// N-1 DC screening of all 4,582 branches (no AC confirmation), 1 and 2 threads.
void BM_Pegase_N1_DC(benchmark::State& state) {
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(0)));
  const PowerCase& pc = matpower_case("case2869pegase");
  ContingencyOptions options;
  options.ac_confirm = 0;
  for (auto _ : state) {
    const ContingencyReport report = screen_n_minus_1(pc, options);
    state.counters["outages"] = static_cast<double>(report.outages.size());
    state.counters["overloading"] = static_cast<double>(report.overloading_outages);
  }
}
BENCHMARK(BM_Pegase_N1_DC)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// AC confirmation of the 10 worst outages (warm start, patterns kept).
void BM_Pegase_N1_AcConfirm10(benchmark::State& state) {
  citytwin::ThreadLimit limit(2);
  const PowerCase& pc = matpower_case("case2869pegase");
  ContingencyOptions options;
  options.ac_confirm = 10;
  for (auto _ : state) {
    const ContingencyReport report = screen_n_minus_1(pc, options);
    state.counters["ac_ms"] = report.ac_seconds * 1e3;
  }
}
BENCHMARK(BM_Pegase_N1_AcConfirm10)->Unit(benchmark::kMillisecond)->UseRealTime();

// --- synthetic grids: scaling ---------------------------------------------

void BM_Synthetic_AC_OneShot(benchmark::State& state) {
  const PowerCase& pc = synthetic(static_cast<std::int32_t>(state.range(0)));
  PowerFlowOptions options;
  options.start = StartMode::flat;
  for (auto _ : state) {
    const PowerFlowResult r = solve_ac(pc, options);
    check(r, state);
    state.counters["iterations"] = r.iterations;
  }
  state.counters["branches"] = static_cast<double>(pc.branches.size());
}
BENCHMARK(BM_Synthetic_AC_OneShot)->Arg(10000)->Arg(30000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_Synthetic_AC_Reused(benchmark::State& state) {
  PowerFlowOptions options;
  options.start = StartMode::flat;
  AcPowerFlow solver(synthetic(static_cast<std::int32_t>(state.range(0))), options);
  (void)solver.solve();
  for (auto _ : state) {
    const PowerFlowResult r = solver.solve();
    check(r, state);
    state.counters["iterations"] = r.iterations;
  }
}
BENCHMARK(BM_Synthetic_AC_Reused)->Arg(10000)->Arg(30000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_Synthetic_DC_OneShot(benchmark::State& state) {
  const PowerCase& pc = synthetic(static_cast<std::int32_t>(state.range(0)));
  for (auto _ : state) check(solve_dc(pc), state);
}
BENCHMARK(BM_Synthetic_DC_OneShot)->Arg(10000)->Arg(30000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_Synthetic_N1_DC(benchmark::State& state) {
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  const PowerCase& pc = synthetic(static_cast<std::int32_t>(state.range(0)));
  ContingencyOptions options;
  options.ac_confirm = 0;
  for (auto _ : state) {
    const ContingencyReport report = screen_n_minus_1(pc, options);
    state.counters["outages"] = static_cast<double>(report.outages.size());
  }
}
BENCHMARK(BM_Synthetic_N1_DC)->Args({10000, 1})->Args({10000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
