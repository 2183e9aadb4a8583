#pragma once
// Writes vector layers (GeoPackage by default) through GDAL. The dataset is
// built at a temporary sibling path and renamed into place by commit(), so a
// failed or interrupted export never leaves a half-written file at the target.
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "geo/gdal/gdal_handles.hpp"

namespace citytwin::geo {

struct FieldDef {
  std::string name;
  OGRFieldType type = OFTReal;
};

class LayerWriter {
 public:
  LayerWriter(OGRLayer& layer, std::string path, TransformPtr transform);
  // Field values for the next feature, by the index of its FieldDef.
  void set(int field, double value) { feature_->SetField(field, value); }
  void set(int field, std::int64_t value) { feature_->SetField(field, static_cast<GIntBig>(value)); }
  void set(int field, int value) { feature_->SetField(field, value); }
  void set(int field, const std::string& value) { feature_->SetField(field, value.c_str()); }
  void set_null(int field) { feature_->SetFieldNull(field); }
  // Geometry of the next feature; then write() stores it.
  void point(Point2 p);
  void line(std::span<const Point2> pts);
  void multipolygon(const PolygonColumn& column, std::size_t feature);
  void polygon(const std::vector<std::vector<Point2>>& rings);
  void no_geometry();
  void write();

 private:
  Point2 tf(Point2 p) const;
  OGRLayer& layer_;
  std::string path_;
  TransformPtr transform_;
  FeaturePtr feature_;
};

class DatasetWriter {
 public:
  explicit DatasetWriter(std::filesystem::path target, const std::string& driver = "GPKG");
  ~DatasetWriter();
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  // `layer_crs`: the CRS stored in the file; `coords_crs`: the CRS of the
  // coordinates handed to the writer (transformed when they differ).
  LayerWriter& add_layer(const std::string& name, OGRwkbGeometryType type, const OGRSpatialReference* layer_crs,
                         const OGRSpatialReference* coords_crs, const std::vector<FieldDef>& fields);
  // A dataset-level metadata item (GeoPackage: the gpkg_metadata table, which
  // QGIS shows under the layer's metadata), written when the file is closed.
  void set_metadata(const std::string& key, const std::string& value);
  // Runs an SQL statement on the dataset (SQLite dialect for GeoPackage).
  void execute(const std::string& sql);
  // Closes the file and moves it to the target path.
  void commit();

 private:
  std::filesystem::path target_, tmp_;
  DatasetPtr ds_;
  std::vector<std::unique_ptr<LayerWriter>> layers_;
  bool committed_ = false;
};

}  // namespace citytwin::geo
