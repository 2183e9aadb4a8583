#pragma once
// The one place that includes the OpenGL headers. Linux's libOpenGL (GLVND)
// exports every core entry point, so prototypes are used directly; a port to a
// platform without that would put a loader here and nowhere else.
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#include <string>

namespace citytwin::viewer::gl {

// Compiles and links a program; throws BackendUnavailable with the driver's log.
GLuint build_program(const char* vertex_src, const char* fragment_src, const char* name);
// Throws BackendUnavailable when glGetError() reports something ("where" names the call site).
void check(const char* where);
std::string describe_context();  // "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6"

}  // namespace citytwin::viewer::gl
