#pragma once
// The planner's what-if edits, made on the coupled run's own scenario
// (coupling::Scenario: LinkChange, Outage), as the inspector and the scenario
// panel make them: per link (close, or keep a share of capacity, in an hour
// range) and per asset (out of service from an hour). Links edited alike
// share one LinkChange, so a saved file groups them as `ids = [...]`. Also the
// static effect of a scenario at one hour, for drawing it before any run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/coupling/scenario.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

// One link's edit as the viewer lists it.
struct LinkEdit {
  std::uint32_t link = 0;
  double capacity_factor = 0;  // remaining share of capacity: 0 = closed, 0 < f < 1 = cut
  int from_hour = 0, to_hour = 23;
  bool closed() const { return capacity_factor <= 0; }
  bool active(int hour) const { return hour >= from_hour && hour <= to_hour; }
  bool operator==(const LinkEdit&) const = default;
};

// Sets the link's capacity factor (clamped to 0..1) in hours [from_hour,
// to_hour] (clamped to the day), replacing any earlier edit of the link; a
// factor of 1 removes the edit.
void set_link(coupling::Scenario& s, std::uint32_t link, double capacity_factor, int from_hour, int to_hour = 23);
bool remove_link(coupling::Scenario& s, std::uint32_t link);
// The link's edit (the last LinkChange naming it), or none.
std::optional<LinkEdit> link_edit(const coupling::Scenario& s, std::uint32_t link);
// Every edited link, sorted by link id.
std::vector<LinkEdit> link_edits(const coupling::Scenario& s);

// Takes the asset out of service from `from_hour` (clamped) for the rest of
// the day, replacing any earlier outage of it.
void fail_asset(coupling::Scenario& s, coupling::AssetKind kind, std::uint32_t id, int from_hour);
bool remove_outage(coupling::Scenario& s, coupling::AssetKind kind, std::uint32_t id);
const coupling::Outage* find_outage(const coupling::Scenario& s, coupling::AssetKind kind, std::uint32_t id);
std::size_t outage_count(const coupling::Scenario& s, coupling::AssetKind kind);

// A new what-if with no edits, named "untitled".
inline coupling::Scenario untitled_scenario() {
  coupling::Scenario s;
  s.name = "untitled";
  return s;
}

// Anything a baseline run does not have: link changes, outages, growth, an
// OD file, a parameter (EV share included) off its default.
bool has_edits(const coupling::Scenario& s);

// Throws InvalidInput when an id is out of range for the twin.
void check_scenario(const coupling::Scenario& s, const Twin& twin);

// The viewer's EV projection: a base share grown for some years gives the
// run's ev_share = min(1, share * (1 + annual_growth)^years).
struct EvProjection {
  double share = 0;          // EV share of vehicle-km in the base year, 0..1
  double annual_growth = 0;  // relative growth of that share per year, e.g. 0.1 = +10 %/yr
  int years = 0;
  double effective_share() const;
  bool operator==(const EvProjection&) const = default;
};

// What the viewer keeps beside the run's scenario: the planner's notes and
// the EV projection behind ev_share (restored from the file's comment line).
struct ScenarioNotes {
  std::string description;
  EvProjection ev;
  bool operator==(const ScenarioNotes&) const = default;
};

// The static effect of a scenario at one hour, for drawing it before any
// model has run: per-link capacity factor, failed substations and branches,
// buses de-energised because they or their substation failed.
struct ScenarioState {
  std::vector<float> link_capacity_factor;  // 1 = unchanged
  std::vector<std::uint8_t> substation_failed, branch_failed, bus_deenergised;
};
ScenarioState scenario_state(const coupling::Scenario& s, const Twin& twin, int hour);

}  // namespace citytwin::viewer
