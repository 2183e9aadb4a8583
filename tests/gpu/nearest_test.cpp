// Nearest-neighbour join: the host version against brute force, the GPU against the host version.
#include <gtest/gtest.h>

#include <random>

#include "core/common/errors.hpp"
#include "gpu/backend.hpp"
#include "gpu/kernels_host.hpp"
#include "gpu/kernels/nearest_grid.hpp"
#include "tests/support/synthetic_roads.hpp"

using namespace citytwin;

namespace {

struct Points {
  std::vector<double> x, y;
};

// Half uniform over 10 km, half in tight clusters, a few exact duplicates (ties).
Points reference_points(std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> pos(0, 10000), jitter(-20, 20);
  Points p;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 2 == 0 || p.x.empty()) {
      p.x.push_back(pos(rng)), p.y.push_back(pos(rng));
    } else if (i % 97 == 1) {
      p.x.push_back(p.x[i / 2]), p.y.push_back(p.y[i / 2]);
    } else {
      p.x.push_back(p.x[i % 50] + jitter(rng)), p.y.push_back(p.y[i % 50] + jitter(rng));
    }
  }
  return p;
}

// Queries over a larger box than the references, so some fall outside the grid.
Points query_points(std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> pos(-3000, 13000);
  Points q;
  for (std::size_t i = 0; i < n; ++i) q.x.push_back(pos(rng)), q.y.push_back(pos(rng));
  return q;
}

std::int32_t brute_force(const Points& r, double qx, double qy) {
  std::int32_t best = -1;
  double best_d = 0;
  for (std::size_t i = 0; i < r.x.size(); ++i) {
    const double d = gpu::squared_distance(r.x[i], r.y[i], qx, qy);
    if (best < 0 || d < best_d) best = static_cast<std::int32_t>(i), best_d = d;
  }
  return best;
}

}  // namespace

TEST(NearestHost, MatchesBruteForce) {
  const std::uint64_t seed = synth::test_seed(21);
  std::mt19937_64 rng(seed);
  const Points r = reference_points(3000, rng);
  Points q = query_points(5000, rng);
  // Queries exactly on reference points (distance 0, duplicates tie by index).
  for (std::size_t i = 0; i < r.x.size(); i += 7) q.x.push_back(r.x[i]), q.y.push_back(r.y[i]);
  const auto got = gpu::cpu::nearest_points(r.x, r.y, q.x, q.y);
  ASSERT_EQ(got.size(), q.x.size());
  for (std::size_t i = 0; i < q.x.size(); ++i)
    ASSERT_EQ(got[i], brute_force(r, q.x[i], q.y[i])) << "query " << i << " (" << q.x[i] << ", " << q.y[i] << ") seed " << seed;
}

TEST(NearestHost, DegenerateReferenceSets) {
  const std::vector<double> none;
  const std::vector<double> qx{1, 2}, qy{3, 4};
  EXPECT_EQ(gpu::cpu::nearest_points(none, none, qx, qy), (std::vector<std::int32_t>{-1, -1}));
  const std::vector<double> one_x{5}, one_y{5};
  EXPECT_EQ(gpu::cpu::nearest_points(one_x, one_y, qx, qy), (std::vector<std::int32_t>{0, 0}));
  // All references on one vertical line: a one-column grid.
  std::vector<double> lx, ly;
  for (int i = 0; i < 100; ++i) lx.push_back(7), ly.push_back(i * 10.0);
  const std::vector<double> px{-100, 7, 50}, py{-40, 333, 2000};
  EXPECT_EQ(gpu::cpu::nearest_points(lx, ly, px, py), (std::vector<std::int32_t>{0, 33, 99}));
}

TEST(NearestHost, RejectsNonFiniteReferences) {
  const std::vector<double> x{0, std::numeric_limits<double>::quiet_NaN()}, y{0, 1}, q{0};
  try {
    gpu::cpu::nearest_points(x, y, q, q);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("reference point 1"), std::string::npos) << e.what();
  }
}

TEST(GpuNearest, EqualsTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  const std::uint64_t seed = synth::test_seed(22);
  std::mt19937_64 rng(seed);
  const Points r = reference_points(200000, rng);
  const Points q = query_points(1000000, rng);
  // Same body, no fused multiply-add on the device: identical indices.
  EXPECT_EQ(gpu::nearest_points(r.x, r.y, q.x, q.y), gpu::cpu::nearest_points(r.x, r.y, q.x, q.y));
}

TEST(GpuNearest, ThrowsBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  const std::vector<double> x{0}, y{0};
  EXPECT_THROW(gpu::nearest_points(x, y, x, y), BackendUnavailable);
}
