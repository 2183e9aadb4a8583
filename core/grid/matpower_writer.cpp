#include "core/grid/matpower_writer.hpp"

#include <fstream>
#include <iomanip>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

namespace citytwin::grid {

namespace {

void write_rows(std::ostream& out, const PowerCase& pc) {
  out << "function mpc = " << (pc.name.empty() ? "citytwin_case" : pc.name) << "\n"
      << "% written by citytwin (MATPOWER case format version 2)\n"
      << "mpc.version = '2';\n"
      << "mpc.baseMVA = " << pc.base_mva << ";\n\n"
      << "%% bus_i type Pd Qd Gs Bs area Vm Va baseKV zone Vmax Vmin\nmpc.bus = [\n";
  for (const Bus& b : pc.buses)
    out << '\t' << b.id << '\t' << static_cast<int>(b.type) << '\t' << b.pd << '\t' << b.qd << '\t' << b.gs << '\t' << b.bs
        << '\t' << b.area << '\t' << b.vm << '\t' << b.va << '\t' << b.base_kv << '\t' << b.zone << '\t' << b.vmax << '\t'
        << b.vmin << ";\n";
  out << "];\n\n%% bus Pg Qg Qmax Qmin Vg mBase status Pmax Pmin\nmpc.gen = [\n";
  for (const Generator& g : pc.generators)
    out << '\t' << g.bus << '\t' << g.pg << '\t' << g.qg << '\t' << g.qmax << '\t' << g.qmin << '\t' << g.vg << '\t' << g.mbase
        << '\t' << (g.in_service ? 1 : 0) << '\t' << g.pmax << '\t' << g.pmin << ";\n";
  out << "];\n\n%% fbus tbus r x b rateA rateB rateC ratio angle status angmin angmax\nmpc.branch = [\n";
  for (const Branch& br : pc.branches)
    out << '\t' << br.from << '\t' << br.to << '\t' << br.r << '\t' << br.x << '\t' << br.b << '\t' << br.rate_a << '\t'
        << br.rate_b << '\t' << br.rate_c << '\t' << br.ratio << '\t' << br.angle << '\t' << (br.in_service ? 1 : 0) << '\t'
        << br.angmin << '\t' << br.angmax << ";\n";
  out << "];\n";
}

}  // namespace

void write_matpower(const std::filesystem::path& file, const PowerCase& pc) {
  write_atomically(file, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    out << std::setprecision(17);
    write_rows(out, pc);
    out.flush();
    if (!out) throw IoError("cannot write the MATPOWER case", SourceLocation{.file = file.string()});
  });
}

}  // namespace citytwin::grid
