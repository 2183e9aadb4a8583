// libFuzzer target: a .twin snapshot whose checksum is right. The input is the
// payload; the target writes the header read_snapshot expects (magic, format
// version, byte order, payload size, FNV-1a 64 of the payload; layout in
// core/model/snapshot.hpp) in front of it, so every input gets past the
// checksum, as a crafted file does: the checksum is no defence (issue 18).
// The twin is then used as `citytwin run` uses it, for one hour (08:00).
// If the snapshot layout changes, change make_snapshot() with it.
#include <array>
#include <cstring>
#include <string>

#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

namespace {

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string make_snapshot(std::string_view payload) {
  std::string file = "CITYTWIN";
  const auto put = [&file](const auto& value) {
    std::array<char, sizeof value> raw;
    std::memcpy(raw.data(), &value, sizeof value);
    file.append(raw.data(), raw.size());
  };
  put(kSnapshotVersion);
  put(std::uint32_t{0x01020304});
  put(static_cast<std::uint64_t>(payload.size()));
  put(fnv1a64(payload));
  file.append(payload);
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(make_snapshot(fuzz::as_text(data, size)), "fuzz.twin");
  fuzz::expect_only_citytwin_errors([&] {
    const Twin twin = read_snapshot(file);
    coupling::SimulationOptions o;
    o.hours = {8};
    coupling::simulate(twin, coupling::Scenario{}, o);
  });
  return 0;
}
