#include "viewer/model/image.hpp"

#include <algorithm>
#include <stb_image.h>
#include <stb_image_write.h>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

namespace citytwin::viewer {

Rgba Image::pixel(int x, int y) const {
  const std::size_t o = (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 4;
  return {rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]};
}

void Image::flip_rows() {
  const std::size_t stride = std::size_t(width) * 4;
  for (int y = 0; y < height / 2; ++y)
    std::swap_ranges(rgba.begin() + std::ptrdiff_t(std::size_t(y) * stride),
                     rgba.begin() + std::ptrdiff_t(std::size_t(y + 1) * stride),
                     rgba.begin() + std::ptrdiff_t(std::size_t(height - 1 - y) * stride));
}

void write_png(const Image& img, const std::filesystem::path& path) {
  if (img.width <= 0 || img.height <= 0 || img.rgba.size() != std::size_t(img.width) * std::size_t(img.height) * 4)
    throw InvalidInput("PNG export: empty or inconsistent image", {.file = path.string()});
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    if (!stbi_write_png(tmp.c_str(), img.width, img.height, 4, img.rgba.data(), img.width * 4))
      throw IoError("cannot write PNG", {.file = path.string()});
  });
}

Image read_png(const std::filesystem::path& path) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (!data) throw IoError(std::string("cannot read PNG: ") + stbi_failure_reason(), {.file = path.string()});
  Image img{w, h, std::vector<std::uint8_t>(data, data + std::size_t(w) * std::size_t(h) * 4)};
  stbi_image_free(data);
  return img;
}

}  // namespace citytwin::viewer
