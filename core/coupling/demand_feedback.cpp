#include "core/coupling/demand_feedback.hpp"

#include <cmath>
#include <limits>

namespace citytwin::coupling {
namespace {

double total(const std::vector<double>& v) {
  double t = 0;
  for (double x : v) t += x;
  return t;
}

// The hour in [from, to) with the most vehicles.
int busiest_hour(const DailyDemand& d, const Scenario& s, int from, int to) {
  int best = from;
  double most = -1;
  for (int h = from; h < to; ++h)
    if (const double v = total(d.vehicles(h, s)); v > most) most = v, best = h;
  return best;
}

}  // namespace

std::vector<FeedbackLoop> feed_back_congestion(DailyDemand& d, const Scenario& s, const RoadModel& roads, std::size_t link_count) {
  std::vector<FeedbackLoop> trace;
  if (s.given_od || s.demand.feedback_loops <= 0) return trace;
  const double inf = std::numeric_limits<double>::infinity();
  for (int k = 1; k <= s.demand.feedback_loops; ++k) {
    FeedbackLoop loop;
    loop.loop = k;
    loop.am_hour = busiest_hour(d, s, 0, 12);
    loop.pm_hour = busiest_hour(d, s, 12, demand::kHours);
    std::vector<double> skim, weight_sum;
    for (const int h : {loop.am_hour, loop.pm_hour}) {
      const std::vector<double> od = d.vehicles(h, s);
      const std::vector<double> kappa = capacity_factors(s, h, link_count);
      const RoadHour r = roads.assign(od, kappa, {}, s.coupling);
      for (std::size_t l = 0; l < r.flow.size(); ++l) loop.peak_vehicle_hours += r.flow[l] * r.time_s[l] / 3600.0;
      const std::vector<double> hs = roads.skim(r.time_s, kappa);
      const double w = total(od);
      if (skim.empty()) skim.assign(hs.size(), 0.0), weight_sum.assign(hs.size(), 0.0);
      // A pair cut off in one peak (a closure) takes the other peak's time.
      for (std::size_t c = 0; c < hs.size(); ++c)
        if (hs[c] < inf) skim[c] += w * hs[c], weight_sum[c] += w;
    }
    for (std::size_t c = 0; c < skim.size(); ++c) skim[c] = weight_sum[c] > 0 ? skim[c] / weight_sum[c] : inf;
    const auto previous = d.person_trips;
    distribute(d, skim, s);
    double sq = 0, sum = 0;
    std::size_t cells = 0;
    for (int p = 0; p < demand::kPurposes; ++p) {
      auto& t = d.person_trips[p];
      for (std::size_t c = 0; c < t.size(); ++c) {
        t[c] = previous[p][c] + (t[c] - previous[p][c]) / (k + 1.0);
        sq += (t[c] - previous[p][c]) * (t[c] - previous[p][c]);
        sum += previous[p][c];
        ++cells;
      }
    }
    loop.change_pct = sum > 0 ? 100.0 * std::sqrt(sq / static_cast<double>(cells)) / (sum / static_cast<double>(cells)) : 0.0;
    trace.push_back(loop);
  }
  return trace;
}

}  // namespace citytwin::coupling
