#include "core/grid/power_case.hpp"

#include <cmath>
#include <unordered_map>

#include "core/common/errors.hpp"

namespace citytwin::grid {

namespace {

SourceLocation at(const PowerCase& pc, const char* table, std::size_t row, const char* field) {
  return SourceLocation{.file = pc.source.empty() ? pc.name : pc.source,
                        .layer = table,
                        .feature = static_cast<std::int64_t>(row + 1),
                        .field = field};
}

void require_finite(const PowerCase& pc, const char* table, std::size_t row, const char* field,
                    double value) {
  if (!std::isfinite(value)) {
    throw InvalidInput("value is " + std::string(std::isnan(value) ? "NaN" : "infinite") +
                           " (a power-flow input must be a finite number)",
                       at(pc, table, row, field));
  }
}

void require_not_nan(const PowerCase& pc, const char* table, std::size_t row, const char* field,
                     double value) {
  if (std::isnan(value)) throw InvalidInput("value is NaN", at(pc, table, row, field));
}

}  // namespace

BusIndex index_buses(const PowerCase& pc) {
  std::unordered_map<std::int64_t, std::int32_t> by_id;
  by_id.reserve(pc.buses.size() * 2);
  for (std::size_t i = 0; i < pc.buses.size(); ++i) {
    auto [it, inserted] = by_id.emplace(pc.buses[i].id, static_cast<std::int32_t>(i));
    if (!inserted) {
      throw InvalidInput("bus number " + std::to_string(pc.buses[i].id) + " repeats row " +
                             std::to_string(it->second + 1),
                         at(pc, "bus", i, "bus_i"));
    }
  }
  auto find = [&](std::int64_t id, const char* table, std::size_t row, const char* field) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      throw InvalidInput("refers to bus " + std::to_string(id) + ", which is not in the bus table",
                         at(pc, table, row, field));
    }
    return it->second;
  };
  BusIndex index;
  index.gen_bus.resize(pc.generators.size());
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    index.gen_bus[g] = find(pc.generators[g].bus, "gen", g, "bus");
  }
  index.branch_from.resize(pc.branches.size());
  index.branch_to.resize(pc.branches.size());
  for (std::size_t k = 0; k < pc.branches.size(); ++k) {
    index.branch_from[k] = find(pc.branches[k].from, "branch", k, "fbus");
    index.branch_to[k] = find(pc.branches[k].to, "branch", k, "tbus");
  }
  return index;
}

void validate(const PowerCase& pc) {
  validate_values(pc);
  (void)index_buses(pc);  // missing or repeated bus numbers
}

void validate_values(const PowerCase& pc) {
  if (!(pc.base_mva > 0) || !std::isfinite(pc.base_mva)) {
    throw InvalidInput("baseMVA must be a positive number",
                       SourceLocation{.file = pc.source, .layer = "baseMVA"});
  }
  if (pc.buses.empty()) {
    throw InvalidInput("the case has no buses", SourceLocation{.file = pc.source, .layer = "bus"});
  }
  for (std::size_t i = 0; i < pc.buses.size(); ++i) {
    const Bus& b = pc.buses[i];
    const int type = static_cast<int>(b.type);
    if (type < 1 || type > 4) {
      throw InvalidInput("bus type must be 1 (PQ), 2 (PV), 3 (ref) or 4 (isolated), not " +
                             std::to_string(type),
                         at(pc, "bus", i, "type"));
    }
    require_finite(pc, "bus", i, "Pd", b.pd);
    require_finite(pc, "bus", i, "Qd", b.qd);
    require_finite(pc, "bus", i, "Gs", b.gs);
    require_finite(pc, "bus", i, "Bs", b.bs);
    require_finite(pc, "bus", i, "Vm", b.vm);
    require_finite(pc, "bus", i, "Va", b.va);
    require_not_nan(pc, "bus", i, "baseKV", b.base_kv);
    require_not_nan(pc, "bus", i, "Vmax", b.vmax);
    require_not_nan(pc, "bus", i, "Vmin", b.vmin);
  }
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    const Generator& gen = pc.generators[g];
    require_finite(pc, "gen", g, "Pg", gen.pg);
    require_finite(pc, "gen", g, "Qg", gen.qg);
    require_finite(pc, "gen", g, "Vg", gen.vg);
    require_not_nan(pc, "gen", g, "Qmax", gen.qmax);
    require_not_nan(pc, "gen", g, "Qmin", gen.qmin);
    require_not_nan(pc, "gen", g, "Pmax", gen.pmax);
    require_not_nan(pc, "gen", g, "Pmin", gen.pmin);
    if (gen.in_service && !(gen.vg > 0)) {
      throw InvalidInput("voltage set point must be positive", at(pc, "gen", g, "Vg"));
    }
  }
  for (std::size_t k = 0; k < pc.branches.size(); ++k) {
    const Branch& br = pc.branches[k];
    require_finite(pc, "branch", k, "r", br.r);
    require_finite(pc, "branch", k, "x", br.x);
    require_finite(pc, "branch", k, "b", br.b);
    require_finite(pc, "branch", k, "ratio", br.ratio);
    require_finite(pc, "branch", k, "angle", br.angle);
    require_not_nan(pc, "branch", k, "rateA", br.rate_a);
    require_not_nan(pc, "branch", k, "rateB", br.rate_b);
    require_not_nan(pc, "branch", k, "rateC", br.rate_c);
    if (br.ratio < 0) throw InvalidInput("tap ratio must not be negative", at(pc, "branch", k, "ratio"));
  }
}

}  // namespace citytwin::grid
