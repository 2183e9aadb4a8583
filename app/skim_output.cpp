#include "app/skim_output.hpp"

#include <algorithm>
#include <filesystem>

#include "app/hour_range.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/road_skims.hpp"
#include "geo/skims/skim_files.hpp"

namespace citytwin::app {

void add_skim_options(CLI::App& command, SkimRequest& request, bool hours) {
  command
      .add_option("--skims", request.path,
                  "Write zone-to-zone skims: congested time (min), distance (km) and generalised cost\n"
                  "(value of time x time + cost per km x km + toll) over the equilibrium's shortest paths,\n"
                  "as OMX (.omx, Open Matrix: /data/time_min__h08, distance_km__h08, cost__h08, lookup zone_number)\n"
                  "or CSV (.csv: origin,destination,hour,time_min,distance_km,cost)")
      ->check([](const std::string& p) {
        const auto ext = std::filesystem::path(p).extension().string();
        return ext == ".omx" || ext == ".csv" ? std::string() : "skims are written as .omx (Open Matrix) or .csv, not '" + p + "'";
      });
  if (hours)
    command.add_option("--skim-hours", request.hours, "Hours to skim (with --skims), e.g. 7-9 or 8,17; default: every simulated hour");
}

namespace {
struct LengthUnit {
  const char* name;
  double km;
};
constexpr LengthUnit kLengthUnits[] = {{"km", 1.0}, {"mi", 1.609344}, {"m", 0.001}, {"ft", 0.0003048}};
}  // namespace

void add_skim_cost_options(CLI::App& command, SkimCostOptions& options, bool length_unit) {
  command.add_option("--value-of-time", options.costs.value_of_time_per_h, "Skims' generalised cost: money per vehicle-hour [D]")
      ->default_val(options.costs.value_of_time_per_h)
      ->check(CLI::Range(0.0, 1000.0));
  command.add_option("--cost-per-km", options.costs.cost_per_km, "Skims' generalised cost: money per vehicle-km [D]")
      ->default_val(options.costs.cost_per_km)
      ->check(CLI::Range(0.0, 100.0));
  if (length_unit)
    command.add_option("--length-unit", options.length_unit, "TNTP form: the network file's length unit, for the skims' km")
        ->check(CLI::IsMember({"km", "mi", "m", "ft"}))
        ->default_val("km");
}

double km_per_length_unit(const std::string& unit) {
  for (const auto& u : kLengthUnits)
    if (unit == u.name) return u.km;
  throw InvalidInput("unknown length unit '" + unit + "' (km, mi, m or ft)", {.field = "--length-unit"});
}

void write_assignment_skims(const SkimRequest& request, const traffic::Network& net, const traffic::AssignmentResult& result,
                            const SkimCostOptions& options) {
  traffic::SkimSet set;
  set.parameters = options.costs;
  for (std::int32_t z = 1; z <= net.zone_count; ++z) set.zone_ids.push_back(z);
  set.tables.push_back({.vehicle_class = {}, .hour = std::nullopt,
                        .matrices = traffic::compute_skims(
                            net, traffic::assignment_link_costs(net, result, km_per_length_unit(options.length_unit)), options.costs)});
  geo::write_skims(request.path, set);
}

std::vector<int> skim_hours(const SkimRequest& request, const std::vector<int>& simulated) {
  if (request.hours.empty()) return {};
  if (request.path.empty()) throw InvalidInput("--skim-hours needs --skims, the file to write", {.field = "--skim-hours"});
  std::vector<int> hours;
  try {
    hours = parse_hours(request.hours);
  } catch (const InvalidInput& e) {
    throw InvalidInput(e.message(), {.field = "--skim-hours"});
  }
  for (int h : hours)
    if (!simulated.empty() && std::find(simulated.begin(), simulated.end(), h) == simulated.end())
      throw InvalidInput("--skim-hours asks for hour " + std::to_string(h) + ", which --hours does not simulate", {.field = "--skim-hours"});
  return hours;
}

void write_simulation_skims(const SkimRequest& request, const Twin& twin, const coupling::SimulationResult& result,
                            const std::vector<int>& hours, const traffic::SkimCostParameters& costs) {
  geo::write_skims(request.path, coupling::simulation_skims(twin, result, hours, costs));
}

}  // namespace citytwin::app
