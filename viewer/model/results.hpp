#pragma once
// A run's results as the viewer reads them: a view over the
// coupling::SimulationResult of a run started in the viewer
// (coupling::simulate) or of a results GeoPackage (geo::read_results),
// indexed by hour. The per-element quantities the viewer colours by
// (v/c, flow, delay, loading %, ...) are read from the hour's HourResult, NaN
// where the run has no value (an hour it did not solve, a layer the file
// lacks), so the panels never depend on how results were made.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/coupling/simulation.hpp"

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

inline constexpr int kHours = 24;

class Results {
 public:
  Results() { index_.fill(-1); }
  Results(coupling::SimulationResult sim, std::string label);
  const coupling::SimulationResult& simulation() const { return sim_; }
  // The hour's results, or null when the run did not solve that hour.
  const coupling::HourResult* hour(int h) const;

  std::string label;  // "baseline (coupled run)", "scenario: <name> (coupled run)", a file's stem

 private:
  coupling::SimulationResult sim_;
  std::array<int, kHours> index_;
};

// Did the run solve hour h? (A run of `--hours 7-9` has no values at 3.)
bool has_values_at(const Results& r, int h);
// The first such hour, or -1: where the viewer starts when its default hour has none.
int first_hour_with_values(const Results& r);

// The per-element hourly quantities the metrics show.
enum class Quantity : std::uint8_t {
  LinkFlow, LinkSpeed, LinkVc, LinkDelay,             // roads (veh/h, km/h, -, s)
  BusUtilisation, BusEnergised,                       // buses (% of their substation, 1 / 0)
  BranchLoading, SubstationLoading,                   // %
  DistrictVehicleKm, DistrictEvEnergy, DistrictUnserved  // veh.km, kWh, kWh
};
// Value of feature i (NaN: no value). Link delay needs the twin's free-flow times.
double quantity_value(Quantity q, const Twin& twin, const coupling::HourResult& hr, std::size_t i);
// Every feature of the layer at hour h (n features; all NaN when the hour was not run).
std::vector<double> quantity_values(Quantity q, const Twin& twin, const Results& r, int h, std::size_t n);

// Citywide key figures per hour.
enum class Kpi : std::uint8_t { VehicleHours, DelayHours, LoadMw, OverloadedAssets, DarkSignals, UnservedMwh };
// 24 values, NaN for hours not run. OverloadedAssets: branches > 100 % plus substations > 100 %.
std::vector<float> kpi_series(const Results& r, Kpi k);

}  // namespace citytwin::viewer
