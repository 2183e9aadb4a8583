#include "gpu/dc_screen_plan.hpp"

#include <cmath>

#include "core/grid/dc_powerflow.hpp"
#include "core/grid/network.hpp"
#include "gpu/kernels/n1_screen.hpp"

namespace citytwin::gpu {

DcScreenPlan dc_screen_plan(const grid::PowerCase& pc, const grid::ContingencyOptions& options) {
  const grid::Network net = grid::build_network(pc, options.power_flow.network);
  const grid::DcModel model = grid::build_dc_model(pc, net);
  const std::vector<double> theta = grid::dc_angles(pc, net, model);
  DcScreenPlan p;
  p.nr = static_cast<std::int32_t>(model.bus_of_row.size());
  p.threshold = options.overload_percent;
  const auto nr = static_cast<std::size_t>(p.nr);
  p.b_dense.assign(nr * nr, 0.0);
  for (std::size_t c = 0; c < nr; ++c)
    for (auto k = model.col_ptr[c]; k < model.col_ptr[c + 1]; ++k)
      p.b_dense[c * nr + static_cast<std::size_t>(model.row_idx[static_cast<std::size_t>(k)])] += model.values[static_cast<std::size_t>(k)];
  const auto& from = net.index.branch_from;
  const auto& to = net.index.branch_to;
  for (std::size_t k = 0; k < pc.branches.size(); ++k) {
    if (!net.branch_active[k]) continue;
    const auto row = static_cast<std::int32_t>(p.active.size());
    p.active.push_back(k);
    p.from_row.push_back(model.reduced[static_cast<std::size_t>(from[k])]);
    p.to_row.push_back(model.reduced[static_cast<std::size_t>(to[k])]);
    p.b.push_back(model.b[k]);
    const double f0 = model.b[k] * (theta[static_cast<std::size_t>(from[k])] - theta[static_cast<std::size_t>(to[k])]) + model.pf_inj[k];
    p.f0.push_back(f0);
    const double rating = pc.branches[k].rate_a > 0 ? pc.branches[k].rate_a / pc.base_mva : 0.0;
    if (rating > 0) {
      p.mon_row.push_back(row);
      p.mon_f0.push_back(f0);
      p.mon_inv_rating.push_back(100.0 / rating);
      p.mon_base.push_back(100.0 * std::abs(f0) / rating + 1e-9);
    }
  }
  return p;
}

std::vector<grid::OutageResult> outage_results(const DcScreenPlan& plan, const std::vector<OutageScreen>& screens) {
  std::vector<grid::OutageResult> out(screens.size());
  for (std::size_t c = 0; c < screens.size(); ++c) {
    out[c].branch = plan.active[c];
    out[c].islanding = screens[c].islanding;
    if (screens[c].islanding) continue;
    out[c].max_loading_percent = screens[c].worst;
    out[c].worst_branch = plan.mon_row.empty() ? 0 : plan.active[static_cast<std::size_t>(plan.mon_row[static_cast<std::size_t>(screens[c].worst_at)])];
    out[c].overloaded_branches = screens[c].overloaded;
    out[c].overloads = screens[c].overloaded > 0;
  }
  return out;
}

}  // namespace citytwin::gpu
