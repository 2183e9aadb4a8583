#include "core/coupling/substation_sizing.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/coupling/grid_model.hpp"
#include "core/model/grid_infeeds.hpp"

namespace citytwin::coupling {

SizingSummary size_substations_to_load(Twin& twin, const demand::LoadParameters& load, double margin) {
  PowerGrid& g = twin.grid;
  const Districts& d = twin.districts;
  const std::size_t nb = g.bus_count(), nk = g.substation_count();
  const std::vector<std::uint32_t> root = island_roots(g);
  std::vector<double> peak(nk, 0.0);
  std::vector<double> zone_p(d.size()), zone_q(d.size()), island_p(nb), island_q(nb);
  for (int h = 0; h < demand::kHours; ++h) {
    for (std::size_t z = 0; z < d.size(); ++z) {
      const demand::ZoneLoad L = demand::zone_base_load(d.households[z], d.jobs_retail[z] + d.jobs_service[z] + d.jobs_other[z], h, load);
      zone_p[z] = L.p_mw, zone_q[z] = L.q_mvar;
    }
    const BusLoads loads = zone_loads_on_buses(twin, zone_p, zone_q, load.signal_kw);
    const std::vector<double>&p = loads.p, &q = loads.q;
    std::fill(island_p.begin(), island_p.end(), 0.0);
    std::fill(island_q.begin(), island_q.end(), 0.0);
    for (std::size_t b = 0; b < nb; ++b) island_p[root[b]] += p[b], island_q[root[b]] += q[b];
    // A substation carries its own buses; an infeed (slack) substation its island (as coupling::GridModel counts them).
    std::vector<double> own(nk, 0.0);
    for (std::size_t b = 0; b < nb; ++b)
      if (g.bus_substation[b] >= 0) own[static_cast<std::size_t>(g.bus_substation[b])] += std::hypot(p[b], q[b]);
    for (std::size_t k = 0; k < nk; ++k) {
      const auto bus = g.substation_bus[k];
      double s = own[k];
      if (g.bus_type[bus] == BusType::Slack) s = std::max(s, std::hypot(island_p[root[bus]], island_q[root[bus]]));
      peak[k] = std::max(peak[k], s);
    }
  }
  SizingSummary out;
  for (std::size_t k = 0; k < nk; ++k) {
    const double needed = margin * peak[k];
    if (needed <= g.substation_capacity_mva[k]) continue;
    out.added_mva += needed - g.substation_capacity_mva[k];
    g.substation_capacity_mva[k] = needed;
    ++out.raised;
    // Its transformers are its capacity.
    for (std::size_t l = 0; l < g.branch_count(); ++l)
      if (g.branch_kind[l] == BranchKind::Transformer && g.bus_substation[g.branch_from[l]] == static_cast<std::int32_t>(k) &&
          g.bus_substation[g.branch_to[l]] == static_cast<std::int32_t>(k))
        g.branch_rating_mva[l] = std::max(g.branch_rating_mva[l], needed);
  }
  return out;
}

}  // namespace citytwin::coupling
