#pragma once
// Reader for MATPOWER case files (.m, format version 2): baseMVA, bus, gen and
// branch are read; gencost, bus_name and any other field are skipped.
//
// Errors are InvalidInput naming the file, the table ("bus", "gen", "branch"),
// the 1-based row, the field and the line: malformed numbers, NaN, short rows,
// unterminated matrices, missing tables, references to missing buses.
#include <filesystem>
#include <string>
#include <string_view>

#include "core/grid/power_case.hpp"

namespace citytwin::grid {

PowerCase read_matpower(const std::filesystem::path& path);

// Parses the text of a case file; `source` names it in error messages.
PowerCase parse_matpower(std::string_view text, const std::string& source);

}  // namespace citytwin::grid
