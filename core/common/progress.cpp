#include "core/common/progress.hpp"

#include <algorithm>
#include <utility>

namespace citytwin {

std::optional<double> eta_seconds(double elapsed_s, std::int64_t done, std::int64_t total) {
  if (done <= 0 || total <= 0) return std::nullopt;
  if (done >= total) return 0.0;
  return elapsed_s / static_cast<double>(done) * static_cast<double>(total - done);
}

ProgressEvent ProgressClock::event(std::string stage, int hour, int round, std::int64_t done, std::int64_t total,
                                   Clock::time_point now) const {
  ProgressEvent e;
  e.stage = std::move(stage);
  e.hour = hour;
  e.round = round;
  e.done = std::clamp<std::int64_t>(done, 0, std::max<std::int64_t>(total, 0));
  e.total = total;
  e.elapsed_s = std::max(0.0, std::chrono::duration<double>(now - start_).count());
  e.eta_s = eta_seconds(e.elapsed_s, e.done, e.total);
  return e;
}

}  // namespace citytwin
