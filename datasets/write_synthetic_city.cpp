#include "datasets/write_synthetic_city.hpp"

#include <fstream>

#include "core/common/atomic_file.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/vector_writer.hpp"

namespace citytwin::datasets {

namespace {

const char* kManifest = R"(# citytwin source manifest for the synthetic city (written by `citytwin generate`).
# Each department delivered its own file, CRS and field names; this maps them onto the twin.
# The format is documented in datasets/manifests/README.md.

[city]
name = "Synthetic city"
crs = "auto"                 # UTM zone of the roads' extent
snap_tolerance_m = 0.5
grid_snap_tolerance_m = 30
service_rule = "voronoi"
connectors_per_zone = 2
slack = "Bulk supply point"

[roads]                      # transport department, EPSG:4326
source = "roads.gpkg"
layer = "streets"
[roads.fields]
id = "STREET_ID"
class = "FCLASS"
lanes = "NUM_LANES"
speed = "SPEED_MPH"
capacity = "CAP_VPH"
oneway = "ONEWAY"
[roads.units]
speed = "mph"
capacity = "veh/h"

[signals]                    # transport department
source = "roads.gpkg"
layer = "traffic_signals"

[grid.substations]           # energy utility, EPSG:32633
source = "grid.gpkg"
layer = "substations"
[grid.substations.fields]
id = "SUBST_ID"
name = "SUBST_NAME"
kv = "VOLT_KV"
capacity_mva = "CAP_MVA"

[grid.lines]
source = "grid.gpkg"
layer = "hv_lines"
[grid.lines.fields]
id = "LINE_ID"
kv = "VOLT_KV"
kind = "TYPE"
r_ohm_per_km = "R_OHM_KM"
x_ohm_per_km = "X_OHM_KM"
c_nf_per_km = "C_NF_KM"
rating_mva = "RATING_MVA"
circuits = "CIRCUITS"

[chargers]                   # energy utility
source = "grid.gpkg"
layer = "ev_chargers"
[chargers.fields]
plugs = "PLUGS"
kw_per_plug = "KW_PER_PLUG"

[districts]                  # planning department, EPSG:3857
source = "districts.gpkg"
layer = "planning_districts"
[districts.fields]
id = "DIST_CODE"
name = "DIST_NAME"
population = "POP_TOTAL"
households = "HH_TOTAL"
jobs = "EMP_TOTAL"
jobs_retail = "EMP_RETAIL"
jobs_service = "EMP_SERV"
jobs_other = "EMP_OTHER"
)";

}  // namespace

WrittenCity write_synthetic_city(const SyntheticCity& city, const std::filesystem::path& folder) {
  using geo::FieldDef;
  const auto metric = geo::parse_crs(kSyntheticCrs, "synthetic");
  const auto wgs84 = geo::parse_crs("EPSG:4326", "roads");
  const auto mercator = geo::parse_crs("EPSG:3857", "districts");
  WrittenCity out;

  {
    geo::DatasetWriter ds(folder / "roads.gpkg");
    auto& streets = ds.add_layer("streets", wkbLineString, wgs84.get(), metric.get(),
                                 {{"STREET_ID", OFTInteger64}, {"FCLASS", OFTString}, {"NUM_LANES", OFTInteger},
                                  {"SPEED_MPH", OFTReal}, {"CAP_VPH", OFTReal}, {"ONEWAY", OFTString}});
    std::int64_t id = 1000;
    for (const auto& r : city.roads) {
      streets.set(0, id++);
      streets.set(1, r.fclass);
      streets.set(2, r.lanes_total);
      streets.set(3, r.speed_mph);
      streets.set(4, r.capacity_vph);
      streets.set(5, r.oneway);
      streets.line(r.line);
      streets.write();
    }
    auto& signals = ds.add_layer("traffic_signals", wkbPoint, wgs84.get(), metric.get(), {{"SIGNAL_ID", OFTInteger64}});
    for (std::size_t s = 0; s < city.signals.size(); ++s) {
      signals.set(0, static_cast<std::int64_t>(s + 1));
      signals.point(city.signals[s]);
      signals.write();
    }
    ds.commit();
  }
  {
    geo::DatasetWriter ds(folder / "grid.gpkg");
    auto& subs = ds.add_layer("substations", wkbPolygon, metric.get(), metric.get(),
                              {{"SUBST_ID", OFTString}, {"SUBST_NAME", OFTString}, {"VOLT_KV", OFTReal}, {"CAP_MVA", OFTReal}});
    for (std::size_t k = 0; k < city.substations.size(); ++k) {
      const auto& s = city.substations[k];
      subs.set(0, std::string("SS").append(std::to_string(k + 1)));
      subs.set(1, s.name);
      subs.set(2, s.kv);
      subs.set(3, s.capacity_mva);
      subs.polygon({s.ring});
      subs.write();
    }
    auto& lines = ds.add_layer("hv_lines", wkbLineString, metric.get(), metric.get(),
                               {{"LINE_ID", OFTString}, {"VOLT_KV", OFTReal}, {"TYPE", OFTString}, {"R_OHM_KM", OFTReal},
                                {"X_OHM_KM", OFTReal}, {"C_NF_KM", OFTReal}, {"RATING_MVA", OFTReal}, {"CIRCUITS", OFTInteger}});
    for (std::size_t l = 0; l < city.lines.size(); ++l) {
      const auto& ln = city.lines[l];
      lines.set(0, std::string("L").append(std::to_string(l + 1)));
      lines.set(1, ln.kv);
      lines.set(2, std::string(ln.cable ? "cable" : "line"));
      if (ln.r_ohm_km >= 0) lines.set(3, ln.r_ohm_km); else lines.set_null(3);
      if (ln.x_ohm_km >= 0) lines.set(4, ln.x_ohm_km); else lines.set_null(4);
      if (ln.c_nf_km >= 0) lines.set(5, ln.c_nf_km); else lines.set_null(5);
      lines.set(6, ln.rating_mva);
      lines.set(7, ln.circuits);
      lines.line(ln.line);
      lines.write();
    }
    auto& chargers = ds.add_layer("ev_chargers", wkbPoint, metric.get(), metric.get(), {{"PLUGS", OFTInteger}, {"KW_PER_PLUG", OFTReal}});
    for (const auto& c : city.chargers) {
      chargers.set(0, c.plugs);
      chargers.set(1, c.kw_per_plug);
      chargers.point(c.p);
      chargers.write();
    }
    ds.commit();
  }
  {
    geo::DatasetWriter ds(folder / "districts.gpkg");
    auto& d = ds.add_layer("planning_districts", wkbPolygon, mercator.get(), metric.get(),
                           {{"DIST_CODE", OFTString}, {"DIST_NAME", OFTString}, {"POP_TOTAL", OFTReal}, {"HH_TOTAL", OFTReal},
                            {"EMP_TOTAL", OFTReal}, {"EMP_RETAIL", OFTReal}, {"EMP_SERV", OFTReal}, {"EMP_OTHER", OFTReal}});
    for (const auto& x : city.districts) {
      d.set(0, x.code);
      d.set(1, x.name);
      d.set(2, x.population);
      d.set(3, x.households);
      d.set(4, x.jobs);
      d.set(5, x.jobs_retail);
      d.set(6, x.jobs_service);
      d.set(7, x.jobs_other);
      d.polygon({x.ring});
      d.write();
    }
    ds.commit();
  }
  out.manifest = folder / "manifest.toml";
  write_atomically(out.manifest, [](const std::filesystem::path& tmp) {
    std::ofstream f(tmp);
    f << kManifest;
    if (!f) throw IoError("cannot write manifest", {.file = tmp.string()});
  });
  out.roads = city.roads.size();
  out.signals = city.signals.size();
  out.substations = city.substations.size();
  out.lines = city.lines.size();
  out.districts = city.districts.size();
  out.chargers = city.chargers.size();
  return out;
}

}  // namespace citytwin::datasets
