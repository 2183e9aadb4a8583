#pragma once
// A what-if scenario: the planner's edits to the twin. Saved in the coupled
// run's scenario format (datasets/scenarios/README.md), so a file saved by the
// viewer runs as is: `citytwin run city.twin edits.toml -o out.gpkg`. Files
// are read with the run's own reader (geo::load_scenario: errors name file and
// line, names and boxes resolved against the twin) and converted to the
// per-element edits the viewer shows and edits. viewer/SCENARIO_FORMAT.md
// says what the viewer writes and what it keeps when it loads other files.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/coupling/scenario.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

inline constexpr double kNotRepaired = std::numeric_limits<double>::infinity();

struct RoadEdit {
  std::uint32_t link = 0;
  double capacity_factor = 0;  // remaining share of capacity: 0 = closed, 0 < f < 1 = cut
  int from_hour = 0;           // the edit holds in hours [from_hour, to_hour]
  int to_hour = 23;
  bool closed() const { return capacity_factor <= 0; }
  bool active(int hour) const { return hour >= from_hour && hour <= to_hour; }
  bool operator==(const RoadEdit&) const = default;
};

struct AssetFailure {
  std::uint32_t id = 0;  // substation, branch or bus index
  int from_hour = 0;     // out of service from this hour ...
  double repair_hours = kNotRepaired;  // ... for this long (default: the rest of the day)
  bool active(int hour) const { return hour >= from_hour && double(hour) < double(from_hour) + repair_hours; }
  bool operator==(const AssetFailure&) const = default;
};

struct EvSettings {
  double share = 0;          // EV share of vehicle-km in the base year, 0..1
  double annual_growth = 0;  // relative growth of that share per year, e.g. 0.1 = +10 %/yr
  int years = 0;             // horizon; the run gets ev_share = share * (1 + growth)^years, capped at 1
  double effective_share() const;
  bool operator==(const EvSettings&) const = default;
};

struct Scenario {
  std::string name = "untitled";
  std::string description;
  std::string twin_path;  // informational: the twin the edits were made on
  EvSettings ev;
  std::vector<RoadEdit> roads;
  std::vector<AssetFailure> substation_failures, branch_failures, bus_failures;
  // The run's other parameters, kept through load and save (defaults unless a loaded file set them).
  coupling::CouplingParameters parameters;

  bool empty() const {
    return roads.empty() && substation_failures.empty() && branch_failures.empty() && bus_failures.empty() &&
           ev.effective_share() == 0;
  }
  // Edits replace an earlier edit of the same element.
  void set_road(RoadEdit e);
  void fail_substation(std::uint32_t id, int from_hour);
  void fail_branch(std::uint32_t id, int from_hour);
  bool remove_road(std::uint32_t link);
  bool remove_substation(std::uint32_t id);
  bool remove_branch(std::uint32_t id);
  const RoadEdit* road(std::uint32_t link) const;
  const AssetFailure* substation(std::uint32_t id) const;
  const AssetFailure* branch(std::uint32_t id) const;
  void bind(const Twin& twin, const std::string& path) ;
  bool operator==(const Scenario&) const;
};

// Reads a scenario file against the twin with the coupled run's reader.
// Throws InvalidInput (file, line) / IoError. Things the viewer cannot show
// (population / job growth, demand and load parameters, links chosen by a box
// or polygon are kept as their resolved link ids) are listed in `warnings`.
Scenario read_scenario(const std::filesystem::path& path, const Twin& twin, std::vector<std::string>* warnings = nullptr);
// The file text (twin: for the provenance comments; may be null).
std::string scenario_to_toml(const Scenario& s, const Twin* twin = nullptr);
void write_scenario(const Scenario& s, const std::filesystem::path& path, const Twin* twin = nullptr);
// Throws InvalidInput when an id is out of range for the twin.
void check_scenario(const Scenario& s, const Twin& twin);

// Conversions to and from the coupled run's resolved scenario.
coupling::Scenario to_coupling(const Scenario& s);
Scenario from_coupling(const coupling::Scenario& c, std::vector<std::string>* warnings = nullptr);

// The static effect of a scenario at one hour, for drawing it before any
// model has run: per-link capacity factor, failed substations and branches,
// buses de-energised because they or their substation failed.
struct ScenarioState {
  std::vector<float> link_capacity_factor;  // 1 = unchanged
  std::vector<std::uint8_t> substation_failed, branch_failed, bus_deenergised;
};
ScenarioState scenario_state(const Scenario& s, const Twin& twin, int hour);

}  // namespace citytwin::viewer
