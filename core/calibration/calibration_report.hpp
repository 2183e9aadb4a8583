#pragma once
// The calibration report as one JSON object (`citytwin calibrate --report`,
// citytwin.calibrate()'s `report`): settings, stations used and held out,
// the fit before and after on the used counts, the held-out counts and the
// meters, the OD factors' summary and per substation its factors, MAPE and
// daily-peak error before and after. Non-finite numbers are null.
#include <nlohmann/json.hpp>
#include <string>

#include "core/calibration/calibrate_twin.hpp"

namespace citytwin::calibration {

struct ReportContext {
  std::string twin, calibrated_twin, counts, loads, scenario;
  std::size_t count_records = 0, load_records = 0;
  std::size_t ambiguous = 0, rejected = 0;  // of the unmatched stations
};

nlohmann::json calibration_report_json(const CalibratedTwin& result, const observations::StationTable& stations, const CalibrateOptions& options,
                                       const ReportContext& context);

// A short human summary (a dozen lines) of the same report.
std::string calibration_summary_text(const nlohmann::json& report);

}  // namespace citytwin::calibration
