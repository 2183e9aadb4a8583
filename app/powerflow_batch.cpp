#include "app/powerflow_batch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <span>

#include "app/command_support.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/grid/plausibility.hpp"
#include "gpu/power_flow_batch.hpp"

namespace citytwin::app {

namespace {

struct VoltageRange {
  double min = 0, max = 0;
};

// Over the item's energised buses (the batch reports 0 at de-energised ones).
VoltageRange voltage_range(const gpu::BatchPowerFlowResult& r, std::int32_t item) {
  VoltageRange v{std::numeric_limits<double>::infinity(), 0.0};
  for (std::int32_t b = 0; b < r.buses; ++b) {
    const double vm = r.vm[static_cast<std::size_t>(item) * static_cast<std::size_t>(r.buses) + static_cast<std::size_t>(b)];
    if (vm <= 0) continue;
    v.min = std::min(v.min, vm);
    v.max = std::max(v.max, vm);
  }
  if (!(v.min <= v.max)) v = {};
  return v;
}

void write_bus_table(const std::filesystem::path& file, const grid::PowerCase& pc, const std::vector<double>& factors,
                     const gpu::BatchPowerFlowResult& r) {
  write_atomically(file, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    out << std::setprecision(17) << "item,factor,bus,vm,va_deg,converged\n";
    for (std::int32_t i = 0; i < r.items; ++i)
      for (std::int32_t b = 0; b < r.buses; ++b) {
        const std::size_t k = static_cast<std::size_t>(i) * static_cast<std::size_t>(r.buses) + static_cast<std::size_t>(b);
        out << i << ',' << factors[static_cast<std::size_t>(i)] << ',' << pc.buses[static_cast<std::size_t>(b)].id << ','
            << r.vm[k] << ',' << r.va_deg[k] << ',' << int(r.converged[static_cast<std::size_t>(i)]) << '\n';
      }
    if (!out) throw IoError("cannot write the batch bus table", SourceLocation{.file = file.string()});
  });
}

}  // namespace

void run_powerflow_batch(const grid::PowerCase& pc, const grid::PowerFlowOptions& options, const PowerflowBatchArgs& args) {
  for (std::size_t i = 0; i < args.factors.size(); ++i)
    if (!(args.factors[i] >= 0) || !std::isfinite(args.factors[i]))
      throw InvalidInput(std::string("load factor ").append(std::to_string(i + 1)).append(" is not a finite non-negative number"),
                         {.field = "--load-factors"});
  const gpu::BatchPowerFlowPlan plan = gpu::batch_power_flow_plan(pc, options);
  const gpu::BatchInjections items = gpu::scaled_loads(pc, args.factors);
  const DeviceChoice device = choose_device(args.device == "gpu");
  const gpu::BatchPowerFlowResult r = device.gpu ? gpu::solve_power_flow_batch(plan, items) : gpu::cpu::klu_power_flow_batch(plan, items);
  const std::filesystem::path table = args.out.empty() ? std::filesystem::path() : args.out / (pc.name + "_batch_bus.csv");
  if (!table.empty()) write_bus_table(table, pc, args.factors, r);

  // The single solve's plausibility rule (grid::PowerFlowOptions): a converged
  // item with a voltage outside [plausible_vm_min, plausible_vm_max] is the
  // low-voltage solution of a stressed case, not an operating point.
  // The same rule checks the branch angle differences (grid::implausible_buses).
  std::vector<std::uint8_t> implausible(static_cast<std::size_t>(r.items), 0);
  const grid::BusIndex index = grid::index_buses(pc);
  const auto nb = static_cast<std::size_t>(r.buses);
  for (std::int32_t i = 0; i < r.items; ++i) {
    if (!r.converged[static_cast<std::size_t>(i)]) continue;
    const std::span<const double> vm(r.vm.data() + static_cast<std::size_t>(i) * nb, nb), va(r.va_deg.data() + static_cast<std::size_t>(i) * nb, nb);
    std::vector<std::uint8_t> energised(nb), active(pc.branches.size());
    for (std::size_t b = 0; b < nb; ++b) energised[b] = vm[b] > 0;  // the batch reports 0 at de-energised buses
    for (std::size_t k = 0; k < active.size(); ++k)
      active[k] = pc.branches[k].in_service && energised[static_cast<std::size_t>(index.branch_from[k])] &&
                  energised[static_cast<std::size_t>(index.branch_to[k])];
    implausible[static_cast<std::size_t>(i)] = !grid::implausible_buses(pc, index, vm, va, energised, active, options).empty();
  }
  std::int32_t converged = 0;
  for (std::int32_t i = 0; i < r.items; ++i) converged += r.converged[static_cast<std::size_t>(i)] && !implausible[static_cast<std::size_t>(i)];
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (std::int32_t i = 0; i < r.items; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const bool ok = r.converged[k] != 0 && !implausible[k];
      const VoltageRange v = voltage_range(r, i);
      list.push_back({{"item", i},
                      {"factor", args.factors[k]},
                      {"converged", ok},
                      {"iterations", r.iterations[k]},
                      {"max_mismatch", r.max_mismatch[k]},
                      {"min_vm", ok ? nlohmann::json(v.min) : nlohmann::json(nullptr)},
                      {"max_vm", ok ? nlohmann::json(v.max) : nlohmann::json(nullptr)},
                      {"implausible", implausible[k] != 0},
                      {"by_klu", r.by_klu[k] != 0}});
    }
    print_json({{"case", pc.name},
                {"device", device.name},
                {"items", r.items},
                {"converged", converged},
                {"tiny_pivots", r.tiny_pivots},
                {"seconds", r.seconds},
                {"results", list}});
  } else {
    std::cout << pc.name << ": " << r.items << " AC power flows (loads x factor) on " << device.name << ", " << converged
              << " converged, in " << r.seconds * 1e3 << " ms\n"
              << "item  factor   converged  iterations  max mismatch (pu)  Vm min .. max (pu)\n";
    for (std::int32_t i = 0; i < r.items; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const VoltageRange v = voltage_range(r, i);
      std::printf("%4d  %7.4f  %-9s  %10d  %17.3e  ", i, args.factors[k], implausible[k] ? "implaus." : r.converged[k] ? "yes" : "no",
                  r.iterations[k], r.max_mismatch[k]);
      if (r.converged[k]) std::printf("%.5f .. %.5f\n", v.min, v.max);
      else std::printf("-\n");
    }
    std::fflush(stdout);
    if (r.tiny_pivots > 0) std::cout << r.tiny_pivots << " item(s) met a tiny pivot in the batched LU and were solved by KLU\n";
    if (!table.empty()) std::cout << "bus voltages written to " << table.string() << "\n";
  }
  if (converged < r.items)
    throw NotConverged(std::to_string(r.items - converged) + " of " + std::to_string(r.items) +
                       " power flows did not converge or converged to an implausible operating point (voltage outside " +
                       std::to_string(options.plausible_vm_min) + " .. " + std::to_string(options.plausible_vm_max) +
                       " pu, or a branch angle difference above " + std::to_string(options.plausible_angle_diff_deg) +
                       " deg; see the items marked 'no' or 'implaus.')");
}

}  // namespace citytwin::app
