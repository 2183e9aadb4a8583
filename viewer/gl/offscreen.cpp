#include "viewer/gl/offscreen.hpp"

#include "core/common/errors.hpp"

namespace citytwin::viewer {

Offscreen::Offscreen(int width, int height) : width_(width), height_(height) {
  glGenFramebuffers(1, &fbo_);
  glGenRenderbuffers(1, &color_);
  glBindRenderbuffer(GL_RENDERBUFFER, color_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color_);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    throw BackendUnavailable("OpenGL: off-screen framebuffer " + std::to_string(width) + "x" + std::to_string(height) +
                             " is incomplete (status " + std::to_string(status) + ")");
}

Offscreen::~Offscreen() {
  glDeleteFramebuffers(1, &fbo_);
  glDeleteRenderbuffers(1, &color_);
}

void Offscreen::bind() const { glBindFramebuffer(GL_FRAMEBUFFER, fbo_); }
void Offscreen::unbind() { glBindFramebuffer(GL_FRAMEBUFFER, 0); }

Image Offscreen::read() const {
  Image img{width_, height_, std::vector<std::uint8_t>(std::size_t(width_) * std::size_t(height_) * 4)};
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  img.flip_rows();
  for (std::size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;  // the map is opaque
  return img;
}

}  // namespace citytwin::viewer
