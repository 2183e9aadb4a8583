#pragma once
// Core's layer schemas (core/model/layer_schema.hpp) on GDAL: the one place
// that maps column and geometry kinds to OGR types, and writes a layer of the
// twin by looping over its columns.
#include <vector>

#include "core/model/layer_schema.hpp"
#include "core/model/twin.hpp"
#include "geo/gdal/vector_writer.hpp"

namespace citytwin::geo {

OGRFieldType ogr_field_type(schema::ColumnKind kind);
OGRwkbGeometryType ogr_geometry_type(schema::GeometryKind kind);
// The GeoPackage geometry type name (gpkg_geometry_columns), e.g. "MULTIPOLYGON".
const char* gpkg_geometry_name(schema::GeometryKind kind);

// The layer's fields: its id, then its columns.
std::vector<FieldDef> field_defs(const schema::Layer& layer);

// Sets field `field` of the next feature (NULL for an empty cell).
void set_cell(LayerWriter& w, int field, schema::ColumnKind kind, const schema::Cell& value);

// Writes every element of `layer` of `twin`; returns the number written.
std::size_t write_layer(DatasetWriter& ds, const schema::Layer& layer, const Twin& twin, const OGRSpatialReference* srs);

}  // namespace citytwin::geo
