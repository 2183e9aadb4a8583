#pragma once
// An RGBA8 image in top-down row order, PNG written with stb_image_write
// (Debian libstb-dev) and read back with stb_image (tests).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "viewer/model/colormap.hpp"

namespace citytwin::viewer {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4, first row = top

  Rgba pixel(int x, int y) const;
  // glReadPixels returns rows bottom-up: flip them in place.
  void flip_rows();
};

// Throws IoError naming the path.
void write_png(const Image& img, const std::filesystem::path& path);
Image read_png(const std::filesystem::path& path);

}  // namespace citytwin::viewer
