#include "viewer/gl/gl.hpp"

#include <vector>

#include "core/common/errors.hpp"

namespace citytwin::viewer::gl {

namespace {
GLuint compile(GLenum type, const char* src, const char* name) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    GLint len = 0;
    glGetShaderiv(s, GL_INFO_LOG_LENGTH, &len);
    std::vector<char> log(std::size_t(len > 0 ? len : 1), '\0');
    glGetShaderInfoLog(s, len, nullptr, log.data());
    glDeleteShader(s);
    throw BackendUnavailable(std::string("OpenGL: compiling the ") + name +
                             (type == GL_VERTEX_SHADER ? " vertex" : " fragment") + " shader failed: " + log.data());
  }
  return s;
}
}  // namespace

GLuint build_program(const char* vertex_src, const char* fragment_src, const char* name) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex_src, name);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_src, name);
  const GLuint p = glCreateProgram();
  glAttachShader(p, vs);
  glAttachShader(p, fs);
  glLinkProgram(p);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    GLint len = 0;
    glGetProgramiv(p, GL_INFO_LOG_LENGTH, &len);
    std::vector<char> log(std::size_t(len > 0 ? len : 1), '\0');
    glGetProgramInfoLog(p, len, nullptr, log.data());
    glDeleteProgram(p);
    throw BackendUnavailable(std::string("OpenGL: linking the ") + name + " program failed: " + log.data());
  }
  return p;
}

void check(const char* where) {
  const GLenum e = glGetError();
  if (e != GL_NO_ERROR) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", unsigned(e));
    throw BackendUnavailable(std::string("OpenGL error ") + buf + " in " + where);
  }
}

std::string describe_context() {
  auto str = [](GLenum e) {
    const GLubyte* s = glGetString(e);
    return s ? std::string(reinterpret_cast<const char*>(s)) : std::string("?");
  };
  return str(GL_RENDERER) + ", OpenGL " + str(GL_VERSION);
}

}  // namespace citytwin::viewer::gl
