// Reading the memory available (core/common/available_memory.hpp) from injected
// /proc/meminfo and cgroup text, and from this machine.
#include "core/common/available_memory.hpp"

#include <gtest/gtest.h>

using namespace citytwin;

TEST(AvailableMemory, MemAvailableInKibibytes) {
  const char* meminfo =
      "MemTotal:       24558236 kB\n"
      "MemFree:         1204880 kB\n"
      "MemAvailable:   20971520 kB\n"
      "Buffers:          300000 kB\n";
  EXPECT_EQ(parse_meminfo_available(meminfo), std::uint64_t{20971520} * 1024);
  EXPECT_FALSE(parse_meminfo_available("MemTotal: 1 kB\n").has_value());  // kernels before 3.14
  EXPECT_FALSE(parse_meminfo_available("MemAvailable: lots\n").has_value());
}

TEST(AvailableMemory, CgroupHeadroomIsLimitMinusUsage) {
  EXPECT_EQ(parse_cgroup_headroom("8589934592\n", "2147483648\n"), std::uint64_t{6} << 30);
  EXPECT_EQ(parse_cgroup_headroom("1000\n", "5000\n"), 0u);  // over its limit: nothing left
  EXPECT_FALSE(parse_cgroup_headroom("max\n", "123\n").has_value());                      // v2, no limit
  EXPECT_FALSE(parse_cgroup_headroom("9223372036854771712\n", "123\n").has_value());      // v1, no limit
}

TEST(AvailableMemory, ThisMachineHasSome) {
  const auto bytes = available_memory_bytes();
  ASSERT_TRUE(bytes.has_value());  // Linux, /proc mounted
  EXPECT_GT(*bytes, std::uint64_t{16} << 20);
}
