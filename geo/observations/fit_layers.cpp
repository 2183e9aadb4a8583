#include "geo/observations/fit_layers.hpp"

#include <cmath>
#include <map>

#include "geo/gdal/crs.hpp"
#include "geo/gdal/vector_writer.hpp"

namespace citytwin::geo {

namespace obs = citytwin::observations;

namespace {
void set_number(LayerWriter& w, int field, double v) {
  if (std::isfinite(v)) w.set(field, v);
  else w.set_null(field);
}

void write_quality(DatasetWriter& ds, const std::string& dataset, const obs::QualityReport& q, const std::vector<std::string>& names,
                   LayerWriter& layer) {
  for (const auto& i : q.issues) {
    layer.set(0, dataset);
    layer.set(1, std::string(obs::finding_name(i.kind)));
    layer.set(2, i.element < names.size() ? names[i.element] : std::to_string(i.element));
    layer.set(3, i.time.iso());
    layer.set(4, static_cast<std::int64_t>(i.row));
    set_number(layer, 5, i.value);
    layer.set(6, i.detail);
    layer.no_geometry();
    layer.write();
  }
}
}  // namespace

void write_fit_layers(const Twin& twin, const FitLayers& fit, const std::filesystem::path& gpkg) {
  auto srs = parse_crs(twin.crs_wkt.empty() ? twin.crs : twin.crs_wkt, "the twin's CRS");
  DatasetWriter ds(gpkg);
  const std::string day = obs::day_type_name(fit.day_type);
  std::vector<std::string> station_names;
  if (fit.stations && fit.matches) {
    for (const auto& s : fit.stations->stations) station_names.push_back(s.name);
    std::map<std::uint32_t, std::pair<double, double>> geh;  // station -> (sum, max)
    std::map<std::uint32_t, int> hours;
    if (fit.counts)
      for (const auto& r : fit.counts->rows) {
        auto& g = geh[r.element];
        g.first += r.geh;
        g.second = std::max(g.second, r.geh);
        ++hours[r.element];
      }
    auto& st = ds.add_layer("fit_stations", wkbPoint, srs.get(), srs.get(),
                            {{"station", OFTString}, {"status", OFTString}, {"link_id", OFTInteger64}, {"distance_m", OFTReal},
                             {"bearing_deg", OFTReal}, {"link_bearing_deg", OFTReal}, {"reason", OFTString}, {"hours", OFTInteger},
                             {"mean_geh", OFTReal}, {"max_geh", OFTReal}});
    for (std::uint32_t s = 0; s < fit.stations->stations.size(); ++s) {
      const auto& station = fit.stations->stations[s];
      const StationMatch& m = fit.matches->stations[s];
      st.set(0, station.name);
      st.set(1, std::string(match_status_name(m.status)));
      if (m.link >= 0) st.set(2, m.link);
      else st.set_null(2);
      set_number(st, 3, m.distance_m);
      set_number(st, 4, station.bearing_deg.value_or(NAN));
      set_number(st, 5, m.link_bearing_deg);
      st.set(6, m.reason);
      st.set(7, hours.count(s) ? hours[s] : 0);
      set_number(st, 8, hours.count(s) ? geh[s].first / hours[s] : NAN);
      set_number(st, 9, hours.count(s) ? geh[s].second : NAN);
      st.point(station.position);
      st.write();
    }
  }
  if (fit.stations && fit.counts) {
    auto& c = ds.add_layer("fit_counts", wkbPoint, srs.get(), srs.get(),
                           {{"station", OFTString}, {"link_id", OFTInteger64}, {"hour", OFTInteger}, {"day_type", OFTString},
                            {"observed", OFTReal}, {"days", OFTInteger}, {"modelled", OFTReal}, {"geh", OFTReal}});
    for (const auto& r : fit.counts->rows) {
      c.set(0, fit.stations->stations[r.element].name);
      c.set(1, r.link);
      c.set(2, r.hour);
      c.set(3, day);
      c.set(4, r.observed);
      c.set(5, static_cast<int>(r.days));
      c.set(6, r.modelled);
      set_number(c, 7, r.geh);
      c.point(fit.stations->stations[r.element].position);
      c.write();
    }
  }
  if (fit.loads) {
    const PowerGrid& g = twin.grid;
    auto& l = ds.add_layer("fit_substations", wkbPoint, srs.get(), srs.get(),
                           {{"substation_id", OFTInteger64}, {"name", OFTString}, {"hour", OFTInteger}, {"day_type", OFTString},
                            {"observed_mw", OFTReal}, {"days", OFTInteger}, {"modelled_mw", OFTReal}, {"ape_pct", OFTReal}});
    for (const auto& r : fit.loads->rows) {
      l.set(0, static_cast<std::int64_t>(r.element));
      l.set(1, g.substation_name[r.element]);
      l.set(2, r.hour);
      l.set(3, day);
      l.set(4, r.observed);
      l.set(5, static_cast<int>(r.days));
      l.set(6, r.modelled);
      set_number(l, 7, r.observed != 0 ? std::abs(r.modelled - r.observed) / std::abs(r.observed) * 100 : NAN);
      l.point({g.substation_x[r.element], g.substation_y[r.element]});
      l.write();
    }
  }
  auto& q = ds.add_layer("fit_quality", wkbNone, nullptr, nullptr,
                         {{"dataset", OFTString}, {"kind", OFTString}, {"element", OFTString}, {"time", OFTString}, {"row", OFTInteger64},
                          {"value", OFTReal}, {"detail", OFTString}});
  if (fit.counts) write_quality(ds, "counts", fit.counts->quality, station_names, q);
  if (fit.loads) write_quality(ds, "loads", fit.loads->quality, twin.grid.substation_name, q);
  ds.commit();
}

}  // namespace citytwin::geo
