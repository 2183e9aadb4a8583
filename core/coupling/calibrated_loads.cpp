#include "core/coupling/calibrated_loads.hpp"

namespace citytwin::coupling {

namespace {
constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;
}

BusLoads calibrated_bus_loads(const Twin& twin, const std::vector<double>& base_p, const std::vector<double>& base_q,
                              const std::vector<double>& zone_ev, const std::vector<double>& station_mw, double signal_kw) {
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  const TwinCalibration& c = twin.calibration;
  const std::size_t Z = base_p.size();
  if (!c.has_loads()) {
    std::vector<double> p(Z);
    for (std::size_t z = 0; z < Z; ++z) p[z] = base_p[z] + zone_ev[z];
    BusLoads L = zone_loads_on_buses(twin, p, base_q, signal_kw);
    for (std::size_t s = 0; s < station_mw.size() && s < x.charger_bus.size(); ++s)
      if (x.charger_bus[s] != kNoMatch) L.p[x.charger_bus[s]] += station_mw[s];
    return L;
  }
  BusLoads base = zone_loads_on_buses(twin, base_p, base_q, 0.0);
  const BusLoads ev = zone_loads_on_buses(twin, zone_ev, std::vector<double>(Z, 0.0), 0.0);
  const BusLoads signals = zone_loads_on_buses(twin, {}, {}, signal_kw);
  std::vector<double> ev_p = ev.p;
  for (std::size_t s = 0; s < station_mw.size() && s < x.charger_bus.size(); ++s)
    if (x.charger_bus[s] != kNoMatch) ev_p[x.charger_bus[s]] += station_mw[s];
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t k = g.bus_substation[b];
    const double a = k >= 0 ? c.substation_load_factor[static_cast<std::size_t>(k)] : 1.0;
    const double e = k >= 0 ? c.substation_ev_factor[static_cast<std::size_t>(k)] : 1.0;
    base.p[b] = a * base.p[b] + e * ev_p[b] + signals.p[b];
    base.q[b] *= a;
  }
  return base;
}

DistrictFactors district_load_factors(const Twin& twin) {
  const std::size_t nd = twin.districts.size();
  DistrictFactors f{std::vector<double>(nd, 1.0), std::vector<double>(nd, 1.0)};
  const TwinCalibration& c = twin.calibration;
  if (!c.has_loads()) return f;
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  for (std::size_t z = 0; z < nd && z + 1 < x.district_sub_offsets.size(); ++z) {
    double a = 0, e = 0, w = 0;
    for (auto i = x.district_sub_offsets[z]; i < x.district_sub_offsets[z + 1]; ++i) {
      const std::int32_t k = g.bus_substation[g.substation_bus[x.district_sub[i]]];
      const double s = x.district_sub_share[i];
      a += s * (k >= 0 ? c.substation_load_factor[static_cast<std::size_t>(k)] : 1.0);
      e += s * (k >= 0 ? c.substation_ev_factor[static_cast<std::size_t>(k)] : 1.0);
      w += s;
    }
    if (w > 0) f.load[z] = a / w, f.ev[z] = e / w;
  }
  return f;
}

}  // namespace citytwin::coupling
