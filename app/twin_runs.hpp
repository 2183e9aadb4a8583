#pragma once
// `assign city.twin` and `powerflow city.twin`: the uncoupled halves of the
// hourly simulation (the baseline scenario, which equals the coupled run with
// no EVs and no outages), written as results GeoPackages of their own layers.
#include <string>

namespace citytwin::app {

struct TwinRunRequest {
  std::string twin, out, hours = "0-23";
  std::string od;     // traffic: a given OD matrix file (coupling/given_od.hpp); empty: the districts' demand
  bool json = false;
  bool grid = false;  // false: traffic (assign), true: grid (powerflow)
  std::string progress = "none";  // --progress (app/progress_printer.hpp)
};

void run_twin_half(const TwinRunRequest& request);

}  // namespace citytwin::app
