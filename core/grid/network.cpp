#include "core/grid/network.hpp"

#include <cmath>

#include "core/common/errors.hpp"

namespace citytwin::grid {

namespace {

SourceLocation at(const PowerCase& pc, const char* table, std::size_t row, const char* field = "") {
  return SourceLocation{.file = pc.source.empty() ? pc.name : pc.source,
                        .layer = table,
                        .feature = static_cast<std::int64_t>(row + 1),
                        .field = field};
}

}  // namespace

void update_injections(const PowerCase& pc, Network& net) {
  const double base = pc.base_mva;
  net.s_sched.assign(net.n_bus, Cplx{});
  for (std::int32_t i = 0; i < net.n_bus; ++i) {
    if (net.role[i] == BusRole::deenergised) continue;
    net.s_sched[i] = Cplx{-pc.buses[i].pd / base, -pc.buses[i].qd / base};
  }
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    if (!net.gen_active[g]) continue;
    Cplx& s = net.s_sched[net.index.gen_bus[g]];
    s.re += pc.generators[g].pg / base;
    s.im += pc.generators[g].qg / base;
  }
}

Network build_network(const PowerCase& pc, const NetworkOptions& options) {
  validate_values(pc);
  Network net;
  net.n_bus = static_cast<std::int32_t>(pc.buses.size());
  net.base_mva = pc.base_mva;
  net.index = index_buses(pc);
  const std::int32_t n = net.n_bus;
  const std::size_t n_branch = pc.branches.size();
  const std::size_t n_gen = pc.generators.size();

  std::vector<std::uint8_t> available(n);
  for (std::int32_t i = 0; i < n; ++i) available[i] = pc.buses[i].type != BusType::isolated;

  net.branch_active.assign(n_branch, 0);
  for (std::size_t k = 0; k < n_branch; ++k) {
    net.branch_active[k] = pc.branches[k].in_service && available[net.index.branch_from[k]] &&
                           available[net.index.branch_to[k]] &&
                           net.index.branch_from[k] != net.index.branch_to[k];
  }
  net.islands.of_bus = connected_components(n, available, net.index.branch_from, net.index.branch_to,
                                             net.branch_active, net.islands.count);

  net.gen_active.assign(n_gen, 0);
  std::vector<double> gen_capacity(n, 0.0);
  std::vector<std::uint8_t> has_gen(n, 0);
  net.v_set.assign(n, 1.0);
  for (std::size_t g = 0; g < n_gen; ++g) {
    const std::int32_t bus = net.index.gen_bus[g];
    if (!pc.generators[g].in_service || !available[bus]) continue;
    net.gen_active[g] = 1;
    has_gen[bus] = 1;
    gen_capacity[bus] += pc.generators[g].pmax;
    net.v_set[bus] = pc.generators[g].vg;  // MATPOWER: the last generator's set point wins
  }

  // Slack per island: the first REF bus with generation; else the PV bus with
  // the largest capacity. Islands without generation are de-energised (or an error).
  const std::int32_t n_island = net.islands.count;
  std::vector<std::int32_t> ref(n_island, -1), best_pv(n_island, -1), first_bus(n_island, -1);
  std::vector<double> island_load(n_island, 0.0);
  bool any_ref = false;
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t isl = net.islands.of_bus[i];
    if (isl < 0) continue;
    if (first_bus[isl] < 0) first_bus[isl] = i;
    island_load[isl] += std::abs(pc.buses[i].pd) + std::abs(pc.buses[i].qd);
    if (!has_gen[i]) continue;
    if (pc.buses[i].type == BusType::ref) {
      any_ref = true;
      if (ref[isl] < 0) {
        ref[isl] = i;
      } else {
        net.warnings.push_back("bus " + std::to_string(pc.buses[i].id) + " is a second REF bus in the island of bus " +
                               std::to_string(pc.buses[ref[isl]].id) + "; it is solved as a PV bus");
      }
    } else if (pc.buses[i].type == BusType::pv) {
      if (best_pv[isl] < 0 || gen_capacity[i] > gen_capacity[best_pv[isl]]) best_pv[isl] = i;
    }
  }
  if (!any_ref && options.deenergise_unsupplied_islands) {
    // e.g. the infeed substation is out: islands with PV generation pick their
    // own slack below, the rest is de-energised.
    net.warnings.push_back("no REF bus with an in-service generator; islands without a PV generator are de-energised");
  } else if (!any_ref) {
    std::int64_t first_ref_row = -1;
    for (std::int32_t i = 0; i < n && first_ref_row < 0; ++i) {
      if (pc.buses[i].type == BusType::ref) first_ref_row = i;
    }
    if (first_ref_row >= 0) {
      throw InvalidInput("the REF bus " + std::to_string(pc.buses[first_ref_row].id) +
                             " has no in-service generator, so the case has no slack",
                         at(pc, "bus", static_cast<std::size_t>(first_ref_row), "type"));
    }
    throw InvalidInput("no slack: no bus has type 3 (REF)",
                       SourceLocation{.file = pc.source.empty() ? pc.name : pc.source, .layer = "bus", .field = "type"});
  }

  net.role.assign(n, BusRole::pq);
  net.islands.slack.assign(n_island, -1);
  std::vector<std::uint8_t> island_dead(n_island, 0);
  for (std::int32_t isl = 0; isl < n_island; ++isl) {
    std::int32_t slack = ref[isl] >= 0 ? ref[isl] : best_pv[isl];
    if (slack < 0) {
      // no PV or REF bus with generation: a PQ-only generator cannot hold the island either
      if (island_load[isl] > 0 && !options.deenergise_unsupplied_islands) {
        throw InvalidInput("the island of bus " + std::to_string(pc.buses[first_bus[isl]].id) +
                               " has load but no generator that can be its slack (no in-service generator at "
                               "a PV or REF bus); connect it or allow de-energised islands",
                           at(pc, "bus", static_cast<std::size_t>(first_bus[isl])));
      }
      island_dead[isl] = 1;
      continue;
    }
    if (ref[isl] < 0) {
      net.warnings.push_back("the island of bus " + std::to_string(pc.buses[first_bus[isl]].id) +
                             " has no REF bus; bus " + std::to_string(pc.buses[slack].id) +
                             " (largest generation) is its slack");
    }
    net.islands.slack[isl] = slack;
  }
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t isl = net.islands.of_bus[i];
    if (isl < 0 || island_dead[isl]) {
      net.role[i] = BusRole::deenergised;
      net.islands.deenergised.push_back(i);
      if (isl >= 0) net.unserved_load_mw += pc.buses[i].pd;
      continue;
    }
    if (net.islands.slack[isl] == i) {
      net.role[i] = BusRole::slack;
    } else if (has_gen[i] && (pc.buses[i].type == BusType::pv || pc.buses[i].type == BusType::ref)) {
      net.role[i] = BusRole::pv;
    }
  }
  if (!net.islands.deenergised.empty()) {
    std::size_t loaded = 0;
    for (std::int32_t i : net.islands.deenergised) loaded += pc.buses[i].pd != 0 || pc.buses[i].qd != 0;
    net.warnings.push_back(std::to_string(net.islands.deenergised.size()) + " bus(es) de-energised (" +
                           std::to_string(loaded) + " with load, " + std::to_string(net.unserved_load_mw) +
                           " MW unserved)");
  }
  // Branches into de-energised islands carry nothing.
  for (std::size_t k = 0; k < n_branch; ++k) {
    if (net.branch_active[k] && net.role[net.index.branch_from[k]] == BusRole::deenergised) net.branch_active[k] = 0;
  }
  for (std::size_t g = 0; g < n_gen; ++g) {
    if (net.gen_active[g] && net.role[net.index.gen_bus[g]] == BusRole::deenergised) net.gen_active[g] = 0;
  }

  net.branch_y.resize(n_branch);
  net.branch_x_dc.resize(n_branch);
  std::size_t zero_impedance = 0;
  std::string zero_rows;
  for (std::size_t k = 0; k < n_branch; ++k) {
    const Branch& br = pc.branches[k];
    double r = br.r, x = br.x;
    const bool zero_ac = r == 0 && x == 0;
    const bool zero_dc = x == 0;
    if (net.branch_active[k] && (zero_ac || zero_dc)) {
      if (++zero_impedance <= 10) zero_rows += (zero_rows.empty() ? "" : ", ") + std::to_string(k + 1);
    }
    if (zero_ac) x = options.zero_impedance_x;
    net.branch_y[k] = branch_admittance(r, x, br.b, br.ratio, br.angle);
    net.branch_x_dc[k] = zero_dc ? options.zero_impedance_x : br.x;
  }
  if (zero_impedance > 0) {
    net.warnings.push_back(std::to_string(zero_impedance) + " in-service branch(es) with zero impedance (rows " +
                           zero_rows + (zero_impedance > 10 ? ", ..." : "") + ") solved with x = " +
                           std::to_string(options.zero_impedance_x) + " pu");
  }

  net.bus_shunt.resize(n);
  for (std::int32_t i = 0; i < n; ++i) net.bus_shunt[i] = Cplx{pc.buses[i].gs / pc.base_mva, pc.buses[i].bs / pc.base_mva};
  update_injections(pc, net);
  return net;
}

}  // namespace citytwin::grid
