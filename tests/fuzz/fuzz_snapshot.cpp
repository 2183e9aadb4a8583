// libFuzzer target: a .twin snapshot whose checksum is right. The input is the
// payload; the target writes the header read_snapshot expects (magic, format
// version, byte order, payload size, FNV-1a 64 of the payload; layout in
// core/model/snapshot.hpp) in front of it, so every input gets past the
// checksum, as a crafted file does: the checksum is no defence (issue 18).
// The twin is then used as `citytwin run` uses it, for one hour (08:00).
// LLVMFuzzerInitialize checks make_snapshot() against write_snapshot(), so a
// change of the layout stops the target instead of leaving it behind the checksum.
#include <array>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "core/coupling/simulation.hpp"
#include "core/model/snapshot.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

namespace {

// snapshot.cpp's checksum: FNV-1a 64 with its offset basis 1469598103934665603
// (the published basis is 14695981039346656037; the file format keeps this one).
std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const auto probe = fuzz::scratch_dir() / "probe.twin";
  write_snapshot(Twin{}, probe);
  const std::string written = read_file(probe);
  constexpr std::size_t kHeader = 32;
  if (written.size() < kHeader || make_snapshot(std::string_view(written).substr(kHeader)) != written)
    fuzz::crash("fuzz_snapshot is out of date", "its header differs from write_snapshot's; see core/model/snapshot.cpp");
  return 0;
}

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
