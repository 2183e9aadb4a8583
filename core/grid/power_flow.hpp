#pragma once
// Options and results shared by the DC and AC power flows, and the two
// one-call entry points. For repeated solves (hours, scenarios, outages) keep
// an AcPowerFlow (newton_raphson.hpp) so the KLU symbolic analysis is reused.
#include <cstdint>
#include <string>
#include <vector>

#include "core/grid/network.hpp"
#include "core/grid/power_case.hpp"

namespace citytwin::grid {

enum class StartMode {
  case_voltages,  // Vm / Va of the bus table (MATPOWER's default)
  flat,           // Vm = 1 (set points at PV / slack), Va = slack angle
  dc              // angles of the DC power flow, magnitudes as in flat
};

struct PowerFlowOptions {
  NetworkOptions network;
  StartMode start = StartMode::case_voltages;
  double tolerance = 1e-8;   // inf-norm of the P/Q mismatch, pu
  int max_iterations = 10;   // Newton iterations (MATPOWER's default)
  bool enforce_q_limits = false;  // PV -> PQ switching at generator Q limits (slack excluded)
  int max_q_limit_rounds = 20;
  // A converged solution outside these bounds is flagged implausible, not
  // converged (e.g. the low-voltage solution a flat start can reach).
  double plausible_vm_min = 0.5;
  double plausible_vm_max = 1.5;
  double plausible_angle_diff_deg = 90;  // across an in-service branch, after its phase shift
  int report_worst_buses = 5;
};

enum class SolveStatus { converged, not_converged, implausible };

const char* to_string(SolveStatus status);

struct BusMismatch {
  std::int64_t bus = 0;  // external number
  double p_mw = 0, q_mvar = 0;
};

struct PowerFlowResult {
  SolveStatus status = SolveStatus::not_converged;
  bool dc = false;
  int iterations = 0;
  double max_mismatch = 0;  // pu, inf-norm at the end
  double seconds = 0;       // solve time (excluding reading the case)
  std::int32_t islands = 0;

  // per bus, case order; de-energised buses have vm = va = 0
  std::vector<double> vm, va_deg;
  std::vector<std::uint8_t> energised;
  // per branch (MW / MVAr, into the branch at each end); 0 when not active
  std::vector<double> pf, qf, pt, qt;
  // per generator
  std::vector<double> pg, qg;

  double losses_mw = 0;  // sum of Pf + Pt over branches (AC); 0 for DC
  double min_vm = 0, max_vm = 0;

  std::vector<BusMismatch> worst_buses;        // when not converged
  std::vector<std::int64_t> implausible_buses; // when implausible (bus numbers)
  std::vector<std::int64_t> deenergised_buses;
  std::vector<std::int64_t> pv_to_pq_buses;    // Q-limit switching
  std::vector<std::string> warnings;

  bool converged() const { return status == SolveStatus::converged; }
  // Loading of branch k in % of rateA (max of both ends' MVA; DC uses |Pf|),
  // NaN when rateA is 0.
  double loading_percent(const PowerCase& pc, std::size_t k) const;
};

PowerFlowResult solve_ac(const PowerCase& pc, const PowerFlowOptions& options = {});
PowerFlowResult solve_dc(const PowerCase& pc, const PowerFlowOptions& options = {});

// Throws NotConverged (naming the case and the worst buses) unless converged.
void require_converged(const PowerCase& pc, const PowerFlowResult& result);

}  // namespace citytwin::grid
