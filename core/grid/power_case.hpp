#pragma once
// A power-flow case in MATPOWER's data model (per-unit base, buses, generators,
// branches), independent of where it came from: a MATPOWER .m file, the
// synthetic generator, or (later) the twin's GIS grid.
//
// Units follow MATPOWER: powers in MW / MVAr, voltages in pu, angles in
// degrees, branch impedances in pu on the system base.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin::grid {

enum class BusType : int { pq = 1, pv = 2, ref = 3, isolated = 4 };

struct Bus {
  std::int64_t id = 0;  // MATPOWER bus_i (external number)
  BusType type = BusType::pq;
  double pd = 0, qd = 0;  // load, MW / MVAr
  double gs = 0, bs = 0;  // shunt, MW / MVAr at V = 1 pu
  int area = 1;
  double vm = 1, va = 0;  // voltage magnitude (pu) and angle (degrees): start values
  double base_kv = 0;
  int zone = 1;
  double vmax = 1.1, vmin = 0.9;
};

struct Generator {
  std::int64_t bus = 0;  // external bus number
  double pg = 0, qg = 0;  // MW / MVAr
  double qmax = 0, qmin = 0;
  double vg = 1;  // voltage set point, pu
  double mbase = 100;
  bool in_service = true;
  double pmax = 0, pmin = 0;
};

struct Branch {
  std::int64_t from = 0, to = 0;  // external bus numbers
  double r = 0, x = 0, b = 0;     // pu; b is the total line charging
  double rate_a = 0, rate_b = 0, rate_c = 0;  // MVA; 0 = unlimited
  double ratio = 0;  // off-nominal tap on the from side; 0 means 1 (a line)
  double angle = 0;  // phase shift, degrees
  bool in_service = true;
  double angmin = -360, angmax = 360;
};

struct PowerCase {
  std::string name;    // case name (file stem)
  std::string source;  // file it was read from, for error messages
  double base_mva = 100;
  std::vector<Bus> buses;
  std::vector<Generator> generators;
  std::vector<Branch> branches;
};

// Internal (0-based) bus indices for every generator and branch end. Throws
// InvalidInput naming the case file, table and 1-based row when a generator or
// branch names a bus that does not exist, or when bus numbers repeat.
struct BusIndex {
  std::vector<std::int32_t> gen_bus;      // per generator
  std::vector<std::int32_t> branch_from;  // per branch
  std::vector<std::int32_t> branch_to;    // per branch
};
BusIndex index_buses(const PowerCase& pc);

// Checks values a solver relies on: finite numbers, base MVA > 0, positive
// voltage set points, known bus types. Throws InvalidInput with file, table
// ("bus", "gen", "branch"), 1-based row and field.
void validate(const PowerCase& pc);
// validate() without the bus-number index (for callers that build it anyway).
void validate_values(const PowerCase& pc);

}  // namespace citytwin::grid
