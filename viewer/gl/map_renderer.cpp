#include "viewer/gl/map_renderer.hpp"

#include <algorithm>

namespace citytwin::viewer {

namespace {

const char* kVertex = R"(#version 330 core
layout(location = 0) in vec2 a_pos;
layout(location = 1) in uint a_feature;
uniform vec2 u_center;      // camera centre relative to the geometry origin (m)
uniform vec2 u_scale;       // 2 / (metres per pixel * viewport size)
uniform samplerBuffer u_values;
uniform float u_point_size;
flat out float v_t;
void main() {
  v_t = texelFetch(u_values, int(a_feature)).r;
  gl_Position = vec4((a_pos - u_center) * u_scale, 0.0, 1.0);
  gl_PointSize = u_point_size;
}
)";

const char* kFragment = R"(#version 330 core
flat in float v_t;
uniform sampler2D u_lut;
uniform float u_alpha;
uniform int u_point_shape;  // 0 lines / polygons, 1 disc, 2 square
uniform vec4 u_solid;       // a > 0: draw in this colour (outlines)
uniform vec4 u_nodata;
out vec4 o_color;
void main() {
  if (v_t < -1.5) discard;  // hidden
  vec4 c = v_t < -0.5 ? u_nodata : texelFetch(u_lut, ivec2(int(clamp(v_t, 0.0, 1.0) * 255.0 + 0.5), 0), 0);
  if (u_solid.a > 0.0) c = u_solid;
  if (u_point_shape != 0) {
    vec2 d = gl_PointCoord - vec2(0.5);
    float r = u_point_shape == 1 ? length(d) : max(abs(d.x), abs(d.y));
    if (r > 0.5) discard;
    if (r > 0.34) c.rgb = vec3(0.05);  // dark rim keeps points readable on any fill
  }
  o_color = vec4(c.rgb, c.a * u_alpha);
}
)";

}  // namespace

MapRenderer::~MapRenderer() {
  // Only free GL objects if a context made them (init() ran).
  if (!program_) return;
  for (GpuBatch& b : road_levels_) {
    if (b.vbo) glDeleteBuffers(1, &b.vbo);
    if (b.vao) glDeleteVertexArrays(1, &b.vao);
  }
  for (GpuBatch* b : {&branches_, &district_fill_, &district_outline_, &buses_, &substations_, &chargers_}) {
    if (b->vbo) glDeleteBuffers(1, &b->vbo);
    if (b->vao) glDeleteVertexArrays(1, &b->vao);
  }
  for (auto& s : styles_) {
    if (s.buffer) glDeleteBuffers(1, &s.buffer);
    if (s.texture) glDeleteTextures(1, &s.texture);
    if (s.lut) glDeleteTextures(1, &s.lut);
  }
  glDeleteProgram(program_);
}

void MapRenderer::init() {
  program_ = gl::build_program(kVertex, kFragment, "map");
  u_center_ = glGetUniformLocation(program_, "u_center");
  u_scale_ = glGetUniformLocation(program_, "u_scale");
  u_values_ = glGetUniformLocation(program_, "u_values");
  u_lut_ = glGetUniformLocation(program_, "u_lut");
  u_alpha_ = glGetUniformLocation(program_, "u_alpha");
  u_point_size_ = glGetUniformLocation(program_, "u_point_size");
  u_point_shape_ = glGetUniformLocation(program_, "u_point_shape");
  u_solid_ = glGetUniformLocation(program_, "u_solid");
  u_nodata_ = glGetUniformLocation(program_, "u_nodata");
  GLfloat range[2] = {1, 1};
  glGetFloatv(GL_ALIASED_LINE_WIDTH_RANGE, range);
  max_line_width_ = std::max(1.0f, range[1]);
  for (auto& s : styles_) {
    glGenBuffers(1, &s.buffer);
    glGenTextures(1, &s.texture);
    glGenTextures(1, &s.lut);
    glBindTexture(GL_TEXTURE_2D, s.lut);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  }
  gl::check("MapRenderer::init");
}

void MapRenderer::upload_batch(GpuBatch& b, const Batch& src) {
  if (!b.vao) glGenVertexArrays(1, &b.vao);
  if (!b.vbo) glGenBuffers(1, &b.vbo);
  glBindVertexArray(b.vao);
  glBindBuffer(GL_ARRAY_BUFFER, b.vbo);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(src.vertices.size() * sizeof(MapVertex)), src.vertices.data(), GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(MapVertex), reinterpret_cast<const void*>(0));
  glEnableVertexAttribArray(1);
  glVertexAttribIPointer(1, 1, GL_UNSIGNED_INT, sizeof(MapVertex), reinterpret_cast<const void*>(8));
  glBindVertexArray(0);
  b.chunks = src.chunks;
  b.vertices = src.vertices.size();
}

void MapRenderer::upload(const MapGeometry& g) {
  origin_ = g.origin;
  road_levels_.resize(1 + g.roads_simplified.size());
  upload_batch(road_levels_[0], g.roads);
  for (std::size_t k = 0; k < g.roads_simplified.size(); ++k) upload_batch(road_levels_[k + 1], g.roads_simplified[k]);
  upload_batch(branches_, g.branches);
  upload_batch(district_fill_, g.district_fill);
  upload_batch(district_outline_, g.district_outline);
  upload_batch(buses_, g.buses);
  upload_batch(substations_, g.substations);
  upload_batch(chargers_, g.chargers);
  gl::check("MapRenderer::upload");
}

void MapRenderer::set_layer_style(Layer layer, std::span<const float> coords, const std::array<Rgba, 256>& lut) {
  GpuStyle& s = styles_[std::size_t(layer)];
  glBindBuffer(GL_TEXTURE_BUFFER, s.buffer);
  // A texture buffer must not be empty: keep one "hidden" texel for empty layers.
  static const float kEmpty[1] = {kHidden};
  if (coords.empty()) glBufferData(GL_TEXTURE_BUFFER, sizeof kEmpty, kEmpty, GL_DYNAMIC_DRAW);
  else glBufferData(GL_TEXTURE_BUFFER, GLsizeiptr(coords.size_bytes()), coords.data(), GL_DYNAMIC_DRAW);
  glBindTexture(GL_TEXTURE_BUFFER, s.texture);
  glTexBuffer(GL_TEXTURE_BUFFER, GL_R32F, s.buffer);
  glBindTexture(GL_TEXTURE_2D, s.lut);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, lut.data());
  gl::check("MapRenderer::set_layer_style");
}

void MapRenderer::bind_style(Layer l, float opacity, float point_size, int point_shape, const float* solid) {
  const GpuStyle& s = styles_[std::size_t(l)];
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_BUFFER, s.texture);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, s.lut);
  glUniform1i(u_values_, 0);
  glUniform1i(u_lut_, 1);
  glUniform1f(u_alpha_, opacity);
  glUniform1f(u_point_size_, point_size);
  glUniform1i(u_point_shape_, point_shape);
  static const float kNone[4] = {0, 0, 0, 0};
  glUniform4fv(u_solid_, 1, solid ? solid : kNone);
}

void MapRenderer::draw_batch(const GpuBatch& b, GLenum mode, const std::vector<std::uint32_t>& chunks) {
  if (chunks.empty()) return;
  glBindVertexArray(b.vao);
  std::vector<GLint> first;
  std::vector<GLsizei> count;
  first.reserve(chunks.size());
  count.reserve(chunks.size());
  for (std::uint32_t c : chunks) {
    // merge chunks that follow each other in the buffer
    const Chunk& ch = b.chunks[c];
    if (!first.empty() && GLuint(first.back()) + GLuint(count.back()) == ch.first) {
      count.back() += GLsizei(ch.count);
    } else {
      first.push_back(GLint(ch.first));
      count.push_back(GLsizei(ch.count));
    }
    stats_.total_vertices += ch.count;
  }
  glMultiDrawArrays(mode, first.data(), count.data(), GLsizei(first.size()));
}

void MapRenderer::draw(const Frame& f) {
  stats_ = {};
  const Camera& cam = f.camera;
  const GLsizei vw = f.gl_w > 0 ? f.gl_w : GLsizei(cam.width()), vh = f.gl_h > 0 ? f.gl_h : GLsizei(cam.height());
  glViewport(f.gl_x, f.gl_y, vw, vh);
  glEnable(GL_SCISSOR_TEST);
  glScissor(f.gl_x, f.gl_y, vw, vh);
  if (f.clear) {
    glClearColor(f.background.r / 255.f, f.background.g / 255.f, f.background.b / 255.f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUseProgram(program_);
  const Point2 centre = cam.center();
  glUniform2f(u_center_, float(centre.x - origin_.x), float(centre.y - origin_.y));
  glUniform2f(u_scale_, float(2.0 / (cam.meters_per_pixel() * cam.width())),
              float(2.0 / (cam.meters_per_pixel() * cam.height())));
  glUniform4f(u_nodata_, kNoDataColor.r / 255.f, kNoDataColor.g / 255.f, kNoDataColor.b / 255.f, 1);
  const Box2 view = cam.visible_box();
  auto layer = [&](Layer l) -> const LayerDraw& { return f.layers[std::size_t(l)]; };
  const float px = std::max(f.pixel_scale, 0.5f);
  auto width = [this, px](float w) { glLineWidth(std::min(w * px, max_line_width_)); };

  auto all = [&](const GpuBatch& b) { return visible_chunks(b.chunks, view, nullptr); };

  if (layer(Layer::Districts).visible) {
    const auto& d = layer(Layer::Districts);
    bind_style(Layer::Districts, d.opacity, 1, 0, nullptr);
    draw_batch(district_fill_, GL_TRIANGLES, all(district_fill_));
    static const float kOutline[4] = {0.0f, 0.0f, 0.0f, 0.55f};
    width(1.0f);
    bind_style(Layer::Districts, 1.0f, 1, 0, kOutline);
    draw_batch(district_outline_, GL_LINES, all(district_outline_));
  }
  if (layer(Layer::Roads).visible) {
    const auto& r = layer(Layer::Roads);
    bind_style(Layer::Roads, r.opacity, 1, 0, nullptr);
    const GpuBatch& roads = road_levels_[std::min(road_level(cam.meters_per_pixel()), road_levels_.size() - 1)];
    const auto chunks = visible_chunks(roads.chunks, view, &f.road_classes);
    // minor classes first, so major roads are drawn on top, each class at its width
    for (int cls = int(RoadClass::Count) - 1; cls >= 0; --cls) {
      std::vector<std::uint32_t> of_class;
      for (std::uint32_t c : chunks)
        if (roads.chunks[c].group == cls) {
          of_class.push_back(c);
          stats_.road_vertices += roads.chunks[c].count;
        }
      if (of_class.empty()) continue;
      stats_.road_chunks += of_class.size();
      width(road_width_px(RoadClass(cls), cam.meters_per_pixel()));
      draw_batch(roads, GL_LINES, of_class);
    }
  }
  if (layer(Layer::Branches).visible) {
    const auto& b = layer(Layer::Branches);
    static const float kHalo[4] = {0.02f, 0.02f, 0.02f, 0.9f};
    // thinner when zoomed far out, where a big grid would bury the roads
    const float w = cam.meters_per_pixel() >= 30 ? 2.0f : 4.0f;
    width(w + 2);
    bind_style(Layer::Branches, b.opacity, 1, 0, kHalo);
    draw_batch(branches_, GL_LINES, all(branches_));
    width(w);
    bind_style(Layer::Branches, b.opacity, 1, 0, nullptr);
    draw_batch(branches_, GL_LINES, all(branches_));
  }
  const std::pair<Layer, const GpuBatch*> points[] = {
      {Layer::Buses, &buses_}, {Layer::Substations, &substations_}, {Layer::Chargers, &chargers_}};
  for (auto [l, batch] : points) {
    const auto& p = layer(l);
    if (!p.visible) continue;
    const bool crowded = batch->vertices > 300 && cam.meters_per_pixel() >= 30;
    bind_style(l, p.opacity, px * (crowded ? std::max(3.0f, p.point_size_px * 0.55f) : p.point_size_px),
               l == Layer::Substations ? 2 : 1, nullptr);
    draw_batch(*batch, GL_POINTS, all(*batch));
  }
  width(1.0f);
  glBindVertexArray(0);
  glUseProgram(0);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace citytwin::viewer
