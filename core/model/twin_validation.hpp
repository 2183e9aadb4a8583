#pragma once
// The structural invariants every Twin holds (column lengths agree with their
// counts, offsets are monotone and end at their column's length, every index
// points inside the table it names, enums are in range, the numbers the models
// divide by are finite). read_snapshot checks them before any use: a snapshot's
// checksum is an unkeyed hash anyone can recompute, so it proves nothing.
#include <string>

#include "core/model/twin.hpp"

namespace citytwin {

// Throws InvalidInput naming `file` and the first offending field
// (e.g. "roads.link_to[17]") with what was expected.
void validate_twin(const Twin& twin, const std::string& file);

}  // namespace citytwin
