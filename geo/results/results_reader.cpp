#include "geo/results/results_reader.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <memory>

#include "core/common/errors.hpp"
#include "core/coupling/hour_totals_fields.hpp"
#include "core/coupling/result_layers.hpp"
#include "core/model/twin_layers.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/results/results_writer.hpp"

namespace citytwin::geo {

namespace {

// Fills hour results from one `<layer>_hourly_data` table (if present).
void read_table(GDALDataset& ds, const std::string& file, const coupling::HourlyTable& table, std::size_t count,
                const std::map<int, std::size_t>& hour_index, std::vector<coupling::HourResult>& hours) {
  const std::string layer = table.table();
  OGRLayer* l = ds.GetLayerByName(layer.c_str());
  if (!l) return;
  OGRFeatureDefn* defn = l->GetLayerDefn();
  const int id = defn->GetFieldIndex(table.id.c_str()), hour = defn->GetFieldIndex("hour");
  if (id < 0 || hour < 0) throw InvalidInput("results table lacks its id or hour field", {.file = file, .layer = layer});
  std::vector<const coupling::HourlyColumn*> columns;  // those read back (derived ones are not)
  std::vector<int> idx;
  for (const auto& c : table.columns) {
    if (!c.floats && !c.flags) continue;
    columns.push_back(&c);
    idx.push_back(defn->GetFieldIndex(c.name.c_str()));
    if (idx.back() < 0) throw InvalidInput("results table lacks a field", {.file = file, .layer = layer, .field = c.name});
  }
  for (auto& h : hours)
    for (const auto* c : columns) {
      if (c->floats) (h.*c->floats).assign(count, 0.f);
      if (c->flags) (h.*c->flags).assign(count, 0);
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
      if (columns[k]->floats) (h.*columns[k]->floats)[i] = static_cast<float>(f->GetFieldAsDouble(idx[k]));
      if (columns[k]->flags) (h.*columns[k]->flags)[i] = static_cast<std::uint8_t>(f->GetFieldAsInteger(idx[k]));
    }
  }
}

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
  std::vector<std::vector<std::vector<Point2>>> polygons(std::size_t i) const {
    OGRGeometry& g = geometry(i);
    auto ring = [](const OGRLinearRing* r) {
      std::vector<Point2> pts(static_cast<std::size_t>(r->getNumPoints()));
      for (int k = 0; k < r->getNumPoints(); ++k) pts[static_cast<std::size_t>(k)] = {r->getX(k), r->getY(k)};
      return pts;
    };
    std::vector<std::vector<std::vector<Point2>>> out;
    auto polygon = [&](const OGRPolygon* p) {
      std::vector<std::vector<Point2>> rings{ring(p->getExteriorRing())};
      for (int k = 0; k < p->getNumInteriorRings(); ++k) rings.push_back(ring(p->getInteriorRing(k)));
      out.push_back(std::move(rings));
    };
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) polygon(g.toPolygon());
    else if (type == wkbMultiPolygon)
      for (const OGRPolygon* p : *g.toMultiPolygon()) polygon(p);
    else throw InvalidInput("expected a (Multi)Polygon", where(rows_[i], "geom"));
    return out;
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
  // The value of field k of element i as a schema cell (NULL: monostate).
  schema::Cell cell(std::size_t i, int k, schema::ColumnKind kind) const {
    const OGRFeature& f = *rows_[i];
    if (!f.IsFieldSetAndNotNull(k)) return {};
    switch (kind) {
      case schema::ColumnKind::Real: return f.GetFieldAsDouble(k);
      case schema::ColumnKind::Int:
      case schema::ColumnKind::Int64: return static_cast<std::int64_t>(f.GetFieldAsInteger64(k));
      case schema::ColumnKind::Text: return std::string(f.GetFieldAsString(k));
    }
    return {};
  }
  schema::Shape shape(std::size_t i, schema::GeometryKind kind) const {
    schema::Shape s;
    if (kind == schema::GeometryKind::Point) s.point = point(i);
    else if (kind == schema::GeometryKind::LineString) s.line = line(i);
    else if (kind == schema::GeometryKind::MultiPolygon) s.polygons = polygons(i);
    return s;
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

// Reads one layer's columns into the twin, checking references and naming
// the feature and field of a bad value.
void read_columns(const ElementLayer& el, const schema::Layer& layer, Twin& t, const schema::RowCounts& rows) {
  for (const auto& c : layer.columns) {
    if (!c.set) continue;
    const int k = c.required ? el.require(c.name.c_str()) : el.optional(c.name.c_str());
    const std::size_t bound = k >= 0 && c.bound ? c.bound(t, rows) : 0;
    for (std::size_t i = 0; i < el.size(); ++i) {
      const schema::Cell v = k >= 0 ? el.cell(i, k, c.kind) : schema::Cell{};
      if (k >= 0 && c.bound && !(c.nullable && std::holds_alternative<std::monostate>(v))) el.ref(i, k, c.name.c_str(), bound);
      try {
        c.set(t, i, v);
      } catch (const InvalidInput& e) {
        throw InvalidInput(e.message(), el.where(&el.row(i), c.name));
      }
    }
  }
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
  // Every layer's rows first: references are checked against the file's counts.
  const auto& layers = schema::results_twin_layers();
  std::vector<std::unique_ptr<ElementLayer>> elements;
  schema::RowCounts rows;
  for (const auto& layer : layers) {
    elements.push_back(std::make_unique<ElementLayer>(*ds, file, layer.name.c_str(), layer.id.c_str(), missing));
    if (elements.back()->present()) rows[layer.name] = elements.back()->size();
  }
  const bool have_sources = rows.count("sources") > 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const schema::Layer& layer = layers[l];
    const ElementLayer& el = *elements[l];
    if (!el.present()) {
      if (layer.missing_when_absent) missing.insert(layer.name);
      continue;
    }
    if (layer.set_shape)
      for (std::size_t i = 0; i < el.size(); ++i) layer.set_shape(t, i, el.shape(i, layer.geometry));
    read_columns(el, layer, t, rows);
    if (layer.provenance) layer.provenance(t) = el.provenance(t.sources.size(), have_sources);
    if (layer.complete) layer.complete(t, missing);
    if (t.crs.empty() && layer.geometry != schema::GeometryKind::None) {
      t.crs = el.crs_name();
      t.crs_wkt = el.crs_wkt();
    }
  }
  t.roads.build_adjacency();
  missing.insert("chargers");  // results files hold no chargers
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
  for (const auto& table : coupling::hourly_tables()) read_table(*ds, file, table, table.count(twin), hour_index, res.hours);
  return res;
}

}  // namespace citytwin::geo
