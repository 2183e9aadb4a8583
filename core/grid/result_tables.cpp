#include "core/grid/result_tables.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

namespace citytwin::grid {

namespace {

std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", v);
  return buffer;
}

void write_csv(const std::filesystem::path& path, const std::function<void(std::ostream&)>& body) {
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    if (!out) throw IoError("cannot create the result table", SourceLocation{.file = tmp.string()});
    body(out);
    out.flush();
    if (!out) throw IoError("cannot write the result table", SourceLocation{.file = tmp.string()});
  });
}

}  // namespace

void write_bus_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& r) {
  write_csv(path, [&](std::ostream& out) {
    out << "bus_i,type,Pd_MW,Qd_MVAr,Gs_MW,Bs_MVAr,baseKV,Vm_pu,Va_deg,energised\n";
    for (std::size_t i = 0; i < pc.buses.size(); ++i) {
      const Bus& b = pc.buses[i];
      out << b.id << ',' << static_cast<int>(b.type) << ',' << num(b.pd) << ',' << num(b.qd) << ',' << num(b.gs) << ','
          << num(b.bs) << ',' << num(b.base_kv) << ',' << num(r.vm[i]) << ',' << num(r.va_deg[i]) << ','
          << static_cast<int>(r.energised[i]) << '\n';
    }
  });
}

void write_branch_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& r) {
  write_csv(path, [&](std::ostream& out) {
    out << "row,fbus,tbus,status,rateA_MVA,Pf_MW,Qf_MVAr,Pt_MW,Qt_MVAr,loss_MW,loading_pct_rateA\n";
    for (std::size_t k = 0; k < pc.branches.size(); ++k) {
      const Branch& br = pc.branches[k];
      out << k + 1 << ',' << br.from << ',' << br.to << ',' << (br.in_service ? 1 : 0) << ',' << num(br.rate_a) << ','
          << num(r.pf[k]) << ',' << num(r.qf[k]) << ',' << num(r.pt[k]) << ',' << num(r.qt[k]) << ','
          << num(r.pf[k] + r.pt[k]) << ',' << num(r.loading_percent(pc, k)) << '\n';
    }
  });
}

void write_gen_csv(const std::filesystem::path& path, const PowerCase& pc, const PowerFlowResult& r) {
  write_csv(path, [&](std::ostream& out) {
    out << "row,bus,status,Pg_MW,Qg_MVAr,Vg_pu,Qmax_MVAr,Qmin_MVAr\n";
    for (std::size_t g = 0; g < pc.generators.size(); ++g) {
      const Generator& gen = pc.generators[g];
      out << g + 1 << ',' << gen.bus << ',' << (gen.in_service ? 1 : 0) << ',' << num(r.pg[g]) << ',' << num(r.qg[g])
          << ',' << num(gen.vg) << ',' << num(gen.qmax) << ',' << num(gen.qmin) << '\n';
    }
  });
}

std::filesystem::path write_result_tables(const std::filesystem::path& dir, const PowerCase& pc,
                                          const PowerFlowResult& r) {
  const std::string stem = (pc.name.empty() ? std::string("case") : pc.name) + (r.dc ? "_dc" : "_ac");
  const auto bus = dir / (stem + "_bus.csv");
  write_bus_csv(bus, pc, r);
  write_branch_csv(dir / (stem + "_branch.csv"), pc, r);
  write_gen_csv(dir / (stem + "_gen.csv"), pc, r);
  return bus;
}

}  // namespace citytwin::grid
