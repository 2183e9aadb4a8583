#include "geo/import/grid_assembly.hpp"

#include <numbers>
#include <vector>

namespace citytwin::geo {

namespace {
constexpr double kTransformerZ = 0.10;  // short-circuit impedance on the transformer's own rating
constexpr double kTransformerXOverR = 20;
constexpr double kHz = 50.0;
}  // namespace

std::uint32_t add_line(PowerGrid& g, const LineToAdd& l) {
  const double z_base = l.kv * l.kv / g.base_mva;
  return g.add_branch({.from = l.from,
                       .to = l.to,
                       .kind = l.cable ? BranchKind::Cable : BranchKind::Line,
                       .r = l.per_km.r_ohm * l.km / l.circuits / z_base,
                       .x = l.per_km.x_ohm * l.km / l.circuits / z_base,
                       .b = 2 * std::numbers::pi * kHz * l.per_km.c_nf * 1e-9 * l.km * l.circuits * z_base,
                       .rating_mva = l.rating_mva,
                       .in_service = l.in_service,
                       .geometry = l.geometry,
                       .source = l.source,
                       .feature = l.feature});
}

std::uint32_t add_transformer(PowerGrid& g, std::uint32_t from, std::uint32_t to, double rating_mva) {
  const double x = kTransformerZ * g.base_mva / rating_mva;
  const std::vector<Point2> segment{{g.bus_x.at(from), g.bus_y.at(from)}, {g.bus_x.at(to), g.bus_y.at(to)}};
  return g.add_branch({.from = from,
                       .to = to,
                       .kind = BranchKind::Transformer,
                       .r = x / kTransformerXOverR,
                       .x = x,
                       .b = 0,
                       .rating_mva = rating_mva,
                       .geometry = segment});
}

std::uint32_t bulk_supply_bus(const PowerGrid& g) {
  auto capacity = [&](std::size_t b) { return g.bus_substation[b] >= 0 ? g.substation_capacity_mva[g.bus_substation[b]] : 0.0; };
  std::size_t slack = 0;
  for (std::size_t b = 1; b < g.bus_count(); ++b)
    if (g.bus_kv[b] > g.bus_kv[slack] || (g.bus_kv[b] == g.bus_kv[slack] && capacity(b) > capacity(slack))) slack = b;
  return static_cast<std::uint32_t>(slack);
}

void make_slack(PowerGrid& g, std::uint32_t bus) {
  g.bus_type.at(bus) = BusType::Slack;
  g.add_generator({.bus = bus});
}

}  // namespace citytwin::geo
