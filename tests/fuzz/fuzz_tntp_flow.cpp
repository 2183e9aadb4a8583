// libFuzzer target: a TNTP best-known flow file (*_flow.tntp).
#include "core/traffic/tntp_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_only_citytwin_errors(
      [&] { traffic::parse_tntp_flows(std::string(fuzz::as_text(data, size)), "fuzz_flow.tntp"); });
  return 0;
}
