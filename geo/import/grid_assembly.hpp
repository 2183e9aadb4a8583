#pragma once
// The grid assembler the manifest import (import_grid.cpp) and the OSM import
// (geo/osm/osm_grid.cpp) share: a line's per-unit impedance from its per-km
// values, the transformer between two voltage levels of one substation, and
// the slack at the bulk supply point. Elements go in through PowerGrid's
// add_* (core/model/twin.hpp); each importer runs check_consistency() last.
#include <cstdint>
#include <span>

#include "core/model/twin.hpp"

namespace citytwin::geo {

struct LineImpedancePerKm {
  double r_ohm = 0, x_ohm = 0, c_nf = 0;  // per km and circuit
};

struct LineToAdd {
  std::uint32_t from = 0, to = 0;
  bool cable = false;
  double kv = 0;            // the per-unit base voltage
  double km = 0;            // route length
  double circuits = 1;      // parallel circuits on the route
  LineImpedancePerKm per_km;
  double rating_mva = 0;    // of all circuits together
  bool in_service = true;
  std::span<const Point2> geometry;
  std::uint32_t source = ProvenanceColumn::kInferred;
  std::int64_t feature = -1;
};

// Appends the line with r, x and b per unit on g.base_mva and line.kv.
std::uint32_t add_line(PowerGrid& g, const LineToAdd& line);

// Appends a transformer `from` -> `to` of `rating_mva`: 10 % short-circuit
// impedance on its own rating, X/R = 20, drawn straight between the buses.
std::uint32_t add_transformer(PowerGrid& g, std::uint32_t from, std::uint32_t to, double rating_mva);

// The bulk supply point: the bus of highest voltage, then of the largest
// substation, the first of equals. The grid must have a bus.
std::uint32_t bulk_supply_bus(const PowerGrid& g);

// Makes `bus` a slack with an infeed (P free, 1.0 pu, Q unlimited).
void make_slack(PowerGrid& g, std::uint32_t bus);

}  // namespace citytwin::geo
