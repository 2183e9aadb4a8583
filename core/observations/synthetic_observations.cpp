#include "core/observations/synthetic_observations.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include "core/common/errors.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::observations {

namespace {
// Portable draws (std::*_distribution differ between standard libraries).
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : rng_(seed) {}
  double uniform() { return (static_cast<double>(rng_() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform())), a = 2.0 * std::numbers::pi * uniform();
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

 private:
  std::mt19937_64 rng_;
  double spare_ = 0;
  bool has_spare_ = false;
};
}  // namespace

SyntheticObservations synthesize_observations(const Twin& twin, const coupling::SimulationResult& run,
                                              const SyntheticObservationOptions& o) {
  if (!(o.sample_share > 0 && o.sample_share <= 1)) throw InvalidInput("sample share must be in (0, 1]");
  if (!(o.noise >= 0 && o.noise < 1)) throw InvalidInput("noise must be in [0, 1)");
  if (o.days < 1) throw InvalidInput("days must be at least 1");
  if (run.hours.empty()) throw InvalidInput("the run has no hours to sample");
  const RoadNetwork& roads = twin.roads;
  Draws draws(o.seed);

  SyntheticObservations out;
  std::vector<std::uint32_t> eligible;
  for (std::uint32_t l = 0; l < roads.link_count(); ++l)
    if (roads.road_class[l] != RoadClass::Connector && roads.geometry.points(l) >= 2) eligible.push_back(l);
  const auto take = static_cast<std::size_t>(std::llround(o.sample_share * static_cast<double>(eligible.size())));
  for (std::size_t i = 0; i < take; ++i)  // partial Fisher-Yates
    std::swap(eligible[i], eligible[i + draws.below(eligible.size() - i)]);
  out.counted_links.assign(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(take));
  std::sort(out.counted_links.begin(), out.counted_links.end());

  std::vector<std::string> name(out.counted_links.size(), "L");  // appended below: GCC 12 warns falsely (-Wrestrict) on "L" + to_string
  for (std::size_t s = 0; s < name.size(); ++s) name[s] += std::to_string(out.counted_links[s]);
  std::vector<Point2> where(out.counted_links.size());
  std::vector<double> bearing(out.counted_links.size());
  for (std::size_t s = 0; s < out.counted_links.size(); ++s) {
    const auto l = out.counted_links[s];
    where[s] = roads.geometry.midpoint(l);
    bearing[s] = polyline_bearing_at(roads.geometry, l, where[s]);
  }
  std::vector<std::int64_t> dates;
  for (std::int64_t d = o.first_day.day_number(); static_cast<int>(dates.size()) < o.days; ++d)
    if (local_hour_from_day_number(d, 0).day_type() == DayType::Weekday) dates.push_back(d);

  std::int64_t row = 0;
  for (const std::int64_t date : dates) {
    for (const auto& hour : run.hours) {
      const LocalHour t = local_hour_from_day_number(date, hour.totals.hour);
      for (std::size_t s = 0; s < out.counted_links.size(); ++s) {
        const double flow = hour.link_flow[out.counted_links[s]];
        const double v = std::max(0.0, std::round(flow * (1.0 + o.noise * draws.normal())));
        out.counts.push_back({name[s], where[s], bearing[s], t, v, "", std::nullopt, ++row});
      }
      const auto p = substation_p_mw(twin.grid, hour);
      for (std::uint32_t k = 0; k < p.size(); ++k) out.loads.push_back({k, t, p[k] * (1.0 + o.noise * draws.normal()), std::nullopt, ++row});
    }
  }
  return out;
}

}  // namespace citytwin::observations
