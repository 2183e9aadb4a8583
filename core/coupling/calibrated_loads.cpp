#include "core/coupling/calibrated_loads.hpp"

namespace citytwin::coupling {

namespace {
constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;
}

BusLoads calibrated_bus_loads(const Twin& twin, const ZoneBaseLoads& base, const std::vector<double>& zone_ev,
                              const std::vector<double>& station_mw, double signal_kw) {
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  const TwinCalibration& c = twin.calibration;
  const std::size_t Z = base.p.size();
  if (!c.has_loads()) {
    std::vector<double> p(Z);
    for (std::size_t z = 0; z < Z; ++z) p[z] = base.p[z] + zone_ev[z];
    BusLoads L = zone_loads_on_buses(twin, p, base.q, signal_kw);
    for (std::size_t s = 0; s < station_mw.size() && s < x.charger_bus.size(); ++s)
      if (x.charger_bus[s] != kNoMatch) L.p[x.charger_bus[s]] += station_mw[s];
    return L;
  }
  std::vector<double> com_p(Z), com_q(Z);
  for (std::size_t z = 0; z < Z; ++z) com_p[z] = base.p[z] - base.residential_p[z], com_q[z] = base.q[z] - base.residential_q[z];
  const BusLoads res = zone_loads_on_buses(twin, base.residential_p, base.residential_q, 0.0);
  const BusLoads com = zone_loads_on_buses(twin, com_p, com_q, 0.0);
  const BusLoads ev = zone_loads_on_buses(twin, zone_ev, std::vector<double>(Z, 0.0), 0.0);
  BusLoads L = zone_loads_on_buses(twin, {}, {}, signal_kw);  // the signals
  std::vector<double> ev_p = ev.p;
  for (std::size_t s = 0; s < station_mw.size() && s < x.charger_bus.size(); ++s)
    if (x.charger_bus[s] != kNoMatch) ev_p[x.charger_bus[s]] += station_mw[s];
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t k = g.bus_substation[b];
    const auto kk = static_cast<std::size_t>(k);
    const double fr = k >= 0 ? c.substation_residential_factor[kk] : 1.0, fc = k >= 0 ? c.substation_commercial_factor[kk] : 1.0,
                 fe = k >= 0 ? c.substation_ev_factor[kk] : 1.0;
    L.p[b] += fr * res.p[b] + fc * com.p[b] + fe * ev_p[b];
    L.q[b] += fr * res.q[b] + fc * com.q[b];
  }
  return L;
}

DistrictFactors district_load_factors(const Twin& twin) {
  const std::size_t nd = twin.districts.size();
  DistrictFactors f{std::vector<double>(nd, 1.0), std::vector<double>(nd, 1.0), std::vector<double>(nd, 1.0)};
  const TwinCalibration& c = twin.calibration;
  if (!c.has_loads()) return f;
  const PowerGrid& g = twin.grid;
  const CrossLinks& x = twin.links;
  for (std::size_t z = 0; z < nd && z + 1 < x.district_sub_offsets.size(); ++z) {
    double r = 0, m = 0, e = 0, w = 0;
    for (auto i = x.district_sub_offsets[z]; i < x.district_sub_offsets[z + 1]; ++i) {
      const std::int32_t k = g.bus_substation[g.substation_bus[x.district_sub[i]]];
      const auto kk = static_cast<std::size_t>(k);
      const double s = x.district_sub_share[i];
      r += s * (k >= 0 ? c.substation_residential_factor[kk] : 1.0);
      m += s * (k >= 0 ? c.substation_commercial_factor[kk] : 1.0);
      e += s * (k >= 0 ? c.substation_ev_factor[kk] : 1.0);
      w += s;
    }
    if (w > 0) f.residential[z] = r / w, f.commercial[z] = m / w, f.ev[z] = e / w;
  }
  return f;
}

}  // namespace citytwin::coupling
