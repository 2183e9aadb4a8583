#pragma once
// OpenStreetMap tag values -> twin attributes. Pure string parsing, no GDAL,
// so every rule is unit-tested on its own. The tables are documented in
// datasets/osm/README.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/road_graph_builder.hpp"

namespace citytwin::geo::osm {

// `highway` value -> drivable road class. motorway ... residential, their
// `*_link` forms and living_street are drivable; `service` only when
// include_service. Anything else (footway, track, path, ...) returns false.
bool drivable_class(std::string_view highway, bool include_service, RoadClass& out);

// Direction of travel from `oneway`, `highway` and `junction`: yes/true/1 ->
// forward, -1/reverse -> backward, no/false/0 -> both; without a tag,
// motorways, motorway links and roundabouts (junction=roundabout|circular)
// are one-way forward. Returns false for values that are not a direction
// (reversible, alternating): the caller keeps the road two-way and counts it.
bool osm_oneway(std::string_view oneway, std::string_view highway, std::string_view junction, OneWay& out);

// `maxspeed` in km/h: "50", "50 km/h", "30 mph", "10 knots", "walk" (6 km/h),
// "none" (the class default), "50;30" (the first), country defaults such as
// "MT:urban", "DE:rural", "FR:motorway", "GB:nsl_single", "DE:zone30",
// "zone:30", "DE:living_street". nullopt when not understood (the caller
// uses the class default and counts it).
std::optional<float> parse_maxspeed(std::string_view value, RoadClass cls);

// route=ferry ways that carry cars: motor_vehicle or motorcar = yes|designated.
bool ferry_carries_cars(std::string_view motor_vehicle, std::string_view motorcar);

// `duration` of a ferry ("00:25", "1:45", "00:05:00", "25" minutes) in hours; nullopt if not understood.
std::optional<double> parse_duration_h(std::string_view value);

// `lanes`: a positive number ("2", "2;3" -> the first); nullopt otherwise.
std::optional<float> parse_lanes(std::string_view value);

// `voltage` in volts, possibly multi-valued ("110000;20000", "110000,20000",
// "33 kV") -> distinct kV values, highest first. Empty when none parse.
std::vector<double> parse_voltages_kv(std::string_view value);

// `circuits` / `cables` ("2", "2;1"): the values, each >= 1; empty if none.
std::vector<int> parse_counts(std::string_view value);

// `population` ("12345", "12 345", "12,345", "12.345" as thousands): a
// non-negative number, nullopt otherwise.
std::optional<double> parse_population(std::string_view value);

// `building` value: residential (homes, and the unspecified "yes"),
// non-residential (workplaces) or neither (sheds, garages, roofs, ruins ...).
enum class BuildingUse { Residential, NonResidential, Other };
BuildingUse building_use(std::string_view building);

}  // namespace citytwin::geo::osm
