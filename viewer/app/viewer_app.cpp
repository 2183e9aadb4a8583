// The thin platform layer: GLFW window and input, the ImGui GLFW + OpenGL3
// backends, off-screen rendering for --screenshot / export / benchmark. All
// decisions (what is open, runs, what to draw, how to colour, what a click
// selects) are made in viewer_model (the Controller) and viewer_ui.
#include "viewer/app/viewer_app.hpp"

#include "viewer/gl/gl.hpp"  // before GLFW: GL prototypes come from here
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>

#include "core/common/errors.hpp"
#include "viewer/model/controller.hpp"
#include "viewer/model/image.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/map_input.hpp"
#include "viewer/gl/map_renderer.hpp"
#include "viewer/gl/offscreen.hpp"
#include "viewer/ui/ui.hpp"

namespace citytwin::viewer {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct GlfwSession {
  GlfwSession() {
    glfwSetErrorCallback([](int code, const char* msg) { std::fprintf(stderr, "GLFW error %d: %s\n", code, msg); });
    if (!glfwInit())
      throw BackendUnavailable("GLFW: cannot initialise (no display? run under xvfb-run -a -s \"-screen 0 1600x1000x24\")");
  }
  ~GlfwSession() { glfwTerminate(); }
};

bool parse_layer(const std::string& s, Layer& out) {
  for (std::size_t l = 0; l < kLayerCount; ++l)
    if (s == layer_name(Layer(l))) {
      out = Layer(l);
      return true;
    }
  return false;
}

class App {
 public:
  explicit App(const ViewerOptions& o) : opt_(o) {}

  int run() {
    load_data();
    GlfwSession glfw;
    const bool headless = !opt_.screenshot.empty() || opt_.bench_frames > 0;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    const std::string title = "citytwin viewer - " + ctl_.twin().name;
    window_ = glfwCreateWindow(opt_.width, opt_.height, title.c_str(), nullptr, nullptr);
    if (!window_) throw BackendUnavailable("GLFW: cannot create an OpenGL 3.3 core window");
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(headless ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    setup_style();
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int rc = 0;
    {
      MapRenderer renderer;
      renderer_ = &renderer;
      renderer.init();
      const auto t0 = Clock::now();
      geometry_ = build_map_geometry(ctl_.twin());
      renderer.upload(geometry_);
      std::fprintf(stderr, "citytwin-viewer: %s; %zu road vertices, geometry %.0f ms\n", gl::describe_context().c_str(),
                   geometry_.roads.vertices.size(), ms_since(t0));
      model_.renderer_info = gl::describe_context();
      refresh_fields();
      if (!opt_.screenshot.empty()) rc = screenshot();
      else if (opt_.bench_frames > 0) rc = benchmark();
      else rc = interactive();
      renderer_ = nullptr;
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    return rc;
  }

 private:
  void load_data() {
    const auto t0 = Clock::now();
    if (opt_.file.empty()) ctl_.open_demo();
    else ctl_.open(opt_.file);
    const Twin& twin = ctl_.twin();
    std::fprintf(stderr, "citytwin-viewer: %s: %zu links, %zu districts loaded and indexed in %.0f ms\n",
                 twin.name.c_str(), twin.roads.link_count(), twin.districts.size(), ms_since(t0));
    if (!opt_.results.empty()) ctl_.add_results(opt_.results);
    if (!opt_.scenario.empty()) {
      for (const auto& w : ctl_.load_scenario(opt_.scenario))
        std::fprintf(stderr, "citytwin-viewer: %s: %s\n", opt_.scenario.c_str(), w.c_str());
      model_.scenario_path = opt_.scenario;
    }
    if (opt_.run && (!opt_.screenshot.empty() || opt_.bench_frames > 0)) {
      const auto t1 = Clock::now();
      ctl_.run_now();
      std::fprintf(stderr, "citytwin-viewer: coupled run(s) in %.1f s\n", ms_since(t1) / 1000);
    }
    // defaults after any run, so hourly metrics are chosen when results exist
    ctl_.reset_view();
    ViewerState& state = ctl_.state();
    for (const std::string& c : opt_.color_by)
      if (!apply_color_by(state, c)) {
        std::string known;
        for (const auto& m : metric_catalogue()) known += std::string(" ") + layer_name(m.layer) + "." + m.id;
        throw InvalidInput("unknown --color-by '" + c + "'; known:" + known, {.field = "--color-by"});
      }
    for (const auto& [list, on] : {std::pair{&opt_.hide, false}, std::pair{&opt_.show, true}})
      for (const std::string& name : *list) {
        Layer l;
        if (!parse_layer(name, l)) throw InvalidInput("unknown layer '" + name + "'", {.field = "--hide/--show"});
        state.layer(l).visible = on;
      }
    const Results* base = ctl_.baseline();
    if (opt_.hour >= 0) state.hour = opt_.hour;
    else if (base && !has_values_at(*base, state.hour) && first_hour_with_values(*base) >= 0)
      state.hour = first_hour_with_values(*base);  // e.g. a results file of `citytwin run --hours 17-19`
    View v;
    if (parse_view(opt_.view, v)) state.view = v;
    if (!opt_.select.empty()) {
      const auto colon = opt_.select.find(':');
      Layer l;
      if (colon == std::string::npos || !parse_layer(opt_.select.substr(0, colon), l))
        throw InvalidInput("--select wants LAYER:ID, e.g. roads:12", {.field = "--select"});
      const unsigned long id = std::stoul(opt_.select.substr(colon + 1));
      if (id >= feature_count(twin, l)) throw InvalidInput("--select: no such feature", {.field = "--select"});
      state.selected = Selection{l, std::uint32_t(id), 0};
    }
  }

  // Re-evaluates every layer's metric and uploads colour coordinates + LUTs.
  void refresh_fields() {
    fields_ = evaluate_layers(ctl_.state(), ctl_.inputs());
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      const MetricField& f = fields_[l];
      const bool categorical = f.metric && f.metric->categorical && !f.diverging;
      const auto coords = f.coords();
      renderer_->set_layer_style(Layer(l), coords, display_colormap(f.cmap, categorical).lut());
    }
  }

  void setup_camera(double w, double h) {
    camera_.set_viewport(w, h);
    camera_.fit(view_extent(ctl_.twin()));
    if (opt_.zoom > 0 && opt_.zoom != 1) camera_.set_meters_per_pixel(camera_.meters_per_pixel() / opt_.zoom);
    if (opt_.center.size() == 2) camera_.set_center({opt_.center[0], opt_.center[1]});
  }

  // r in UI points; the target framebuffer is target_height pixels high, `scale` pixels per point.
  MapRenderer::Frame frame_for(const MapRect& r, int target_height, float scale) const {
    MapRenderer::Frame f;
    f.camera = camera_;
    f.gl_x = int(std::lround(r.x * scale));
    f.gl_w = int(std::lround(r.w * scale));
    f.gl_h = int(std::lround(r.h * scale));
    f.gl_y = target_height - int(std::lround((r.y + r.h) * scale));
    f.pixel_scale = scale;
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      const LayerState& ls = ctl_.state().layers[l];
      f.layers[l] = {ls.visible, ls.opacity, ls.point_size_px};
    }
    f.road_classes = road_lod(camera_.meters_per_pixel(), ctl_.twin().roads.link_count(), ctl_.state().show_connectors);
    return f;
  }

  void fill_model(const MapRect& r) {
    bind(model_, ctl_);
    model_.fields = &fields_;
    model_.camera = &camera_;
    model_.map = r;
  }

  // One frame into the bound framebuffer of size (w, h): GL map, then ImGui.
  void render_frame(int w, int h, bool panels, bool offscreen_size) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (offscreen_size) {
      io.DisplaySize = {float(w), float(h)};
      io.DisplayFramebufferScale = {1, 1};
    }
    ImGui::NewFrame();
    // UI in points (window size), GL in framebuffer pixels: they differ on HiDPI screens
    const float scale = io.DisplaySize.x > 0 ? float(w) / io.DisplaySize.x : 1.0f;
    const float left = panels ? kLeftPanelWidth : 0;
    const MapRect r{left, 0, io.DisplaySize.x - left, io.DisplaySize.y};
    camera_.set_viewport(r.w, r.h);
    fill_model(r);
    if (panels) draw_panels(model_);
    draw_map_overlays(ImGui::GetBackgroundDrawList(), model_);
    if (panels && hover_tooltip_ && ctl_.state().hovered) draw_hover_tooltip(model_, *ctl_.state().hovered);
    ImGui::Render();
    renderer_->draw(frame_for(r, h, scale));
    glViewport(0, 0, w, h);
    if (panels) {  // clear the panel strip (the map cleared its own rectangle)
      glEnable(GL_SCISSOR_TEST);
      glScissor(0, 0, int(std::lround(left * scale)), h);
      glClearColor(0.09f, 0.1f, 0.12f, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      glDisable(GL_SCISSOR_TEST);
    }
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  }

  Image render_offscreen(int w, int h, bool panels) {
    Offscreen fbo(w, h);
    fbo.bind();
    render_frame(w, h, panels, true);
    glFinish();
    Image img = fbo.read();
    Offscreen::unbind();
    return img;
  }

  int screenshot() {
    setup_camera(opt_.width - (opt_.ui ? kLeftPanelWidth : 0), opt_.height);
    // Two frames: ImGui settles window sizes on the first.
    render_offscreen(opt_.width, opt_.height, opt_.ui);
    const Image img = render_offscreen(opt_.width, opt_.height, opt_.ui);
    write_png(img, opt_.screenshot);
    std::fprintf(stderr, "citytwin-viewer: wrote %s (%dx%d, hour %d, view %s)\n", opt_.screenshot.c_str(), img.width,
                 img.height, ctl_.state().hour, view_name(ctl_.state().view));
    return 0;
  }

  int benchmark() {
    const int w = opt_.width, h = opt_.height;
    setup_camera(w, h);
    Offscreen fbo(w, h);
    fbo.bind();
    auto timed = [&](const char* what, bool change_hour) {
      std::vector<double> ms;
      render_frame(w, h, false, true);  // warm-up
      glFinish();
      for (int i = 0; i < opt_.bench_frames; ++i) {
        const auto t0 = Clock::now();
        if (change_hour) {
          ctl_.state().hour = (ctl_.state().hour + 1) % kHours;
          refresh_fields();
        } else {
          camera_.pan_pixels(i % 2 ? 1 : -1, 0);  // a new view every frame, nothing cached
        }
        render_frame(w, h, false, true);
        glFinish();
        ms.push_back(ms_since(t0));
      }
      std::sort(ms.begin(), ms.end());
      const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size());
      std::printf("bench %-12s links=%zu size=%dx%d zoom=%g mpp=%.2f frames=%d mean_ms=%.2f median_ms=%.2f p95_ms=%.2f fps=%.1f road_vertices=%zu\n",
                  what, ctl_.twin().roads.link_count(), w, h, opt_.zoom, camera_.meters_per_pixel(), opt_.bench_frames, mean,
                  ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], 1000.0 / mean,
                  renderer_->last_stats().road_vertices);
    };
    timed("pan", false);
    timed("hour-change", true);
    Offscreen::unbind();
    std::printf("renderer %s\n", gl::describe_context().c_str());
    return 0;
  }

  void handle_requests() {
    if (model_.request_fit) camera_.fit(view_extent(ctl_.twin()));
    if (model_.request_export) {
      try {
        const int w = int(model_.map.w), h = int(model_.map.h);
        const Image img = render_offscreen(w, h, false);
        write_png(img, model_.export_path);
        ctl_.set_status("exported " + model_.export_path);
      } catch (const std::exception& e) {
        ctl_.set_status(e.what());
      }
    }
    ctl_.handle(model_);
    if (model_.fields_dirty) refresh_fields();
    model_.request_fit = model_.request_export = model_.fields_dirty = false;
  }

  void handle_mouse() {
    ImGuiIO& io = ImGui::GetIO();
    const MapRect& r = model_.map;
    MouseFrame m;
    m.pos = {io.MousePos.x - r.x, io.MousePos.y - r.y};
    m.delta = {io.MouseDelta.x, io.MouseDelta.y};
    m.wheel = io.MouseWheel;
    m.pressed = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    m.down = ImGui::IsMouseDown(ImGuiMouseButton_Left);
    m.released = ImGui::IsMouseReleased(ImGuiMouseButton_Left);
    m.captured = io.WantCaptureMouse;
    input_.frame(m, r.w, r.h, camera_, ctl_.state(), ctl_.twin(), ctl_.index());
    hover_tooltip_ = input_.tooltip();
    if (!io.WantCaptureKeyboard) {
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ctl_.state().playing = !ctl_.state().playing;
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) {
        ctl_.state().hour = (ctl_.state().hour + kHours - 1) % kHours;
        model_.fields_dirty = true;
      }
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) {
        ctl_.state().hour = (ctl_.state().hour + 1) % kHours;
        model_.fields_dirty = true;
      }
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) model_.request_fit = true;
    }
  }

  int interactive() {
    int fbw = 0, fbh = 0, winw = 0, winh = 0;
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    glfwGetWindowSize(window_, &winw, &winh);
    setup_camera(winw - kLeftPanelWidth, winh);
    // the built-in city is small: its baseline runs (for real) as the window opens
    if (ctl_.is_demo() && !ctl_.baseline()) ctl_.start_run();
    auto last = Clock::now();
    int frame = 0;
    while (!glfwWindowShouldClose(window_) && (opt_.frames <= 0 || frame++ < opt_.frames)) {
      glfwPollEvents();
      const auto t0 = Clock::now();
      const double dt = std::chrono::duration<double>(t0 - last).count();
      last = t0;
      if (ctl_.state().advance(dt)) model_.fields_dirty = true;
      glfwGetFramebufferSize(window_, &fbw, &fbh);
      if (fbw <= 0 || fbh <= 0) continue;
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      render_frame(fbw, fbh, true, false);
      glfwSwapBuffers(window_);
      handle_mouse();
      handle_requests();
      model_.frame_ms = float(ms_since(t0));
      model_.drawn_vertices = renderer_->last_stats().total_vertices;
    }
    return 0;
  }

  ViewerOptions opt_;
  Controller ctl_;
  std::array<MetricField, kLayerCount> fields_;
  MapGeometry geometry_;
  Camera camera_;
  UiModel model_;
  MapRenderer* renderer_ = nullptr;
  GLFWwindow* window_ = nullptr;
  MapInput input_;
  bool hover_tooltip_ = false;
};

}  // namespace

int run_viewer(const ViewerOptions& options) {
  App app(options);
  return app.run();
}

}  // namespace citytwin::viewer
