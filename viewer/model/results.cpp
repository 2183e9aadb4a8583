#include "viewer/model/results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/model/twin.hpp"

namespace citytwin::viewer {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The value as the viewer stores it (float, like the run's per-element results).
template <class V>
double at(const std::vector<V>& v, std::size_t i, double scale = 1.0) {
  return i < v.size() ? double(float(double(v[i]) * scale)) : kNaN;
}
}  // namespace

Results::Results(coupling::SimulationResult sim, std::string label_) : label(std::move(label_)), sim_(std::move(sim)) {
  index_.fill(-1);
  for (std::size_t k = 0; k < sim_.hours.size(); ++k) {
    const int h = sim_.hours[k].totals.hour;
    if (h >= 0 && h < kHours) index_[std::size_t(h)] = int(k);
  }
}

const coupling::HourResult* Results::hour(int h) const {
  if (h < 0 || h >= kHours || index_[std::size_t(h)] < 0) return nullptr;
  return &sim_.hours[std::size_t(index_[std::size_t(h)])];
}

bool has_values_at(const Results& r, int h) { return r.hour(h) != nullptr; }

int first_hour_with_values(const Results& r) {
  for (int h = 0; h < kHours; ++h)
    if (has_values_at(r, h)) return h;
  return -1;
}

double quantity_value(Quantity q, const Twin& twin, const coupling::HourResult& hr, std::size_t i) {
  switch (q) {
    case Quantity::LinkFlow: return at(hr.link_flow, i);
    case Quantity::LinkSpeed: return at(hr.link_speed_kph, i);
    case Quantity::LinkVc: return at(hr.link_vc, i);
    case Quantity::LinkDelay: {
      // NaN free-flow time: a results file without it
      if (i >= hr.link_time_s.size() || i >= twin.roads.free_flow_s.size() || !std::isfinite(twin.roads.free_flow_s[i]))
        return kNaN;
      return double(float(std::max(0.0, double(hr.link_time_s[i]) - twin.roads.free_flow_s[i])));
    }
    case Quantity::BusUtilisation: {
      const auto& g = twin.grid;
      const std::int32_t sub = i < g.bus_substation.size() ? g.bus_substation[i] : -1;
      return sub >= 0 ? at(hr.substation_utilisation, std::size_t(sub), 100.0) : kNaN;
    }
    case Quantity::BusEnergised: return at(hr.bus_energised, i);
    case Quantity::BranchLoading: return at(hr.branch_loading_pct, i);
    case Quantity::SubstationLoading: return at(hr.substation_utilisation, i, 100.0);
    case Quantity::DistrictVehicleKm: return at(hr.district_vkt, i);
    case Quantity::DistrictEvEnergy: return at(hr.district_ev_mwh, i, 1000.0);
    case Quantity::DistrictUnserved: return at(hr.district_unserved_mwh, i, 1000.0);
  }
  return kNaN;
}

std::vector<double> quantity_values(Quantity q, const Twin& twin, const Results& r, int h, std::size_t n) {
  std::vector<double> out(n, kNaN);
  const coupling::HourResult* hr = r.hour(h);
  if (!hr) return out;
  // one pass over the hour's vector where the value is a plain copy (an hour
  // change on a city of a million links re-evaluates every link)
  auto copy = [&](const auto& v, double scale) {
    for (std::size_t i = 0, end = std::min(n, v.size()); i < end; ++i) out[i] = double(float(double(v[i]) * scale));
  };
  switch (q) {
    case Quantity::LinkFlow: copy(hr->link_flow, 1.0); break;
    case Quantity::LinkSpeed: copy(hr->link_speed_kph, 1.0); break;
    case Quantity::LinkVc: copy(hr->link_vc, 1.0); break;
    case Quantity::BranchLoading: copy(hr->branch_loading_pct, 1.0); break;
    case Quantity::SubstationLoading: copy(hr->substation_utilisation, 100.0); break;
    default:
      for (std::size_t i = 0; i < n; ++i) out[i] = quantity_value(q, twin, *hr, i);
  }
  return out;
}

std::vector<float> kpi_series(const Results& r, Kpi k) {
  std::vector<float> out(kHours, std::numeric_limits<float>::quiet_NaN());
  for (int h = 0; h < kHours; ++h) {
    const coupling::HourResult* hr = r.hour(h);
    if (!hr) continue;
    const auto& t = hr->totals;
    double v = 0;
    switch (k) {
      case Kpi::VehicleHours: v = t.vehicle_hours; break;
      case Kpi::DelayHours: v = t.delay_hours; break;
      case Kpi::LoadMw: v = t.load_mw; break;
      case Kpi::OverloadedAssets:
        v = t.overloaded_branches + double(std::count_if(hr->substation_utilisation.begin(),
                                                         hr->substation_utilisation.end(), [](float u) { return u > 1.0f; }));
        break;
      case Kpi::DarkSignals: v = t.dark_signals; break;
      case Kpi::UnservedMwh: v = t.unserved_energy_mwh; break;
    }
    out[std::size_t(h)] = float(v);
  }
  return out;
}

}  // namespace citytwin::viewer
