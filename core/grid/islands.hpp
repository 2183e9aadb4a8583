#pragma once
// Connected components of the energised network and one slack bus per
// island: a REF bus with an in-service generator where there is one, else the
// PV bus with the largest in-service capacity (reported as a warning).
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin::grid {

struct Islands {
  std::vector<std::int32_t> of_bus;  // island number per bus, -1 when de-energised
  std::vector<std::int32_t> slack;   // slack bus per island
  std::int32_t count = 0;
  std::vector<std::int32_t> deenergised;  // internal indices of de-energised buses
};

// Union-find over `n` buses; `available[i]` false for buses that take no
// part (isolated type 4). Returns the component of every available bus
// (0-based, in order of first bus) and -1 for the others.
std::vector<std::int32_t> connected_components(std::int32_t n, const std::vector<std::uint8_t>& available,
                                               const std::vector<std::int32_t>& from,
                                               const std::vector<std::int32_t>& to,
                                               const std::vector<std::uint8_t>& branch_on,
                                               std::int32_t& count);

}  // namespace citytwin::grid
