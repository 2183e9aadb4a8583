// The memory model of generated cities (datasets/city_memory.hpp) against the
// figures it was calibrated on, and the refusal with an injected amount of memory.
#include "datasets/city_memory.hpp"

#include <gtest/gtest.h>

using namespace citytwin::datasets;

namespace {
CityMemoryEstimate estimate(std::size_t links) {
  SyntheticOptions o;
  o.target_links = links;
  o.seed = 5;
  return estimate_city_memory(o);
}
}  // namespace

TEST(CityMemory, SizesAreTheGeneratorsOwn) {
  // generate --links 100000 / 300000 --seed 5 made 484 / 1,444 districts and 103,573 / 318,179 links (issue 16).
  EXPECT_EQ(estimate(100000).zones, 484u);
  EXPECT_EQ(estimate(300000).zones, 1444u);
  EXPECT_NEAR(static_cast<double>(estimate(100000).links), 103573, 0.03 * 103573);
  EXPECT_NEAR(static_cast<double>(estimate(300000).links), 318179, 0.03 * 318179);
  // and the generated city itself has that many districts
  SyntheticOptions o;
  o.target_links = 3000;
  EXPECT_EQ(generate_synthetic_city(o).districts.size(), synthetic_district_count(o));
}

TEST(CityMemory, ModelMatchesTheMeasuredRuns) {
  // With compact bushes (benchmarks/RESULTS.md, "Algorithm B memory"): the 20k city's
  // 24-hour run peaked at 81.6 MiB, the 100k city's coupled hours 7-8 at 377 MiB.
  EXPECT_NEAR(static_cast<double>(estimate(20000).run_bytes), 81.6 * 1048576, 0.15 * 81.6 * 1048576);
  EXPECT_NEAR(static_cast<double>(estimate(100000).run_bytes), 377.0 * 1048576, 0.15 * 377.0 * 1048576);
  EXPECT_LT(estimate(100000).generate_bytes, estimate(100000).run_bytes);
}

TEST(CityMemory, RefusesWhatDoesNotFitAndAcceptsWhatDoes) {
  const std::uint64_t available = std::uint64_t{2} << 30;  // 2 GiB, injected
  const auto small = estimate(20000), large = estimate(300000);
  EXPECT_FALSE(memory_shortfall(small, available).has_value());
  const auto why = memory_shortfall(large, available);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("2.0 GiB is available"), std::string::npos) << *why;
  EXPECT_NE(why->find("1444 zones"), std::string::npos) << *why;
  EXPECT_NE(why->find("--skip-memory-check"), std::string::npos) << *why;
  // exactly at the estimate it fits; a byte less, not
  EXPECT_FALSE(memory_shortfall(large, large.run_bytes).has_value());
  EXPECT_TRUE(memory_shortfall(large, large.run_bytes - 1).has_value());
  // nothing known about the memory: no refusal
  EXPECT_FALSE(memory_shortfall(large, std::nullopt).has_value());
}
