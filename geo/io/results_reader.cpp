#include "geo/io/results_reader.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include "core/common/errors.hpp"
#include "core/coupling/hour_totals_fields.hpp"
#include "geo/io/crs.hpp"
#include "geo/io/gdal_handles.hpp"
#include "geo/io/results_writer.hpp"

namespace citytwin::geo {

namespace {

struct Column {
  const char* field;
  std::vector<float> coupling::HourResult::*floats = nullptr;
  std::vector<std::uint8_t> coupling::HourResult::*flags = nullptr;
};

// Fills hour results from one `<layer>_hourly_data` table (if present).
void read_table(GDALDataset& ds, const std::string& file, const char* layer, const char* id_field, std::size_t count,
                const std::vector<Column>& columns, std::map<int, std::size_t>& hour_index,
                std::vector<coupling::HourResult>& hours) {
  OGRLayer* l = ds.GetLayerByName(layer);
  if (!l) return;
  OGRFeatureDefn* defn = l->GetLayerDefn();
  const int id = defn->GetFieldIndex(id_field), hour = defn->GetFieldIndex("hour");
  if (id < 0 || hour < 0) throw InvalidInput("results table lacks its id or hour field", {.file = file, .layer = layer});
  std::vector<int> idx;
  for (const auto& c : columns) {
    idx.push_back(defn->GetFieldIndex(c.field));
    if (idx.back() < 0) throw InvalidInput("results table lacks a field", {.file = file, .layer = layer, .field = c.field});
  }
  for (auto& h : hours)
    for (const auto& c : columns) {
      if (c.floats) (h.*c.floats).assign(count, 0.f);
      if (c.flags) (h.*c.flags).assign(count, 0);
    }
  for (FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
    const auto it = hour_index.find(f->GetFieldAsInteger(hour));
    const std::int64_t i = f->GetFieldAsInteger64(id);
    if (it == hour_index.end() || i < 0 || static_cast<std::size_t>(i) >= count)
      throw InvalidInput("row for element " + std::to_string(i) + " or its hour does not fit this twin (" + std::to_string(count) +
                             " elements): was the file written for another twin?",
                         {.file = file, .layer = layer, .feature = f->GetFID()});
    auto& h = hours[it->second];
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].floats) (h.*columns[k].floats)[i] = static_cast<float>(f->GetFieldAsDouble(idx[k]));
      if (columns[k].flags) (h.*columns[k].flags)[i] = static_cast<std::uint8_t>(f->GetFieldAsInteger(idx[k]));
    }
  }
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One geometry layer of a results file, read by element id: every id 0..n-1
// exactly once (the file's rows may come in any order).
class ElementLayer {
 public:
  ElementLayer(GDALDataset& ds, const std::string& file, const char* layer, const char* id_field, std::set<std::string>& missing)
      : file_(file), name_(layer), missing_(missing) {
    layer_ = ds.GetLayerByName(layer);
    if (!layer_) return;
    defn_ = layer_->GetLayerDefn();
    id_ = require(id_field);
    const auto n = layer_->GetFeatureCount();
    rows_.assign(static_cast<std::size_t>(std::max<GIntBig>(n, 0)), nullptr);
    owned_.reserve(rows_.size());
    layer_->ResetReading();
    for (FeaturePtr f(layer_->GetNextFeature()); f; f.reset(layer_->GetNextFeature())) {
      const std::int64_t i = f->GetFieldAsInteger64(id_);
      if (!f->IsFieldSetAndNotNull(id_) || i < 0 || static_cast<std::size_t>(i) >= rows_.size() || rows_[static_cast<std::size_t>(i)])
        throw InvalidInput("element id " + std::to_string(i) + " is missing, repeated or not in 0.." + std::to_string(rows_.size()) +
                               " - 1",
                           where(f.get(), id_field));
      rows_[static_cast<std::size_t>(i)] = f.get();
      owned_.push_back(std::move(f));
    }
    if (owned_.size() != rows_.size())
      throw InvalidInput("layer lists " + std::to_string(rows_.size()) + " features but " + std::to_string(owned_.size()) + " were read",
                         {.file = file_, .layer = name_});
  }
  bool present() const { return layer_ != nullptr; }
  std::size_t size() const { return rows_.size(); }
  OGRFeature& row(std::size_t i) const { return *rows_[i]; }
  SourceLocation where(const OGRFeature* f, const std::string& field = {}) const {
    return {.file = file_, .layer = name_, .feature = f ? std::optional<std::int64_t>(f->GetFID()) : std::nullopt, .field = field};
  }
  int require(const char* field) const {
    const int k = defn_->GetFieldIndex(field);
    if (k < 0) throw InvalidInput("results layer lacks a field", {.file = file_, .layer = name_, .field = field});
    return k;
  }
  // Index of an optional field; -1, and `<layer>.<field>` recorded as missing, when absent.
  int optional(const char* field, const char* what = nullptr) const {
    const int k = defn_->GetFieldIndex(field);
    if (k < 0) missing_.insert(name_ + "." + (what ? what : field));
    return k;
  }
  // Numbers: NaN when the field is absent or NULL.
  std::vector<double> reals(int k) const {
    std::vector<double> v(size(), kNaN);
    if (k >= 0)
      for (std::size_t i = 0; i < size(); ++i)
        if (rows_[i]->IsFieldSetAndNotNull(k)) v[i] = rows_[i]->GetFieldAsDouble(k);
    return v;
  }
  // A required id referring to another layer's element (0..count-1).
  std::uint32_t ref(std::size_t i, int k, const char* field, std::size_t count) const {
    const std::int64_t v = rows_[i]->GetFieldAsInteger64(k);
    if (!rows_[i]->IsFieldSetAndNotNull(k) || v < 0 || static_cast<std::size_t>(v) >= count)
      throw InvalidInput("reference " + std::to_string(v) + " is not in 0.." + std::to_string(count) + " - 1", where(rows_[i], field));
    return static_cast<std::uint32_t>(v);
  }
  OGRGeometry& geometry(std::size_t i) const {
    OGRGeometry* g = rows_[i]->GetGeometryRef();
    if (!g || g->IsEmpty()) throw InvalidInput("element has no geometry", where(rows_[i], "geom"));
    return *g;
  }
  std::vector<Point2> line(std::size_t i) const {
    OGRGeometry& g = geometry(i);
    if (wkbFlatten(g.getGeometryType()) != wkbLineString) throw InvalidInput("expected a LineString", where(rows_[i], "geom"));
    const OGRLineString* ls = g.toLineString();
    std::vector<Point2> pts(static_cast<std::size_t>(ls->getNumPoints()));
    for (int k = 0; k < ls->getNumPoints(); ++k) pts[static_cast<std::size_t>(k)] = {ls->getX(k), ls->getY(k)};
    if (pts.size() < 2) throw InvalidInput("a line needs two points", where(rows_[i], "geom"));
    return pts;
  }
  Point2 point(std::size_t i) const {
    OGRGeometry& g = geometry(i);
    if (wkbFlatten(g.getGeometryType()) != wkbPoint) throw InvalidInput("expected a Point", where(rows_[i], "geom"));
    return {g.toPoint()->getX(), g.toPoint()->getY()};
  }
  void polygons(std::size_t i, PolygonColumn& out) const {
    OGRGeometry& g = geometry(i);
    auto ring = [](const OGRLinearRing* r) {
      std::vector<Point2> pts(static_cast<std::size_t>(r->getNumPoints()));
      for (int k = 0; k < r->getNumPoints(); ++k) pts[static_cast<std::size_t>(k)] = {r->getX(k), r->getY(k)};
      return pts;
    };
    auto polygon = [&](const OGRPolygon* p) {
      std::vector<std::vector<Point2>> rings{ring(p->getExteriorRing())};
      for (int k = 0; k < p->getNumInteriorRings(); ++k) rings.push_back(ring(p->getInteriorRing(k)));
      out.add_polygon(rings);
    };
    out.begin_feature();
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) polygon(g.toPolygon());
    else if (type == wkbMultiPolygon)
      for (const OGRPolygon* p : *g.toMultiPolygon()) polygon(p);
    else throw InvalidInput("expected a (Multi)Polygon", where(rows_[i], "geom"));
  }
  // Provenance from source_id / source_fid (NULL source_id: inferred);
  // none without a `sources` table to resolve it.
  ProvenanceColumn provenance(std::size_t sources, bool have_sources) const {
    ProvenanceColumn p;
    const int s = optional("source_id", "provenance"), f = s >= 0 ? require("source_fid") : -1;
    if (s >= 0 && !have_sources) missing_.insert(name_ + ".provenance");
    if (s < 0 || !have_sources) return p;
    for (std::size_t i = 0; i < size(); ++i) {
      if (!rows_[i]->IsFieldSetAndNotNull(s)) {
        p.add(ProvenanceColumn::kInferred, -1);
        continue;
      }
      const std::uint32_t src = ref(i, s, "source_id", sources);
      p.add(src, rows_[i]->IsFieldSetAndNotNull(f) ? rows_[i]->GetFieldAsInteger64(f) : -1);
    }
    return p;
  }
  std::string crs_wkt() const {
    const OGRSpatialReference* srs = layer_->GetSpatialRef();
    return srs ? geo::crs_wkt(*srs) : std::string();
  }
  std::string crs_name() const {
    const OGRSpatialReference* srs = layer_->GetSpatialRef();
    return srs ? geo::crs_name(*srs) : std::string();
  }

 private:
  std::string file_, name_;
  std::set<std::string>& missing_;
  OGRLayer* layer_ = nullptr;
  OGRFeatureDefn* defn_ = nullptr;
  int id_ = -1;
  std::vector<OGRFeature*> rows_;
  std::vector<FeaturePtr> owned_;
};

template <class T>
std::vector<T> narrow(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

}  // namespace

bool is_sqlite_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[16] = {};
  return in.read(magic, sizeof magic) && std::string(magic, 15) == "SQLite format 3";
}

ResultsTwin read_results_twin(const std::filesystem::path& gpkg) {
  const std::string file = gpkg.string();
  DatasetPtr ds = open_vector(file);
  if (!ds->GetLayerByName("hours"))  // a results file, not any GeoPackage
    throw InvalidInput("not a results file of citytwin run / assign / powerflow (no 'hours' table); open a .twin, or "
                       "a GeoPackage written by citytwin run",
                       {.file = file, .layer = "hours"});
  ResultsTwin out;
  Twin& t = out.twin;
  auto& missing = out.missing;
  // Files before the name was stored: the file's own name stands in.
  if (const char* name = ds->GetMetadataItem(kTwinNameMetadata); name && *name) {
    t.name = name;
  } else {
    t.name = gpkg.stem().string();
    missing.insert("twin.name");
  }

  bool have_sources = false;
  if (ElementLayer src(*ds, file, "sources", "source_id", missing); src.present()) {
    have_sources = true;
    const int dep = src.require("department"), path = src.require("path"), layer = src.require("layer");
    for (std::size_t i = 0; i < src.size(); ++i)
      t.sources.push_back({src.row(i).GetFieldAsString(dep), src.row(i).GetFieldAsString(path), src.row(i).GetFieldAsString(layer)});
  } else {
    missing.insert("sources");
  }

  // roads and their nodes (the lines' end points), signals
  RoadNetwork& r = t.roads;
  ElementLayer roads(*ds, file, "roads", "link_id", missing);
  if (roads.present()) {
    const std::size_t n = roads.size();
    const int cls = roads.require("class"), cap = roads.require("capacity_vph");
    const int from = roads.optional("from_node"), to = from >= 0 ? roads.require("to_node") : -1;
    if (from < 0) missing.insert("roads.to_node");
    std::vector<std::vector<Point2>> lines(n);
    std::map<std::pair<double, double>, std::uint32_t> node_at;  // files without node ids: one node per distinct end point
    std::size_t nodes = 0;
    // Node ids are bounded (a corrupt id must not allocate gigabytes): links have
    // at most 2 n distinct ends; the slack admits a twin's isolated nodes.
    const std::size_t max_nodes = 16 * n + 1024;
    for (std::size_t i = 0; i < n; ++i) {
      lines[i] = roads.line(i);
      r.geometry.add(lines[i]);
      RoadClass c;
      if (!parse_road_class(roads.row(i).GetFieldAsString(cls), c))
        throw InvalidInput(std::string("unknown road class '") + roads.row(i).GetFieldAsString(cls) + "'", roads.where(&roads.row(i), "class"));
      r.road_class.push_back(c);
      if (from >= 0) {
        r.link_from.push_back(roads.ref(i, from, "from_node", max_nodes));
        r.link_to.push_back(roads.ref(i, to, "to_node", max_nodes));
      } else {
        auto node = [&node_at](Point2 p) { return node_at.try_emplace({p.x, p.y}, static_cast<std::uint32_t>(node_at.size())).first->second; };
        r.link_from.push_back(node(lines[i].front()));
        r.link_to.push_back(node(lines[i].back()));
      }
      nodes = std::max<std::size_t>({nodes, r.link_from.back() + 1u, r.link_to.back() + 1u});
    }
    r.node_x.assign(nodes, kNaN);
    r.node_y.assign(nodes, kNaN);
    for (std::size_t i = 0; i < n; ++i) {
      r.node_x[r.link_from[i]] = lines[i].front().x;
      r.node_y[r.link_from[i]] = lines[i].front().y;
      r.node_x[r.link_to[i]] = lines[i].back().x;
      r.node_y[r.link_to[i]] = lines[i].back().y;
    }
    r.node_signal.assign(nodes, 0);
    r.capacity_vph = roads.reals(cap);
    r.length_m = roads.reals(roads.optional("length_m"));
    r.free_flow_s = roads.reals(roads.optional("free_flow_s"));
    r.lanes = narrow<float>(roads.reals(roads.optional("lanes")));
    r.speed_kph = narrow<float>(roads.reals(roads.optional("speed_kph")));
    r.toll.assign(n, kNaN);
    r.bpr_alpha.assign(n, std::numeric_limits<float>::quiet_NaN());
    r.bpr_beta = r.bpr_alpha;
    for (const char* f : {"roads.toll", "roads.bpr", "roads.district", "roads.signals", "districts.zone_node"}) missing.insert(f);
    r.link_source = roads.provenance(t.sources.size(), have_sources);
    t.crs = roads.crs_name();
    t.crs_wkt = roads.crs_wkt();

    ElementLayer signals(*ds, file, "signals", "signal_id", missing);
    if (signals.present()) {
      missing.erase("roads.signals");
      const int node = signals.require("road_node");
      for (std::size_t i = 0; i < signals.size(); ++i) {
        const std::uint32_t v = signals.ref(i, node, "road_node", nodes);
        t.links.signal_node.push_back(v);
        r.node_signal[v] = 1;
      }
    }
  } else {
    missing.insert("roads");
  }
  r.build_adjacency();

  PowerGrid& g = t.grid;
  ElementLayer buses(*ds, file, "buses", "bus_id", missing);
  ElementLayer branches(*ds, file, "branches", "branch_id", missing);
  ElementLayer subs(*ds, file, "substations", "substation_id", missing);
  if (buses.present()) {
    g.bus_kv = buses.reals(buses.require("kv"));
    for (std::size_t i = 0; i < buses.size(); ++i) {
      const Point2 p = buses.point(i);
      g.bus_x.push_back(p.x);
      g.bus_y.push_back(p.y);
    }
    g.bus_type.assign(buses.size(), BusType::PQ);
    g.bus_energised.assign(buses.size(), 1);
    missing.insert("buses.type");
    missing.insert("buses.energised");
    const int sub = buses.optional("substation_id");
    for (std::size_t i = 0; i < buses.size(); ++i)
      g.bus_substation.push_back(sub >= 0 && buses.row(i).IsFieldSetAndNotNull(sub)
                                     ? static_cast<std::int32_t>(buses.ref(i, sub, "substation_id", subs.size()))
                                     : -1);
    g.bus_source = buses.provenance(t.sources.size(), have_sources);
    if (t.crs.empty()) {
      t.crs = buses.crs_name();
      t.crs_wkt = buses.crs_wkt();
    }
  } else {
    missing.insert("buses");
  }
  if (branches.present()) {
    const std::size_t n = branches.size();
    g.branch_rating_mva = branches.reals(branches.require("rating_mva"));
    const int from = branches.optional("from_bus"), to = from >= 0 ? branches.require("to_bus") : -1;
    if (from < 0) missing.insert("branches.to_bus");
    const int kind = branches.optional("kind");
    for (std::size_t i = 0; i < n; ++i) {
      g.branch_geometry.add(branches.line(i));
      g.branch_from.push_back(from >= 0 ? branches.ref(i, from, "from_bus", g.bus_count()) : 0);
      g.branch_to.push_back(to >= 0 ? branches.ref(i, to, "to_bus", g.bus_count()) : 0);
      const std::string k = kind >= 0 ? branches.row(i).GetFieldAsString(kind) : "line";
      if (k == "line") g.branch_kind.push_back(BranchKind::Line);
      else if (k == "cable") g.branch_kind.push_back(BranchKind::Cable);
      else if (k == "transformer") g.branch_kind.push_back(BranchKind::Transformer);
      else throw InvalidInput("unknown branch kind '" + k + "' (line, cable, transformer)", branches.where(&branches.row(i), "kind"));
    }
    g.branch_r.assign(n, kNaN);
    g.branch_x.assign(n, kNaN);
    g.branch_b.assign(n, kNaN);
    g.branch_in_service.assign(n, 1);
    missing.insert("branches.impedance");
    missing.insert("branches.in_service");
    g.branch_source = branches.provenance(t.sources.size(), have_sources);
  } else {
    missing.insert("branches");
  }
  if (subs.present()) {
    const int name = subs.require("name");
    g.substation_capacity_mva = subs.reals(subs.require("capacity_mva"));
    const int bus = subs.optional("bus_id");
    for (std::size_t k = 0; k < subs.size(); ++k) {
      subs.polygons(k, g.substation_shape);
      const Point2 c = g.substation_shape.centroid(k);
      g.substation_x.push_back(c.x);
      g.substation_y.push_back(c.y);
      g.substation_name.push_back(subs.row(k).GetFieldAsString(name));
      g.substation_bus.push_back(bus >= 0 ? subs.ref(k, bus, "bus_id", g.bus_count()) : 0);
    }
    g.substation_source = subs.provenance(t.sources.size(), have_sources);
  } else {
    missing.insert("substations");
  }

  Districts& d = t.districts;
  ElementLayer districts(*ds, file, "districts", "district_id", missing);
  if (districts.present()) {
    const int name = districts.require("name");
    for (std::size_t i = 0; i < districts.size(); ++i) {
      districts.polygons(i, d.shape);
      d.name.push_back(districts.row(i).GetFieldAsString(name));
    }
    d.derive_area_and_centroids();
    d.population = districts.reals(districts.optional("population"));
    d.households = districts.reals(districts.optional("households"));
    d.jobs = districts.reals(districts.optional("jobs"));
    d.jobs_retail.assign(d.size(), kNaN);
    d.jobs_service = d.jobs_other = d.jobs_retail;
    missing.insert("districts.jobs_by_sector");
    missing.insert("districts.substations");
    d.source = districts.provenance(t.sources.size(), have_sources);
    if (t.crs.empty()) {
      t.crs = districts.crs_name();
      t.crs_wkt = districts.crs_wkt();
    }
  } else {
    missing.insert("districts");
  }
  missing.insert("chargers");
  return out;
}

coupling::SimulationResult read_results(const std::filesystem::path& gpkg, const Twin& twin) {
  const std::string file = gpkg.string();
  DatasetPtr ds = open_vector(file);
  coupling::SimulationResult res;
  std::map<int, std::size_t> hour_index;
  {
    OGRLayer& l = require_layer(*ds, file, "hours");
    for (FeaturePtr f(l.GetNextFeature()); f; f.reset(l.GetNextFeature())) {
      coupling::HourResult h;
      auto& t = h.totals;
      res.scenario = f->GetFieldAsString("scenario");
      // Totals added after a file was written read as 0.
      for (const auto& field : coupling::hour_total_fields())
        if (const int k = f->GetFieldIndex(std::string(field.name).c_str()); field.in(coupling::kGpkg) && k >= 0)
          field.set(t, f->GetFieldAsDouble(k));
      if (t.hour < 0 || t.hour > 23 || hour_index.count(t.hour))
        throw InvalidInput("hour " + std::to_string(t.hour) + " is out of range or repeated", {.file = file, .layer = "hours", .feature = f->GetFID()});
      hour_index[t.hour] = res.hours.size();
      res.hours.push_back(std::move(h));
    }
  }
  bool any = false;
  for (const char* t : {"roads_hourly_data", "buses_hourly_data", "districts_hourly_data"}) any = any || ds->GetLayerByName(t);
  if (!any)
    throw InvalidInput("no hourly result tables (roads_hourly_data, buses_hourly_data, districts_hourly_data): not a results file "
                       "of this citytwin version; re-run it with citytwin run",
                       {.file = file});
  using H = coupling::HourResult;
  const auto signals = twin.signal_nodes().size();
  read_table(*ds, file, "roads_hourly_data", "link_id", twin.roads.link_count(),
             {{"flow", &H::link_flow}, {"time_s", &H::link_time_s}, {"speed_kph", &H::link_speed_kph}, {"vc", &H::link_vc},
              {"capacity_factor", &H::link_capacity_factor}},
             hour_index, res.hours);
  read_table(*ds, file, "signals_hourly_data", "signal_id", signals, {{"dark", nullptr, &H::signal_dark}}, hour_index, res.hours);
  read_table(*ds, file, "buses_hourly_data", "bus_id", twin.grid.bus_count(),
             {{"load_mw", &H::bus_load_mw}, {"energised", nullptr, &H::bus_energised}}, hour_index, res.hours);
  read_table(*ds, file, "branches_hourly_data", "branch_id", twin.grid.branch_count(), {{"loading_pct", &H::branch_loading_pct}},
             hour_index, res.hours);
  read_table(*ds, file, "substations_hourly_data", "substation_id", twin.grid.substation_count(),
             {{"load_mva", &H::substation_load_mva}, {"utilisation", &H::substation_utilisation}, {"failed", nullptr, &H::substation_failed}},
             hour_index, res.hours);
  read_table(*ds, file, "districts_hourly_data", "district_id", twin.districts.size(),
             {{"vehicle_km", &H::district_vkt}, {"vehicle_hours", &H::district_vht}, {"delay_hours", &H::district_delay_h},
              {"load_mw", &H::district_load_mw}, {"unserved_mwh", &H::district_unserved_mwh}, {"ev_mwh", &H::district_ev_mwh}},
             hour_index, res.hours);
  return res;
}

}  // namespace citytwin::geo
