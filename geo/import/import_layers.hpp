#pragma once
// The per-department importers called by import_twin(). Each reads its
// manifest layers into the twin (already in the twin's CRS) and records
// skipped and inferred values in twin.report.
#include "core/model/road_graph_builder.hpp"
#include "geo/gdal/feature_gate.hpp"
#include "geo/import/manifest.hpp"

namespace citytwin::geo {

struct ImportContext {
  const Manifest& manifest;
  const OGRSpatialReference& target_crs;
  Twin& twin;
  FeatureGate gate;

  // Registers a source layer in twin.sources and returns its index.
  std::uint32_t add_source(const LayerSpec& spec);

  // Reads a point layer in the twin's CRS: fn(reader, point, source index)
  // for every feature with a valid point; the others are rejected through the gate.
  template <class Fn>
  void each_point(const LayerSpec& spec, Fn fn) {
    LayerReader r(spec);
    r.set_target_crs(target_crs);
    const std::uint32_t source = add_source(spec);
    Point2 p;
    gate.each_feature(r, [&] {
      const GeometryStatus st = r.point(p);
      if (st != GeometryStatus::Ok) {
        gate.reject_geometry(r, st);
        return;
      }
      fn(r, p, source);
    });
  }
};

// Roads and signals -> twin.roads (graph built, islands handled). Returns stats.
RoadGraphStats import_roads(ImportContext& ctx);
// Substations, buses and lines -> twin.grid.
void import_grid(ImportContext& ctx);
// Districts and EV chargers.
void import_districts(ImportContext& ctx);
void import_chargers(ImportContext& ctx);

// One-way values understood in a mapped `oneway` field.
bool parse_oneway(const std::string& value, OneWay& out);

}  // namespace citytwin::geo
