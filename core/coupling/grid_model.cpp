#include "core/coupling/grid_model.hpp"

#include <cmath>

#include "core/grid/dc_powerflow.hpp"
#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::coupling {

struct GridModel::DcCache {
  std::vector<std::uint8_t> bus_out, branch_out;
  grid::Network net;
  grid::DcModel model;
};

BusLoads zone_loads_on_buses(const Twin& twin, const std::vector<double>& zone_p, const std::vector<double>& zone_q, double signal_kw) {
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  BusLoads L{std::vector<double>(g.bus_count(), 0.0), std::vector<double>(g.bus_count(), 0.0)};
  for (std::size_t z = 0; z < zone_p.size() && z + 1 < x.district_sub_offsets.size(); ++z) {
    for (auto k = x.district_sub_offsets[z]; k < x.district_sub_offsets[z + 1]; ++k) {
      const auto bus = g.substation_bus[x.district_sub[k]];
      const double w = x.district_sub_share[k];
      L.p[bus] += w * zone_p[z];
      L.q[bus] += w * zone_q[z];
    }
  }
  for (const auto bus : x.signal_bus)
    if (bus < g.bus_count()) L.p[bus] += signal_kw / 1000.0;  // unmatched signals carry 0xFFFFFFFF
  return L;
}

GridModel::GridModel(const Twin& twin) : grid_(twin.grid) {
  const PowerGrid& g = grid_;
  base_.name = twin.name + " grid";
  base_.source = "twin";
  base_.base_mva = g.base_mva;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    grid::Bus bus;
    bus.id = static_cast<std::int64_t>(b + 1);
    bus.type = g.bus_type[b] == BusType::Slack ? grid::BusType::ref : grid::BusType::pq;
    bus.base_kv = g.bus_kv[b];
    base_.buses.push_back(bus);
  }
  for (std::size_t k = 0; k < g.gen_bus.size(); ++k) {
    grid::Generator gen;
    gen.bus = g.gen_bus[k] + 1;
    gen.pg = g.gen_p_mw[k];
    gen.vg = g.gen_vm_pu[k];
    gen.qmax = g.gen_q_max_mvar[k];
    gen.qmin = g.gen_q_min_mvar[k];
    gen.pmax = 1e9;
    base_.generators.push_back(gen);
  }
  for (std::size_t l = 0; l < g.branch_count(); ++l) {
    grid::Branch br;
    br.from = g.branch_from[l] + 1;
    br.to = g.branch_to[l] + 1;
    br.r = g.branch_r[l];
    br.x = g.branch_x[l];
    br.b = g.branch_b[l];
    br.rate_a = g.branch_rating_mva[l];
    br.in_service = g.branch_in_service[l] != 0;
    base_.branches.push_back(br);
  }
}

GridHour GridModel::solve(const std::vector<double>& p_mw, const std::vector<double>& q_mvar, const std::vector<std::uint8_t>& bus_out,
                          const std::vector<std::uint8_t>& branch_out) const {
  const PowerGrid& g = grid_;
  grid::PowerCase pc = base_;
  for (std::size_t b = 0; b < pc.buses.size(); ++b) {
    pc.buses[b].pd = p_mw[b];
    pc.buses[b].qd = q_mvar[b];
    if (bus_out[b]) pc.buses[b].type = grid::BusType::isolated;
  }
  for (std::size_t l = 0; l < pc.branches.size(); ++l) {
    const bool end_out = bus_out[g.branch_from[l]] || bus_out[g.branch_to[l]];
    if (branch_out[l] || end_out) pc.branches[l].in_service = false;
  }
  for (auto& gen : pc.generators)
    if (bus_out[gen.bus - 1]) gen.in_service = false;

  GridHour h;
  const std::size_t nb = g.bus_count();
  h.bus_energised.assign(nb, 0);
  h.branch_flow_mw.assign(g.branch_count(), 0.0);
  h.branch_loading_pct.assign(g.branch_count(), 0.0);
  h.substation_load_mva.assign(g.substation_count(), 0.0);
  h.substation_utilisation.assign(g.substation_count(), 0.0);
  if (nb == 0) return h;
  // Areas cut off from every slack are the de-energised part of the city, not an error.
  grid::PowerFlowOptions options;
  options.network.deenergise_unsupplied_islands = true;
  grid::PowerFlowResult r;
  {
    const std::lock_guard lock(cache_mutex_);
    if (cache_ && cache_->bus_out == bus_out && cache_->branch_out == branch_out) {
      grid::validate_values(pc);  // this hour's loads, as build_network would check them
      grid::update_injections(pc, cache_->net);
      ++reused_;
    } else {
      grid::Network net = grid::build_network(pc, options.network);
      grid::DcModel model = grid::build_dc_model(pc, net);
      cache_ = std::make_shared<DcCache>(DcCache{bus_out, branch_out, std::move(net), std::move(model)});
      ++built_;
    }
    r = grid::dc_result(pc, cache_->net, cache_->model, grid::dc_angles(pc, cache_->net, cache_->model));
  }
  h.converged = r.converged();
  for (std::size_t b = 0; b < nb; ++b) {
    h.bus_energised[b] = !bus_out[b] && (r.energised.empty() || r.energised[b]);
    (h.bus_energised[b] ? h.served_mw : h.unserved_mw) += p_mw[b];
  }
  for (double pg : r.pg) h.slack_mw += pg;
  for (std::size_t l = 0; l < g.branch_count(); ++l) {
    if (!pc.branches[l].in_service || r.pf.empty()) continue;
    h.branch_flow_mw[l] = r.pf[l];
    if (g.branch_rating_mva[l] > 0) h.branch_loading_pct[l] = 100.0 * std::abs(r.pf[l]) / g.branch_rating_mva[l];
    if (h.branch_loading_pct[l] > 100.0) ++h.overloaded_branches;
  }
  // A substation carries the load of its own buses; an infeed (slack)
  // substation carries what its island draws.
  std::vector<double> infeed_mw(nb, 0.0);
  for (std::size_t k = 0; k < r.pg.size() && k < pc.generators.size(); ++k)
    if (pc.generators[k].in_service) infeed_mw[static_cast<std::size_t>(pc.generators[k].bus - 1)] += r.pg[k];
  for (std::size_t b = 0; b < nb; ++b) {
    const std::int32_t k = g.bus_substation[b];
    if (k >= 0 && h.bus_energised[b]) h.substation_load_mva[k] += std::hypot(p_mw[b], q_mvar[b]);
  }
  for (std::size_t k = 0; k < g.substation_count(); ++k) {
    const auto bus = g.substation_bus[k];
    if (g.bus_type[bus] == BusType::Slack) h.substation_load_mva[k] = std::max(h.substation_load_mva[k], infeed_mw[bus]);
    const double rating = g.substation_capacity_mva[k];
    h.substation_utilisation[k] = rating > 0 ? h.substation_load_mva[k] / rating : 0.0;
  }
  return h;
}

}  // namespace citytwin::coupling
