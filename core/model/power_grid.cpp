// PowerGrid's builders: one element appended to every column of its table at
// once (the importers used to push the parallel columns by hand).
#include <stdexcept>
#include <string>

#include "core/model/twin.hpp"

namespace citytwin {

namespace {

void bus_in_range(std::uint32_t bus, std::size_t buses, const char* what) {
  if (bus >= buses)
    throw std::out_of_range(std::string(what) + " " + std::to_string(bus) + " is not one of the grid's " + std::to_string(buses) + " buses");
}

}  // namespace

std::uint32_t PowerGrid::add_bus(const Bus& bus) {
  if (bus.substation < -1 || (bus.substation >= 0 && static_cast<std::size_t>(bus.substation) >= substation_count()))
    throw std::out_of_range("bus substation " + std::to_string(bus.substation) + " is not one of the grid's " +
                            std::to_string(substation_count()) + " substations");
  bus_x.push_back(bus.at.x);
  bus_y.push_back(bus.at.y);
  bus_kv.push_back(bus.kv);
  bus_type.push_back(bus.type);
  bus_energised.push_back(bus.energised ? 1 : 0);
  bus_substation.push_back(bus.substation);
  bus_source.add(bus.source, bus.feature);
  return static_cast<std::uint32_t>(bus_count() - 1);
}

std::uint32_t PowerGrid::add_branch(const Branch& branch) {
  bus_in_range(branch.from, bus_count(), "branch from-bus");
  bus_in_range(branch.to, bus_count(), "branch to-bus");
  if (branch.from == branch.to) throw std::invalid_argument("branch from bus " + std::to_string(branch.from) + " to itself");
  branch_from.push_back(branch.from);
  branch_to.push_back(branch.to);
  branch_kind.push_back(branch.kind);
  branch_r.push_back(branch.r);
  branch_x.push_back(branch.x);
  branch_b.push_back(branch.b);
  branch_rating_mva.push_back(branch.rating_mva);
  branch_in_service.push_back(branch.in_service ? 1 : 0);
  branch_geometry.add(branch.geometry);
  branch_source.add(branch.source, branch.feature);
  return static_cast<std::uint32_t>(branch_count() - 1);
}

std::uint32_t PowerGrid::add_substation(const Substation& substation) {
  substation_shape.begin_feature();
  for (const Rings& polygon : substation.shape) substation_shape.add_polygon(polygon);
  const std::size_t k = substation_count();
  const Point2 c = substation_shape.centroid(k);
  substation_x.push_back(c.x);
  substation_y.push_back(c.y);
  substation_capacity_mva.push_back(substation.capacity_mva);
  substation_name.push_back(substation.name);
  substation_bus.push_back(substation.bus);
  substation_source.add(substation.source, substation.feature);
  return static_cast<std::uint32_t>(k);
}

std::uint32_t PowerGrid::add_generator(const Generator& generator) {
  bus_in_range(generator.bus, bus_count(), "generator bus");
  gen_bus.push_back(generator.bus);
  gen_p_mw.push_back(generator.p_mw);
  gen_vm_pu.push_back(generator.vm_pu);
  gen_q_min_mvar.push_back(generator.q_min_mvar);
  gen_q_max_mvar.push_back(generator.q_max_mvar);
  return static_cast<std::uint32_t>(generator_count() - 1);
}

}  // namespace citytwin
