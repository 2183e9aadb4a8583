// libFuzzer target: the observation readers (`citytwin fit --counts/--loads`,
// geo/observations/observation_reader.hpp) on one CSV file, read as every kind
// (counts, substation loads, branch loads, charging): a file with the wrong
// columns must fail with a citytwin error like any other bad input. What a
// reader accepts must survive the round trip through the CSV writers
// (observation_csv.hpp, used by `citytwin observe`): written and read again,
// the same rows come back.
#include <cmath>
#include <string>

#include "geo/observations/observation_csv.hpp"
#include "geo/observations/observation_reader.hpp"
#include "geo/observations/observation_source.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

namespace {

// Three substations and two branches in UTM 33N, as the readers' unit tests use.
const Twin& twin() {
  static const Twin t = [] {
    Twin w;
    w.crs = "EPSG:32633";
    w.grid.substation_name = {"Nord", "Sued", "Ost"};
    w.grid.substation_x = {0, 0, 0};
    w.grid.branch_from = {0, 0};
    return w;
  }();
  return t;
}

bool close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(1.0, std::max(std::abs(a), std::abs(b))); }

void counts_round_trip(const geo::LayerSpec& spec) {
  const auto first = geo::read_counts(spec, twin());
  const auto again_file = fuzz::scratch_dir() / "counts_again.csv";
  geo::write_counts_csv(twin(), first, again_file);
  const auto again = geo::read_counts(geo::observation_source(again_file.string(), geo::ObservationKind::Counts), twin());
  if (again.size() != first.size()) fuzz::crash("counts round trip", std::to_string(first.size()) + " rows read, " + std::to_string(again.size()) + " after writing");
  for (std::size_t i = 0; i < first.size(); ++i) {
    const auto& a = first[i];
    const auto& b = again[i];
    if (a.station != b.station) fuzz::crash("counts round trip", "station '" + a.station + "' came back as '" + b.station + "'");
    if (!(a.time == b.time)) fuzz::crash("counts round trip", "time " + a.time.iso() + " came back as " + b.time.iso());
    if (!close(a.vehicles, b.vehicles, 1e-9)) fuzz::crash("counts round trip", "vehicles changed");
    // Bearings are written with 2 decimals (359.999 comes back as 0): compared around the circle.
    if (a.bearing_deg.has_value() != b.bearing_deg.has_value()) fuzz::crash("counts round trip", "bearing appeared or vanished");
    if (a.bearing_deg && std::abs(std::remainder(*a.bearing_deg - *b.bearing_deg, 360.0)) > 0.006)
      fuzz::crash("counts round trip", "bearing changed");
    // Positions go through lon/lat with 8 decimals (about 1 mm).
    if (std::hypot(a.position.x - b.position.x, a.position.y - b.position.y) > 0.01) fuzz::crash("counts round trip", "position moved");
  }
}

void loads_round_trip(const geo::LayerSpec& spec) {
  const auto first = geo::read_substation_loads(spec, twin());
  const auto again_file = fuzz::scratch_dir() / "loads_again.csv";
  geo::write_loads_csv(twin(), first, again_file);
  const auto again = geo::read_substation_loads(geo::observation_source(again_file.string(), geo::ObservationKind::Loads), twin());
  if (again.size() != first.size()) fuzz::crash("loads round trip", std::to_string(first.size()) + " rows read, " + std::to_string(again.size()) + " after writing");
  for (std::size_t i = 0; i < first.size(); ++i) {
    const auto& a = first[i];
    const auto& b = again[i];
    if (a.element != b.element || !(a.time == b.time) || !close(a.p_mw, b.p_mw, 1e-9) || a.q_mvar.has_value() != b.q_mvar.has_value() ||
        (a.q_mvar && !close(*a.q_mvar, *b.q_mvar, 1e-9)))
      fuzz::crash("loads round trip", "row " + std::to_string(i) + " changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::input_file(fuzz::as_text(data, size), "observations.csv");
  fuzz::expect_only_citytwin_errors([&] { counts_round_trip(geo::observation_source(file.string(), geo::ObservationKind::Counts)); });
  fuzz::expect_only_citytwin_errors([&] { loads_round_trip(geo::observation_source(file.string(), geo::ObservationKind::Loads)); });
  fuzz::expect_only_citytwin_errors([&] { geo::read_branch_loads(geo::observation_source(file.string(), geo::ObservationKind::BranchLoads), twin()); });
  fuzz::expect_only_citytwin_errors([&] { geo::read_charging(geo::observation_source(file.string(), geo::ObservationKind::Charging)); });
  return 0;
}
