#pragma once
// The seed of a test's random generator: the test's own default unless the
// environment variable CITYTWIN_TEST_SEED overrides it, so that a failing case
// can be replayed (print seed_note(seed) with SCOPED_TRACE). No GoogleTest
// here: benchmarks use the seeded generators too.
#include <cstdint>
#include <cstdlib>
#include <string>

namespace citytwin::testing {

inline std::uint64_t test_seed(std::uint64_t fallback) {
  const char* s = std::getenv("CITYTWIN_TEST_SEED");
  return s ? std::strtoull(s, nullptr, 10) : fallback;
}

inline std::string seed_note(std::uint64_t seed) {
  return "seed " + std::to_string(seed) + " (set CITYTWIN_TEST_SEED to replay)";
}

}  // namespace citytwin::testing
