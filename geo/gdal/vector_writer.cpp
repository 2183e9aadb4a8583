#include "geo/gdal/vector_writer.hpp"

#include "core/common/atomic_file.hpp"
#include "geo/gdal/crs.hpp"

namespace citytwin::geo {

LayerWriter::LayerWriter(OGRLayer& layer, std::string path, TransformPtr transform)
    : layer_(layer), path_(std::move(path)), transform_(std::move(transform)), feature_(OGRFeature::CreateFeature(layer.GetLayerDefn())) {}

Point2 LayerWriter::tf(Point2 p) const {
  if (transform_ && !transform_point(*transform_, p))
    throw InvalidInput("coordinate cannot be transformed to the layer's CRS", {.file = path_, .layer = layer_.GetName()});
  return p;
}

void LayerWriter::point(Point2 p) {
  p = tf(p);
  OGRPoint g(p.x, p.y);
  feature_->SetGeometry(&g);
}

void LayerWriter::line(std::span<const Point2> pts) {
  OGRLineString ls;
  ls.setNumPoints(static_cast<int>(pts.size()), FALSE);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Point2 p = tf(pts[i]);
    ls.setPoint(static_cast<int>(i), p.x, p.y);
  }
  feature_->SetGeometry(&ls);
}

void LayerWriter::polygon(const std::vector<std::vector<Point2>>& rings) {
  OGRPolygon poly;
  for (const auto& r : rings) {
    OGRLinearRing ring;
    for (const Point2& q : r) {
      const Point2 p = tf(q);
      ring.addPoint(p.x, p.y);
    }
    ring.closeRings();
    poly.addRing(&ring);
  }
  feature_->SetGeometry(&poly);
}

void LayerWriter::multipolygon(const PolygonColumn& c, std::size_t i) {
  OGRMultiPolygon mp;
  for (auto pi = c.polygon_offsets[i]; pi < c.polygon_offsets[i + 1]; ++pi) {
    OGRPolygon poly;
    for (auto ri = c.ring_offsets[pi]; ri < c.ring_offsets[pi + 1]; ++ri) {
      OGRLinearRing ring;
      for (auto k = c.coord_offsets[ri]; k < c.coord_offsets[ri + 1]; ++k) {
        const Point2 p = tf({c.x[k], c.y[k]});
        ring.addPoint(p.x, p.y);
      }
      poly.addRing(&ring);
    }
    mp.addGeometry(&poly);
  }
  feature_->SetGeometry(&mp);
}

void LayerWriter::no_geometry() { feature_->SetGeometryDirectly(nullptr); }

void LayerWriter::write() {
  feature_->SetFID(OGRNullFID);
  if (layer_.CreateFeature(feature_.get()) != OGRERR_NONE)
    throw IoError("cannot write feature: " + last_gdal_error(), {.file = path_, .layer = layer_.GetName()});
  feature_.reset(OGRFeature::CreateFeature(layer_.GetLayerDefn()));
}

DatasetWriter::DatasetWriter(std::filesystem::path target, const std::string& driver_name)
    : target_(std::move(target)), tmp_(temporary_sibling(target_)) {
  ensure_gdal_initialised();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (!driver) throw IoError("GDAL driver " + driver_name + " is not available", {.file = target_.string()});
  std::error_code ec;
  if (target_.has_parent_path()) std::filesystem::create_directories(target_.parent_path(), ec);
  std::filesystem::remove(tmp_, ec);
  ds_.reset(driver->Create(tmp_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds_) throw IoError("cannot create " + driver_name + " file: " + last_gdal_error(), {.file = target_.string()});
  ds_->StartTransaction();
}

DatasetWriter::~DatasetWriter() {
  if (committed_) return;
  layers_.clear();
  ds_.reset();
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);
}

LayerWriter& DatasetWriter::add_layer(const std::string& name, OGRwkbGeometryType type, const OGRSpatialReference* layer_crs,
                                      const OGRSpatialReference* coords_crs, const std::vector<FieldDef>& fields) {
  OGRSpatialReference* srs = layer_crs ? layer_crs->Clone() : nullptr;
  const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
  OGRLayer* layer = ds_->CreateLayer(name.c_str(), srs, type, const_cast<char**>(options));
  if (srs) srs->Release();
  if (!layer) throw IoError("cannot create layer: " + last_gdal_error(), {.file = target_.string(), .layer = name});
  for (const FieldDef& f : fields) {
    OGRFieldDefn defn(f.name.c_str(), f.type);
    if (layer->CreateField(&defn) != OGRERR_NONE)
      throw IoError("cannot create field: " + last_gdal_error(), {.file = target_.string(), .layer = name, .field = f.name});
  }
  TransformPtr t;
  if (layer_crs && coords_crs && !layer_crs->IsSame(coords_crs)) t = make_transform(*coords_crs, *layer_crs);
  layers_.push_back(std::make_unique<LayerWriter>(*layer, target_.string(), std::move(t)));
  return *layers_.back();
}

void DatasetWriter::set_metadata(const std::string& key, const std::string& value) {
  if (ds_->SetMetadataItem(key.c_str(), value.c_str()) != CE_None)
    throw IoError("cannot set metadata " + key + ": " + last_gdal_error(), {.file = target_.string()});
}

void DatasetWriter::execute(const std::string& sql) {
  CPLErrorReset();
  OGRLayer* result = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (result) ds_->ReleaseResultSet(result);
  if (CPLGetLastErrorType() >= CE_Failure)
    throw IoError(std::string("SQL failed: ") + CPLGetLastErrorMsg() + " (" + sql.substr(0, 80) + ")", {.file = target_.string()});
}

void DatasetWriter::commit() {
  if (ds_->CommitTransaction() != OGRERR_NONE) throw IoError("cannot commit: " + last_gdal_error(), {.file = target_.string()});
  layers_.clear();
  ds_.reset();  // closes and flushes
  std::error_code ec;
  std::filesystem::rename(tmp_, target_, ec);
  if (ec) {
    std::filesystem::remove(tmp_, ec);
    throw IoError("cannot move the finished file into place: " + ec.message(), {.file = target_.string()});
  }
  committed_ = true;
}

}  // namespace citytwin::geo
