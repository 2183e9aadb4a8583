#pragma once
// The one GDAL adapter: owning handles and errors that name the data source,
// layer and field (the libosmium pattern). Nothing else includes gdal headers
// in a public interface.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

#include "core/common/errors.hpp"

namespace citytwin::geo {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* t) const { OGRCoordinateTransformation::DestroyCT(t); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Registers GDAL drivers once and routes GDAL's own error printing into
// exceptions' messages instead of stderr.
void ensure_gdal_initialised();

// Last GDAL error text (empty if none).
std::string last_gdal_error();

// Opens a vector data source read-only; throws IoError naming it.
DatasetPtr open_vector(const std::string& source);

// Finds a layer by name; throws InvalidInput listing the layers that exist.
OGRLayer& require_layer(GDALDataset& ds, const std::string& source, const std::string& layer);

}  // namespace citytwin::geo
