#pragma once
// An off-screen framebuffer (RGBA8 colour renderbuffer) of a fixed size, for
// --screenshot, PNG export and the frame-time benchmark: the picture does not
// depend on the window's size or visibility.
#include "viewer/model/image.hpp"
#include "viewer/gl/gl.hpp"

namespace citytwin::viewer {

class Offscreen {
 public:
  Offscreen(int width, int height);  // throws BackendUnavailable if incomplete
  ~Offscreen();
  Offscreen(const Offscreen&) = delete;
  Offscreen& operator=(const Offscreen&) = delete;

  void bind() const;
  static void unbind();
  int width() const { return width_; }
  int height() const { return height_; }
  // Reads the colour buffer (glReadPixels is bottom-up; rows are flipped).
  Image read() const;

 private:
  int width_, height_;
  GLuint fbo_ = 0, color_ = 0;
};

}  // namespace citytwin::viewer
