#pragma once
// Draws the map layers from vertex buffers (one VBO per layer, uploaded once
// per twin) with one small shader: each vertex fetches its feature's colour
// coordinate from a per-layer value texture (texture buffer, R32F) and looks
// it up in the layer's 256-texel colour map. Changing the hour, the metric or
// the colour map uploads one float per feature and 1 KiB of colours.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "viewer/model/camera.hpp"
#include "viewer/model/colormap.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/metrics.hpp"
#include "viewer/gl/gl.hpp"

namespace citytwin::viewer {

class MapRenderer {
 public:
  MapRenderer() = default;
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // Needs a current OpenGL 3.3 core context. Throws BackendUnavailable.
  void init();
  void upload(const MapGeometry& geometry);
  // Colour coordinates (one per feature, see MetricField::coords) and LUT of a layer.
  void set_layer_style(Layer layer, std::span<const float> coords, const std::array<Rgba, 256>& lut);

  struct LayerDraw {
    bool visible = false;
    float opacity = 1;
    float point_size_px = 6;
  };
  struct Frame {
    Camera camera;                   // viewport = the map rectangle in UI points
    int gl_x = 0, gl_y = 0;          // lower-left corner of the map rectangle in framebuffer pixels (GL convention)
    int gl_w = 0, gl_h = 0;          // its size in framebuffer pixels (0: the camera's size, i.e. 1 pixel per point)
    float pixel_scale = 1;           // framebuffer pixels per UI point (HiDPI): scales line widths and symbols
    std::array<LayerDraw, kLayerCount> layers{};
    RoadClassMask road_classes{};    // level of detail
    Rgba background{24, 26, 31, 255};
    bool clear = true;
  };
  void draw(const Frame& frame);

  struct Stats {
    std::size_t road_chunks = 0, road_vertices = 0, total_vertices = 0;
  };
  const Stats& last_stats() const { return stats_; }

 private:
  struct GpuBatch {
    GLuint vao = 0, vbo = 0;
    std::vector<Chunk> chunks;
    std::size_t vertices = 0;
  };
  struct GpuStyle {
    GLuint buffer = 0, texture = 0, lut = 0;
  };
  void upload_batch(GpuBatch& b, const Batch& src);
  void draw_batch(const GpuBatch& b, GLenum mode, const std::vector<std::uint32_t>& chunks);
  void bind_style(Layer l, float opacity, float point_size, int point_shape, const float* solid_rgba);

  GLuint program_ = 0;
  GLint u_center_ = -1, u_scale_ = -1, u_values_ = -1, u_lut_ = -1, u_alpha_ = -1, u_point_size_ = -1,
        u_point_shape_ = -1, u_solid_ = -1, u_nodata_ = -1;
  std::array<GpuStyle, kLayerCount> styles_{};
  std::vector<GpuBatch> road_levels_;  // full detail, then the simplified levels
  GpuBatch branches_, district_fill_, district_outline_, buses_, substations_, chargers_;
  Point2 origin_{};
  float max_line_width_ = 1;
  Stats stats_;
};

}  // namespace citytwin::viewer
