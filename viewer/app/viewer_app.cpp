// The thin platform layer: GLFW window and input, the ImGui GLFW + OpenGL3
// backends, off-screen rendering for --screenshot / export / benchmark. All
// decisions (what to draw, how to colour, what a click selects) are made in
// viewer_core and viewer_ui.
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
#include "core/model/snapshot.hpp"
#include "viewer/model/demo_twin.hpp"
#include "viewer/model/image.hpp"
#include "viewer/model/map_geometry.hpp"
#include "viewer/model/map_input.hpp"
#include "viewer/model/results_file.hpp"
#include "viewer/model/scenario_runner.hpp"
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
    const std::string title = "citytwin viewer - " + twin_.name;
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
      geometry_ = build_map_geometry(twin_);
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
    if (opt_.file.empty()) {
      twin_ = demo_twin();
      model_.twin_path = "(built-in demo city)";
    } else if (is_results_file(opt_.file)) {
      // a results GeoPackage alone: its twin and its results, no scenario runs
      if (!opt_.results.empty())
        throw InvalidInput("--results is for a .twin; " + opt_.file + " is a results file already", {.field = "--results"});
      ResultsFile rf = open_results_file(opt_.file);
      twin_ = std::move(rf.twin);
      baseline_ = std::move(rf.results);
      missing_ = std::move(rf.missing);
      model_.missing = &missing_;
      model_.twin_path = opt_.file;
    } else {
      twin_ = read_snapshot(opt_.file);
      model_.twin_path = opt_.file;
    }
    index_ = PickIndex::build(twin_);
    std::fprintf(stderr, "citytwin-viewer: %s: %zu links, %zu districts loaded and indexed in %.0f ms\n",
                 twin_.name.c_str(), twin_.roads.link_count(), twin_.districts.size(), ms_since(t0));

    if (model_.missing) runner_ = make_results_file_runner();
    else if (opt_.demo_results) runner_ = std::make_unique<DemoRunner>();
    else runner_ = make_coupled_runner();
    if (!opt_.results.empty()) baseline_ = load_results(opt_.results, twin_);
    else if (opt_.demo_results) baseline_ = synthetic_results(twin_, Scenario{});

    Scenario loaded;
    if (!opt_.scenario.empty()) {
      std::vector<std::string> warnings;
      loaded = read_scenario(opt_.scenario, twin_, &warnings);
      for (const auto& w : warnings) std::fprintf(stderr, "citytwin-viewer: %s: %s\n", opt_.scenario.c_str(), w.c_str());
      loaded.twin_path = model_.twin_path;
      model_.scenario_path = opt_.scenario;
    }
    state_.scenario = loaded;  // run_now() runs it
    if (opt_.run && (!opt_.screenshot.empty() || opt_.bench_frames > 0)) run_now();
    // defaults after any run, so hourly metrics are chosen when results exist
    state_ = default_state(baseline_.has_value());
    state_.scenario = std::move(loaded);
    if (opt_.demo_results && !state_.scenario.empty() && !scenario_results_)
      scenario_results_ = synthetic_results(twin_, state_.scenario);
    for (const std::string& c : opt_.color_by)
      if (!apply_color_by(state_, c)) {
        std::string known;
        for (const auto& m : metric_catalogue()) known += std::string(" ") + layer_name(m.layer) + "." + m.id;
        throw InvalidInput("unknown --color-by '" + c + "'; known:" + known, {.field = "--color-by"});
      }
    for (const auto& [list, on] : {std::pair{&opt_.hide, false}, std::pair{&opt_.show, true}})
      for (const std::string& name : *list) {
        Layer l;
        if (!parse_layer(name, l)) throw InvalidInput("unknown layer '" + name + "'", {.field = "--hide/--show"});
        state_.layer(l).visible = on;
      }
    if (opt_.hour >= 0) state_.hour = opt_.hour;
    else if (baseline_ && !has_values_at(*baseline_, state_.hour) && first_hour_with_values(*baseline_) >= 0)
      state_.hour = first_hour_with_values(*baseline_);  // e.g. a results file of `citytwin run --hours 17-19`
    View v;
    if (parse_view(opt_.view, v)) state_.view = v;
    if (!opt_.select.empty()) {
      const auto colon = opt_.select.find(':');
      Layer l;
      if (colon == std::string::npos || !parse_layer(opt_.select.substr(0, colon), l))
        throw InvalidInput("--select wants LAYER:ID, e.g. roads:12", {.field = "--select"});
      const unsigned long id = std::stoul(opt_.select.substr(colon + 1));
      if (id >= feature_count(twin_, l)) throw InvalidInput("--select: no such feature", {.field = "--select"});
      state_.selected = Selection{l, std::uint32_t(id), 0};
    }
  }

  // Headless --run: baseline (unless results were given) and scenario, synchronously.
  void run_now() {
    if (!runner_->available()) throw BackendUnavailable("--run: " + runner_->unavailable_reason(), {.file = opt_.file});
    RunProgress progress;
    const auto t0 = Clock::now();
    if (!baseline_) {
      baseline_ = runner_->run(twin_, Scenario{}, progress);
      std::fprintf(stderr, "citytwin-viewer: baseline run (%s) in %.1f s\n", runner_->name().c_str(), ms_since(t0) / 1000);
    }
    if (!state_.scenario.empty()) {
      const auto t1 = Clock::now();
      scenario_results_ = runner_->run(twin_, state_.scenario, progress);
      std::fprintf(stderr, "citytwin-viewer: scenario run (%s) in %.1f s\n", runner_->name().c_str(), ms_since(t1) / 1000);
    }
  }

  MetricInputs inputs() const {
    return {&twin_, baseline_ ? &*baseline_ : nullptr, scenario_results_ ? &*scenario_results_ : nullptr,
            &state_.scenario};
  }

  // Re-evaluates every layer's metric and uploads colour coordinates + LUTs.
  void refresh_fields() {
    fields_ = evaluate_layers(state_, inputs());
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      const MetricField& f = fields_[l];
      const bool categorical = f.metric && f.metric->categorical && !f.diverging;
      const auto coords = f.coords();
      renderer_->set_layer_style(Layer(l), coords, display_colormap(f.cmap, categorical).lut());
    }
  }

  void setup_camera(double w, double h) {
    camera_.set_viewport(w, h);
    camera_.fit(view_extent(twin_));
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
      const LayerState& ls = state_.layers[l];
      f.layers[l] = {ls.visible, ls.opacity, ls.point_size_px};
    }
    f.road_classes = road_lod(camera_.meters_per_pixel(), twin_.roads.link_count(), state_.show_connectors);
    return f;
  }

  void fill_model(const MapRect& r) {
    model_.twin = &twin_;
    model_.state = &state_;
    model_.baseline = baseline_ ? &*baseline_ : nullptr;
    model_.scenario_results = scenario_results_ ? &*scenario_results_ : nullptr;
    model_.runner = runner_.get();
    model_.run = &run_;
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
    if (panels && hover_tooltip_ && state_.hovered) draw_hover_tooltip(model_, *state_.hovered);
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
                 img.height, state_.hour, view_name(state_.view));
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
          state_.hour = (state_.hour + 1) % kHours;
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
                  what, twin_.roads.link_count(), w, h, opt_.zoom, camera_.meters_per_pixel(), opt_.bench_frames, mean,
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
    if (model_.request_fit) camera_.fit(view_extent(twin_));
    if (model_.request_export) {
      try {
        const int w = int(model_.map.w), h = int(model_.map.h);
        const Image img = render_offscreen(w, h, false);
        write_png(img, model_.export_path);
        model_.status = "exported " + model_.export_path;
      } catch (const std::exception& e) {
        model_.status = e.what();
      }
    }
    if (model_.request_save) {
      try {
        state_.scenario.bind(twin_, model_.twin_path);
        write_scenario(state_.scenario, model_.scenario_path, &twin_);
        model_.status = "saved " + model_.scenario_path;
      } catch (const std::exception& e) {
        model_.status = e.what();
      }
    }
    if (model_.request_load) {
      try {
        std::vector<std::string> warnings;
        Scenario s = read_scenario(model_.scenario_path, twin_, &warnings);
        s.twin_path = model_.twin_path;
        state_.scenario = std::move(s);
        scenario_results_.reset();
        model_.fields_dirty = true;
        model_.status = "loaded " + model_.scenario_path;
        for (const auto& w : warnings) model_.status += "\n" + w;
      } catch (const std::exception& e) {
        model_.status = e.what();
      }
    }
    if (model_.request_run && runner_ && runner_->available()) {
      // the baseline first when there is none, then the scenario
      run_is_baseline_ = !baseline_;
      run_.start(*runner_, twin_, run_is_baseline_ ? Scenario{} : state_.scenario);
      model_.status = run_is_baseline_ ? "running the baseline first" : "running the scenario";
    }
    if (model_.request_cancel) run_.cancel();
    if (run_.state() == BackgroundRun::State::Done) {
      if (run_is_baseline_) {
        baseline_ = run_.take();
        run_is_baseline_ = false;
        if (!state_.scenario.empty()) {
          run_.start(*runner_, twin_, state_.scenario);
          model_.status = "baseline done; running the scenario";
        } else {
          model_.status = "baseline run finished";
        }
      } else {
        scenario_results_ = run_.take();
        if (state_.view == View::Baseline) state_.view = View::Scenario;
        model_.status = "scenario run finished";
      }
      if (state_.layer(Layer::Roads).metric && !state_.layer(Layer::Roads).metric->hourly)
        state_.layer(Layer::Roads).metric = find_metric(Layer::Roads, "vc");
      model_.fields_dirty = true;
    } else if (run_.state() == BackgroundRun::State::Failed) {
      model_.status = "run failed: " + run_.error();
      run_.take();
    } else if (run_.state() == BackgroundRun::State::Cancelled) {
      model_.status = "run cancelled";
      run_.take();
    }
    if (model_.fields_dirty) refresh_fields();
    model_.request_fit = model_.request_export = model_.request_save = model_.request_load = false;
    model_.request_run = model_.request_cancel = model_.fields_dirty = false;
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
    input_.frame(m, r.w, r.h, camera_, state_, twin_, index_);
    hover_tooltip_ = input_.tooltip();
    if (!io.WantCaptureKeyboard) {
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) state_.playing = !state_.playing;
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) {
        state_.hour = (state_.hour + kHours - 1) % kHours;
        model_.fields_dirty = true;
      }
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) {
        state_.hour = (state_.hour + 1) % kHours;
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
    auto last = Clock::now();
    int frame = 0;
    while (!glfwWindowShouldClose(window_) && (opt_.frames <= 0 || frame++ < opt_.frames)) {
      glfwPollEvents();
      const auto t0 = Clock::now();
      const double dt = std::chrono::duration<double>(t0 - last).count();
      last = t0;
      if (state_.advance(dt)) model_.fields_dirty = true;
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
  Twin twin_;
  MissingAttributes missing_;  // opened from a results file: what it lacks
  PickIndex index_;
  std::optional<Results> baseline_, scenario_results_;
  std::unique_ptr<ScenarioRunner> runner_;
  BackgroundRun run_;
  ViewerState state_;
  std::array<MetricField, kLayerCount> fields_;
  MapGeometry geometry_;
  Camera camera_;
  UiModel model_;
  MapRenderer* renderer_ = nullptr;
  GLFWwindow* window_ = nullptr;
  MapInput input_;
  bool hover_tooltip_ = false, run_is_baseline_ = false;
};

}  // namespace

int run_viewer(const ViewerOptions& options) {
  App app(options);
  return app.run();
}

}  // namespace citytwin::viewer
