#pragma once
// The solver's view of a PowerCase: internal bus indices, the role of every
// bus (slack / PV / PQ / de-energised), islands with one slack each, branch
// admittances, scheduled injections and start voltages. Built once per case
// (or per topology change) and shared by the DC and AC solvers.
#include <cstdint>
#include <string>
#include <vector>

#include "core/grid/islands.hpp"
#include "core/grid/power_case.hpp"
#include "core/grid/power_flow_math.hpp"

namespace citytwin::grid {

struct NetworkOptions {
  // Series reactance (pu) given to in-service branches whose impedance is
  // exactly zero (r = x = 0 in AC, x = 0 in DC): they become stiff ties, the
  // PSS/E "jumper" threshold. Each such branch is listed in warnings.
  double zero_impedance_x = 1e-4;
  // An island that has load but no in-service generator: false (default)
  // throws InvalidInput naming the island's first bus; true de-energises it
  // and reports its buses and unserved load. With true, a case whose REF
  // buses are all out is not an error either (islands with a PV generator
  // take their own slack, the rest is de-energised).
  bool deenergise_unsupplied_islands = false;
};

enum class BusRole : std::uint8_t { pq, pv, slack, deenergised };

struct Network {
  std::int32_t n_bus = 0;
  double base_mva = 100;
  BusIndex index;
  std::vector<BusRole> role;             // per bus
  Islands islands;                       // per bus island, slack per island
  std::vector<std::uint8_t> branch_active;  // in service with both ends energised
  std::vector<BranchAdmittance> branch_y;   // per branch (zero-impedance fix applied)
  std::vector<double> branch_x_dc;          // reactance for the DC model (fix applied)
  std::vector<std::uint8_t> gen_active;     // in service at an energised bus
  std::vector<Cplx> bus_shunt;              // (Gs + jBs) / baseMVA
  std::vector<Cplx> s_sched;                // scheduled injection, pu: gens - loads
  std::vector<double> v_set;                // voltage set point of PV / slack buses, pu
  std::vector<std::string> warnings;
  double unserved_load_mw = 0;
};

Network build_network(const PowerCase& pc, const NetworkOptions& options = {});

// Recomputes s_sched from the case's loads and generators (after a load or
// dispatch change that leaves the topology alone).
void update_injections(const PowerCase& pc, Network& net);

}  // namespace citytwin::grid
