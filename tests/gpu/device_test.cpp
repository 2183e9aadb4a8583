#include <gtest/gtest.h>

#include "core/common/errors.hpp"
#include "gpu/backend.hpp"

using namespace citytwin;

TEST(GpuDevice, ReportsAvailabilityWithAReason) {
  const auto& d = gpu::device();
  if (d.available) {
    EXPECT_TRUE(d.compiled);
    EXPECT_FALSE(d.name.empty());
    EXPECT_GT(d.memory_bytes, 0u);
    std::printf("GPU: %s (sm_%d%d)\n", d.name.c_str(), d.compute_major, d.compute_minor);
  } else {
    EXPECT_FALSE(d.reason.empty());
    EXPECT_NE(gpu::cpu_fallback_notice().find("using CPU"), std::string::npos);
    std::printf("%s\n", gpu::cpu_fallback_notice().c_str());
  }
}

TEST(GpuDevice, EntryPointsThrowBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  PolygonColumn none;
  const std::vector<double> x{0}, y{0};
  EXPECT_THROW(gpu::locate_points(none, x, y), BackendUnavailable);
}
