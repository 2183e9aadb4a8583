#pragma once
// The counts and statistics `import` and `info` print, as text or JSON.
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/model/twin.hpp"

namespace citytwin::app {

nlohmann::json twin_summary_json(const Twin& twin);
void print_twin_summary(std::ostream& out, const Twin& twin);
void print_import_report(std::ostream& out, const ImportReport& report);

}  // namespace citytwin::app
