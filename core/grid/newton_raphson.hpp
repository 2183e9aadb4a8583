#pragma once
// AC power flow by Newton-Raphson in polar coordinates (MATPOWER's newtonpf):
// unknowns Va at PV and PQ buses and Vm at PQ buses, equations the P mismatch
// at PV and PQ buses and the Q mismatch at PQ buses. Every island has its own
// slack; the islands share one block-diagonal system.
//
// Speed: the Jacobian pattern is derived once from the Ybus pattern, each
// Ybus entry knows where its four partial derivatives go, and the KLU
// symbolic analysis (and, via refactor, the pivot order) is reused across
// iterations and across solve() calls. Only PV -> PQ switching changes the
// pattern.
#include <cstdint>
#include <vector>

#include "core/grid/jacobian.hpp"
#include "core/grid/klu_solver.hpp"
#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/ybus.hpp"

namespace citytwin::grid {

class AcPowerFlow {
 public:
  // Copies the case; builds network, Ybus, Jacobian pattern and KLU analysis.
  explicit AcPowerFlow(PowerCase pc, PowerFlowOptions options = {});

  // Solves from options.start.
  PowerFlowResult solve();
  // Solves from the given start (per bus, pu / degrees), e.g. a previous hour.
  PowerFlowResult solve_from(const std::vector<double>& vm, const std::vector<double>& va_deg);

  // Takes branch k out of (or back into) service keeping the Ybus and
  // Jacobian patterns, so the symbolic analysis survives. The branch must be
  // active in the base case; outages that split an island are the caller's
  // concern (the DC screening flags them).
  void set_branch_outage(std::size_t k, bool out);

  // Replaces the loads / dispatch (same topology) for the next solve.
  void set_injections(const std::vector<Bus>& buses, const std::vector<Generator>& generators);

  const PowerCase& power_case() const { return pc_; }
  const Network& network() const { return net_; }
  const PowerFlowOptions& options() const { return options_; }
  // Start voltages of a mode (per bus, pu and degrees).
  void start_voltages(StartMode mode, std::vector<double>& vm, std::vector<double>& va_deg) const;

 private:
  PowerCase pc_;
  PowerFlowOptions options_;
  Network net_;
  Ybus ybus_;
  std::vector<std::uint8_t> branch_out_;  // outages applied through set_branch_outage
  JacobianPattern jac_;
  // One irreducible block per island: BTF buys nothing. Per-unit Jacobians are
  // well scaled and their pattern is built sorted and duplicate-free, so KLU's
  // scaling and checking pass (scale -1) is skipped: refactor is ~40 % faster.
  // The bus-level order gives nnz(L + U) ~ 1.7 nnz(J): start KLU's buffers at 2.5x.
  KluSolver lu_{KluOptions{.btf = false, .scale = -1, .initial_fill = 2.5}};
  std::vector<double> gen_qg_;  // working Qg (fixed at limits by PV -> PQ switching)
  std::vector<BusRole> base_role_;  // roles before any PV -> PQ switching

  void rebuild_pattern();
  int newton(std::vector<Cplx>& v, std::vector<double>& vm, std::vector<double>& va, double& norm_f,
             std::vector<double>& f);
  void recompute_injections();
  // MATPOWER's pfsoln: slack P and PV / slack Q from the solution, Q shared
  // between the generators of a bus in proportion to their Q ranges.
  void generator_output(const std::vector<Cplx>& v, std::vector<double>& pg, std::vector<double>& qg) const;
  PowerFlowResult finish(const std::vector<Cplx>& v, int iterations, double norm_f, const std::vector<double>& f,
                         bool converged) const;
};

}  // namespace citytwin::grid
