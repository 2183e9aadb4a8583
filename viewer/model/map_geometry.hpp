#pragma once
// The contents of the map's vertex buffers, built once per twin on the CPU
// (no GL here, so it is tested without a window). Coordinates are floats
// relative to `origin` (the extent's centre) so metre precision survives.
// Every vertex carries its feature id; the renderer colours it from a
// per-feature value texture, so an hour change uploads one float per
// feature, never the geometry.
//
// Roads are sorted into chunks by (class, tile of a 16 x 16 grid): level of
// detail draws only the classes that suit the scale, and culling draws only
// the chunks whose box meets the view.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/twin.hpp"

namespace citytwin::viewer {

struct MapVertex {
  float x, y;
  std::uint32_t feature;
};
static_assert(sizeof(MapVertex) == 12);

struct Chunk {
  std::uint32_t first = 0, count = 0;  // vertices
  Box2 box;                            // world coordinates
  std::uint8_t group = 0;              // road class for roads, 0 otherwise
};

struct Batch {
  std::vector<MapVertex> vertices;
  std::vector<Chunk> chunks;
  std::size_t features = 0;
};

// Road geometry is also kept simplified (Douglas-Peucker) at these
// tolerances in metres; a level is drawn once a pixel is at least that many
// metres, so the simplification never moves a line by more than one pixel.
inline constexpr std::array<double, 2> kRoadSimplifyLevels = {8.0, 40.0};

struct MapGeometry {
  Point2 origin;
  Box2 extent;
  Batch roads;             // GL_LINES, chunked by (class, tile), full detail
  std::vector<Batch> roads_simplified;  // one per kRoadSimplifyLevels entry, same chunk keys
  // The road batch for a scale (full detail or a simplified level).
  const Batch& roads_for(double meters_per_pixel) const;
  Batch branches;          // GL_LINES
  Batch district_fill;     // GL_TRIANGLES
  Batch district_outline;  // GL_LINES
  Batch buses, substations, chargers;  // GL_POINTS
  std::size_t fallback_polygons = 0;   // districts finished by the fan fallback
};

MapGeometry build_map_geometry(const Twin& twin, int tiles_per_side = 16);

// What "zoom to extent" shows: the districts' box joined with the box of the
// central 99 % of road nodes (0.5 % cut at each side), so a ferry route or an
// interconnector leaving the city (Malta's reach Sicily) does not shrink the
// city to a corner. Falls back to Twin::extent() for tiny or odd twins.
Box2 view_extent(const Twin& twin);

using RoadClassMask = std::array<bool, std::size_t(RoadClass::Count)>;

// 0 = full detail, k = roads_simplified[k - 1].
std::size_t road_level(double meters_per_pixel);

// Level of detail: the road classes worth drawing at this scale. Small
// networks (< 300k links) draw every class at every scale; large ones drop
// minor classes when zoomed out. Connectors (inferred zone links) only when
// asked for.
RoadClassMask road_lod(double meters_per_pixel, std::size_t link_count, bool show_connectors);

// Line width in pixels for a road class at a scale.
float road_width_px(RoadClass c, double meters_per_pixel);

// Chunks of `batch` that meet `view` and whose group passes `mask` (when given).
std::vector<std::uint32_t> visible_chunks(std::span<const Chunk> chunks, const Box2& view, const RoadClassMask* mask);

}  // namespace citytwin::viewer
