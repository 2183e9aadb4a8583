// The ETA of a progress event (core/common/progress.hpp): by hand, with the clock injected.
#include "core/common/progress.hpp"

#include <gtest/gtest.h>

using namespace citytwin;
using namespace std::chrono_literals;

TEST(Progress, EtaIsTheMeanStepTimeTimesTheStepsLeft) {
  EXPECT_FALSE(eta_seconds(10, 0, 24).has_value());  // nothing done yet: unknown
  EXPECT_DOUBLE_EQ(*eta_seconds(10, 2, 24), 110.0);  // 5 s a step, 22 left
  EXPECT_DOUBLE_EQ(*eta_seconds(10, 24, 24), 0.0);
  EXPECT_FALSE(eta_seconds(10, 3, 0).has_value());
}

TEST(Progress, ClockGivesElapsedAndEtaOfTheEvent) {
  const auto t0 = ProgressClock::Clock::time_point{} + 100s;
  const ProgressClock clock(t0);
  const ProgressEvent e = clock.event("run", 8, 2, 3, 12, t0 + 30s);
  EXPECT_EQ(e.stage, "run");
  EXPECT_EQ(e.hour, 8);
  EXPECT_EQ(e.round, 2);
  EXPECT_EQ(e.done, 3);
  EXPECT_EQ(e.total, 12);
  EXPECT_DOUBLE_EQ(e.elapsed_s, 30.0);
  ASSERT_TRUE(e.eta_s.has_value());
  EXPECT_DOUBLE_EQ(*e.eta_s, 90.0);  // 10 s an hour, 9 hours left
  // done is kept within 0..total, so a caller's overcount cannot print done > total
  EXPECT_EQ(clock.event("run", 8, 1, 13, 12, t0 + 1s).done, 12);
  EXPECT_EQ(clock.event("run", 8, 1, -1, 12, t0 + 1s).done, 0);
}
