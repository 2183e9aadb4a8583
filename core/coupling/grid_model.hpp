#pragma once
// The twin's grid as the power-flow solver sees it (a MATPOWER-style case),
// solved with the DC power flow for an hour's bus loads and outages:
// energised buses (connectivity to a slack), branch loading and substation
// utilisation u_k = S_k / rating_k (COUPLING.md steps 6-8).
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/grid/power_case.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

struct GridHour {
  bool converged = false;
  std::vector<std::uint8_t> bus_energised;
  std::vector<double> branch_flow_mw, branch_loading_pct;  // |P| / rating
  std::vector<double> substation_load_mva, substation_utilisation;
  double served_mw = 0, unserved_mw = 0, slack_mw = 0;
  int overloaded_branches = 0;
};

// Bus loads from per-zone loads through the district -> substation shares
// (COUPLING.md step 6), plus every matched signal's signal_kw.
struct BusLoads {
  std::vector<double> p, q;  // MW, MVAr per twin bus
};
BusLoads zone_loads_on_buses(const Twin& twin, const std::vector<double>& zone_p_mw, const std::vector<double>& zone_q_mvar,
                             double signal_kw);

class GridModel {
 public:
  explicit GridModel(const Twin& twin);

  // bus_p_mw / bus_q_mvar: load per twin bus; *_out: assets out of service.
  GridHour solve(const std::vector<double>& bus_p_mw, const std::vector<double>& bus_q_mvar,
                 const std::vector<std::uint8_t>& bus_out, const std::vector<std::uint8_t>& branch_out) const;

  const grid::PowerCase& base_case() const { return base_; }

  // Solves that reused the factorised B matrix of the previous solve / built it anew.
  int reused_factorisations() const { return reused_; }
  int new_factorisations() const { return built_; }

 private:
  const PowerGrid& grid_;
  grid::PowerCase base_;
  // The DC model (roles, islands, factorised B) depends only on what is in
  // service, so it is kept while no asset changes state: most hours and
  // coupling rounds then cost one pair of triangular solves, as time-series
  // power flows keep their factorisation.
  struct DcCache;
  mutable std::mutex cache_mutex_;
  mutable std::shared_ptr<DcCache> cache_;
  mutable int reused_ = 0, built_ = 0;
};

}  // namespace citytwin::coupling
