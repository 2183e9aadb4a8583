// libFuzzer target: a TNTP node-coordinate file (*_node.tntp), read from a
// file as the readers have no in-memory form for it.
#include "core/traffic/tntp_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "fuzz_node.tntp");
  fuzz::expect_only_citytwin_errors([&] { traffic::read_tntp_nodes(file); });
  return 0;
}
