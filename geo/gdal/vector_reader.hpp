#pragma once
// Reads one department layer as named in the manifest: resolves the field
// mapping up front (a missing field fails before any feature is read),
// transforms geometry into the twin's CRS, and reports problems with the
// file, layer, feature id and field.
#include <optional>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/gdal/layer_spec.hpp"

namespace citytwin::geo {

enum class GeometryStatus { Ok, Empty, NonFinite, WrongType, Invalid, TransformFailed };
const char* geometry_status_text(GeometryStatus s);

using Ring = std::vector<Point2>;
using Polygon = std::vector<Ring>;  // outer ring first, then holes

class LayerReader {
 public:
  explicit LayerReader(const LayerSpec& spec);
  ~LayerReader();
  LayerReader(const LayerReader&) = delete;
  LayerReader& operator=(const LayerReader&) = delete;

  const LayerSpec& spec() const { return spec_; }
  // The layer's CRS (or the manifest's `crs` when the layer has none).
  const OGRSpatialReference& source_crs() const { return *source_crs_; }
  // All further geometry is returned in `target`.
  void set_target_crs(const OGRSpatialReference& target);
  // The layer's extent centre in WGS 84 longitude/latitude (for picking a UTM zone).
  Point2 centre_lonlat();
  std::int64_t feature_count();

  // Advances to the next feature; false at the end.
  bool next();
  std::int64_t fid() const;
  bool has(const std::string& attribute) const { return spec_.field(attribute) != nullptr; }

  // Mapped attribute values: nullopt when unmapped or NULL. A value that is
  // present but not a number throws InvalidInput naming the feature and field.
  std::optional<double> number(const std::string& attribute) const;
  std::optional<std::string> text(const std::string& attribute) const;

  // Geometry of the current feature in the target CRS.
  GeometryStatus lines(std::vector<std::vector<Point2>>& parts) const;
  GeometryStatus point(Point2& p) const;          // a polygon yields its centroid
  GeometryStatus polygons(std::vector<Polygon>& parts, bool check_validity) const;
  bool is_polygonal() const;

  SourceLocation where(const std::string& attribute = "") const;

 private:
  int field_index(const std::string& attribute) const;
  bool transform(Point2& p) const;

  LayerSpec spec_;
  GdalNetworkGuard network_guard_;  // before ds_: set while the source is opened and read
  DatasetPtr ds_;
  OGRLayer* layer_ = nullptr;
  bool owns_result_set_ = false;
  std::unique_ptr<OGRSpatialReference> source_crs_;
  TransformPtr to_target_;
  FeaturePtr feature_;
  std::map<std::string, int> field_index_;
};

}  // namespace citytwin::geo
