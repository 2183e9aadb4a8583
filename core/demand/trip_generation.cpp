#include "core/demand/trip_generation.hpp"

#include <numeric>

#include "core/common/errors.hpp"

namespace citytwin::demand {

TripEnds generate_trips(const ZoneData& z, const DemandParameters& prm) {
  const std::size_t n = z.households.size();
  if (z.jobs_retail.size() != n || z.jobs_service.size() != n || z.jobs_other.size() != n)
    throw InvalidInput("zone data columns differ in length");
  const TripRates& r = prm.rates;
  TripEnds t;
  for (int p = 0; p < kPurposes; ++p) {
    t.productions[p].resize(n);
    t.attractions[p].resize(n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double hh = z.households[i], er = z.jobs_retail[i], es = z.jobs_service[i], eo = z.jobs_other[i];
    for (int p = 0; p < kPurposes; ++p) t.productions[p][i] = r.per_household[p] * hh * prm.demand_scale;
    t.attractions[HBW][i] = r.hbw_per_job * (er + es + eo);
    t.attractions[HBNW][i] = r.hbnw_retail * er + r.hbnw_service * es + r.hbnw_other * eo + r.hbnw_household * hh;
    t.attractions[NHB][i] = r.nhb_retail * er + r.nhb_service * es + r.nhb_other * eo + r.nhb_household * hh;
  }
  // Balance: attractions scaled to the productions' total, per purpose.
  for (int p = 0; p < kPurposes; ++p) {
    const double sp = std::accumulate(t.productions[p].begin(), t.productions[p].end(), 0.0);
    const double sa = std::accumulate(t.attractions[p].begin(), t.attractions[p].end(), 0.0);
    const double k = sa > 0 ? sp / sa : 0.0;
    for (double& a : t.attractions[p]) a *= k;
  }
  return t;
}

}  // namespace citytwin::demand
