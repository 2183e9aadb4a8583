#include "core/coupling/charging_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace citytwin::coupling {

namespace {
constexpr int H = demand::kHours;
constexpr int kMaxSweeps = 200;

std::vector<int> window_of(const ChargingSession& s) {
  std::vector<int> hours;
  for (int k = 0; k < s.window_hours(); ++k) hours.push_back((s.arrival_hour + k) % H);
  return hours;
}

// An uncontrolled car: full charger power from arrival until done.
HourArray as_fast_as_possible(const ChargingSession& s) {
  HourArray x{};
  double left = s.energy_mwh;
  for (int k = 0; k < H && left > 0; ++k) {
    const double e = std::min(left, s.max_mw);
    x[(s.arrival_hour + k) % H] += e;
    left -= e;
  }
  // Only when a session needs more than a day at its charger power (absurd
  // parameters): the rest is spread over the day, above charger power.
  if (left > 0)
    for (double& v : x) v += left / H;
  return x;
}
}  // namespace

int ChargingSession::window_hours() const {
  const int w = ((departure_hour - arrival_hour) % H + H) % H;
  return w == 0 ? H : w;
}

HourArray water_fill(const std::vector<int>& hours, const HourArray& load, const HourArray& cap, double energy) {
  HourArray x{};
  if (energy <= 0 || hours.empty()) return x;
  // g(level) = sum clamp(level - load, 0, cap) is piecewise linear between these points.
  std::vector<double> points;
  for (int h : hours) points.push_back(load[h]), points.push_back(load[h] + cap[h]);
  std::sort(points.begin(), points.end());
  auto g = [&](double level) {
    double sum = 0;
    for (int h : hours) sum += std::clamp(level - load[h], 0.0, cap[h]);
    return sum;
  };
  double level = points.back();
  double lo = points.front(), g_lo = 0;
  for (double p : points) {
    const double g_p = g(p);
    if (g_p >= energy) {
      level = g_p > g_lo ? lo + (energy - g_lo) * (p - lo) / (g_p - g_lo) : p;
      break;
    }
    lo = p, g_lo = g_p;
  }
  for (int h : hours) x[h] = std::clamp(level - load[h], 0.0, cap[h]);
  return x;
}

ChargingSchedule schedule_sessions(const std::vector<ChargingSession>& sessions, const std::vector<SubstationRoom>& subs) {
  const std::size_t n = sessions.size(), K = subs.size();
  ChargingSchedule out;
  out.session_mw.assign(n, HourArray{});
  out.late.assign(n, 0);
  out.over_headroom.assign(n, 0);
  out.over_headroom_mwh.assign(K, 0.0);
  out.over_headroom_hours.assign(K, 0);
  std::vector<HourArray> ev(K, HourArray{});  // scheduled EV load per substation

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& A = sessions[a];
    const auto& B = sessions[b];
    return A.window_hours() != B.window_hours() ? A.window_hours() < B.window_hours() : A.arrival_hour < B.arrival_hour;
  });
  std::vector<std::vector<int>> windows(n);
  for (std::size_t i = 0; i < n; ++i) windows[i] = window_of(sessions[i]);

  // Session i against everything else on its substation (its own load removed from ev).
  auto place = [&](std::size_t i) {
    const ChargingSession& s = sessions[i];
    const SubstationRoom& sub = subs[s.substation];
    HourArray& others = ev[s.substation];
    HourArray load{}, cap{}, charger{};
    double within = 0;
    for (int h : windows[i]) {
      load[h] = sub.fixed_mw[h] + others[h];
      charger[h] = s.max_mw;
      cap[h] = std::min(s.max_mw, std::max(0.0, sub.room_mw[h] - others[h]));
      within += cap[h];
    }
    out.over_headroom[i] = within < s.energy_mwh * (1 - 1e-12);
    return water_fill(windows[i], load, out.over_headroom[i] ? charger : cap, s.energy_mwh);
  };
  auto add = [&](std::size_t i, double sign) {
    for (int h = 0; h < H; ++h) ev[sessions[i].substation][h] += sign * out.session_mw[i][h];
  };

  for (std::size_t i : order) {
    const ChargingSession& s = sessions[i];
    out.late[i] = s.window_hours() * s.max_mw < s.energy_mwh * (1 - 1e-12);
    out.session_mw[i] = out.late[i] ? as_fast_as_possible(s) : place(i);
    add(i, +1);
  }
  // Re-place each session against the others until the substations' loads stop moving.
  for (out.sweeps = 1; out.sweeps <= kMaxSweeps && n > 0; ++out.sweeps) {
    const std::vector<HourArray> before = ev;
    for (std::size_t i : order) {
      if (out.late[i]) continue;
      add(i, -1);
      out.session_mw[i] = place(i);
      add(i, +1);
    }
    double moved = 0, scale = 1;
    for (std::size_t k = 0; k < K; ++k)
      for (int h = 0; h < H; ++h) moved = std::max(moved, std::abs(ev[k][h] - before[k][h])), scale = std::max(scale, ev[k][h]);
    if (moved <= 1e-9 * scale) break;
  }
  out.sweeps = std::min(out.sweeps, kMaxSweeps);
  for (std::size_t k = 0; k < K; ++k)
    for (int h = 0; h < H; ++h) {
      const double excess = ev[k][h] - std::max(0.0, subs[k].room_mw[h]);
      if (excess > 1e-9) out.over_headroom_mwh[k] += excess, ++out.over_headroom_hours[k];
    }
  return out;
}

}  // namespace citytwin::coupling
