#pragma once
// A what-if scenario: the planner's edits to the twin, saved as a small TOML
// file that the coupled run reads (format: viewer/SCENARIO_FORMAT.md).
// Ids are the twin's own indices (road link, substation, branch) as in the
// .twin snapshot; the [twin] table records the counts so a scenario applied
// to another twin is refused instead of silently hitting the wrong links.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

inline constexpr int kScenarioFormat = 1;

struct RoadEdit {
  std::uint32_t link = 0;
  double capacity_factor = 0;  // remaining share of capacity: 0 = closed, 0 < f < 1 = cut
  int from_hour = 0;           // 0..23, the edit holds from this hour to the end of the day
  bool closed() const { return capacity_factor <= 0; }
  bool operator==(const RoadEdit&) const = default;
};

struct AssetFailure {
  std::uint32_t id = 0;  // substation or branch index
  int from_hour = 0;     // out of service from this hour to the end of the day
  bool operator==(const AssetFailure&) const = default;
};

struct EvSettings {
  double share = 0;          // EV share of the car fleet in the base year, 0..1
  double annual_growth = 0;  // relative growth of that share per year, e.g. 0.1 = +10 %/yr
  int years = 0;             // horizon: the coupled run uses share * (1 + growth)^years, capped at 1
  double effective_share() const;
  bool operator==(const EvSettings&) const = default;
};

struct Scenario {
  std::string name = "untitled";
  std::string description;
  std::string twin_path;  // informational: the twin the edits were made on
  // Counts of the twin the ids refer to (0 = not recorded).
  std::size_t twin_links = 0, twin_substations = 0, twin_branches = 0;
  EvSettings ev;
  std::vector<RoadEdit> roads;
  std::vector<AssetFailure> substation_failures, branch_failures;

  bool empty() const {
    return roads.empty() && substation_failures.empty() && branch_failures.empty() && ev == EvSettings{};
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
  // Records the twin's counts (call before saving).
  void bind(const Twin& twin, const std::string& path);
  bool operator==(const Scenario&) const = default;
};

// Throws InvalidInput (with file, key and line) for a malformed file and
// IoError when it cannot be read or written. Writing is atomic.
Scenario read_scenario(const std::filesystem::path& path);
Scenario parse_scenario(const std::string& toml_text, const std::string& origin = "<string>");
std::string scenario_to_toml(const Scenario& s, const Twin* twin = nullptr);
void write_scenario(const Scenario& s, const std::filesystem::path& path, const Twin* twin = nullptr);
// Throws InvalidInput when ids are out of range or the recorded counts differ.
void check_scenario(const Scenario& s, const Twin& twin);

// The static effect of a scenario at one hour, for drawing it before any
// model has run: per-link capacity factor, failed substations and branches,
// buses de-energised because their substation failed.
struct ScenarioState {
  std::vector<float> link_capacity_factor;  // 1 = unchanged
  std::vector<std::uint8_t> substation_failed, branch_failed, bus_deenergised;
};
ScenarioState scenario_state(const Scenario& s, const Twin& twin, int hour);

}  // namespace citytwin::viewer
