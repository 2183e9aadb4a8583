#include "geo/gdal/gdal_handles.hpp"

#include <cpl_error.h>

#include <mutex>

#include "geo/gdal/postgis.hpp"

namespace citytwin::geo {

namespace {
// GDAL reports errors through a handler; keep the last message per thread so
// our exceptions can quote it instead of GDAL printing to stderr.
thread_local std::string t_last_error;

void CPL_STDCALL capture_error(CPLErr level, CPLErrorNum, const char* message) {
  if (level >= CE_Failure) t_last_error = message ? message : "";
}
}  // namespace

void ensure_gdal_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    CPLSetErrorHandler(capture_error);
  });
}

std::string last_gdal_error() { return t_last_error; }

DatasetPtr open_vector(const std::string& source) {
  ensure_gdal_initialised();
  if (is_postgis_source(source)) reject_inline_password(source, "the data source");
  t_last_error.clear();
  auto* ds = static_cast<GDALDataset*>(GDALOpenEx(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) {
    std::string why = last_gdal_error();
    throw IoError("cannot open vector data source" + (why.empty() ? std::string() : ": " + why), {.file = source});
  }
  return DatasetPtr(ds);
}

OGRLayer& require_layer(GDALDataset& ds, const std::string& source, const std::string& layer) {
  OGRLayer* l = ds.GetLayerByName(layer.c_str());
  if (l) return *l;
  std::string names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) {
    if (!names.empty()) names += ", ";
    names += ds.GetLayer(i)->GetName();
  }
  throw InvalidInput("no such layer; the data source has: " + (names.empty() ? std::string("(no layers)") : names),
                     {.file = source, .layer = layer});
}

}  // namespace citytwin::geo
