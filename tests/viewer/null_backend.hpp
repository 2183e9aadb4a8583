#pragma once
// Dear ImGui's null backend for UI tests: a context with the viewer's style
// and a built font atlas, no window and no renderer (the Dear ImGui way of
// testing UI code). The context lives as long as the object.
#include <imgui.h>

#include "viewer/ui/ui.hpp"

namespace citytwin::viewer::test_support {

struct NullBackend {
  NullBackend() {
    ImGui::CreateContext();
    setup_style();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = {1280, 800};
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas; nobody uploads it
  }
  ~NullBackend() { ImGui::DestroyContext(); }
  NullBackend(const NullBackend&) = delete;
  NullBackend& operator=(const NullBackend&) = delete;
};

}  // namespace citytwin::viewer::test_support
