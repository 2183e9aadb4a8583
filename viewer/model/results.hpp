#pragma once
// The results interface the viewer draws: hourly (0..23) values per road link,
// bus, branch and district, plus citywide KPIs per hour. The traffic, grid and
// coupled-run modules do not exist yet; whatever they produce is adapted to
// this struct (a results GeoPackage reader in geo/ is the intended source, see
// load_results() below reads the coupled run's GeoPackage), so the panels never
// depend on how results are made.
//
// Arrays are hour-major: value of feature i at hour h is values[h * n + i].
// An empty array means "this metric is not in the results" and the viewer
// greys it out; NaN means "no value for this feature at this hour".
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace citytwin {
struct Twin;
}

namespace citytwin::viewer {

inline constexpr int kHours = 24;

class HourlyArray {
 public:
  HourlyArray() = default;
  HourlyArray(std::size_t features, float fill);
  bool empty() const { return values_.empty(); }
  std::size_t features() const { return n_; }
  std::span<const float> hour(int h) const;
  std::span<float> hour(int h);
  float at(int h, std::size_t i) const { return values_[std::size_t(h) * n_ + i]; }
  float& at(int h, std::size_t i) { return values_[std::size_t(h) * n_ + i]; }
  bool operator==(const HourlyArray&) const = default;

 private:
  std::size_t n_ = 0;
  std::vector<float> values_;
};

// Citywide key figures, one value per hour (empty = not available).
struct Kpis {
  std::vector<float> vehicle_hours;      // veh.h travelled in the hour
  std::vector<float> delay_hours;        // veh.h lost against free flow
  std::vector<float> peak_load_mw;       // total grid load
  std::vector<float> overloaded_assets;  // branches > 100 % + substations > 100 %
  std::vector<float> dark_signals;       // signals whose bus is de-energised
  std::vector<float> unserved_mwh;       // energy not served
  bool operator==(const Kpis&) const = default;
};

struct Results {
  std::string label;       // "baseline", "scenario: <name>", ...
  bool synthetic = false;  // true for the demo generator: the viewer says so on the map
  // road links
  HourlyArray link_flow_vph, link_speed_kph, link_vc, link_delay_s;
  // buses
  HourlyArray bus_utilisation_pct, bus_energised;  // energised: 1 / 0
  // branches
  HourlyArray branch_loading_pct;
  // substations
  HourlyArray substation_loading_pct;
  // districts
  HourlyArray district_vehicle_km, district_ev_energy_kwh, district_unserved_kwh;
  Kpis kpis;

  bool operator==(const Results&) const = default;
};

// Does any metric have a value at hour h? (A run of `--hours 7-9` has none at 3.)
bool has_values_at(const Results& r, int h);
// The first such hour, or -1: where the viewer starts when its default hour has none.
int first_hour_with_values(const Results& r);

// Throws InvalidInput when a non-empty array does not match the twin's counts.
void check_results(const Results& r, const Twin& twin);

// Reads results for `twin`: a results GeoPackage written by `citytwin run`
// (or `assign` / `powerflow`) on this twin, or a folder of CSV files
// (documented in viewer/README.md: links.csv, buses.csv, branches.csv,
// substations.csv, districts.csv, kpis.csv, each "hour,id,<metric>..." with a
// header row; any file may be missing).
Results load_results(const std::filesystem::path& path, const Twin& twin);
// Writes the CSV folder (used by tests and by tools that want to feed the viewer).
void write_results_csv(const Results& r, const std::filesystem::path& dir);

}  // namespace citytwin::viewer
