// libFuzzer target: the analyst's OD matrices (`citytwin run --od`, a
// scenario's od_matrix): CSV, or TNTP trips when the file starts with '<',
// for a twin of four districts.
#include <string>
#include <vector>

#include "core/coupling/given_od.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> districts = {"District 1", "District 2", "Harbour", "Old Town"};
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "od.csv");
  fuzz::expect_only_citytwin_errors([&] { coupling::read_given_od(file, districts); });
  return 0;
}
