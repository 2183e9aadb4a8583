#include "core/common/atomic_file.hpp"

#include <unistd.h>

#include <system_error>

#include "core/common/errors.hpp"

namespace citytwin {

std::filesystem::path temporary_sibling(const std::filesystem::path& target) {
  // Keep the extension last: some GDAL drivers pick the format from it.
  auto tmp = target;
  tmp.replace_filename(".tmp-" + std::to_string(::getpid()) + "-" + target.filename().string());
  return tmp;
}

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& tmp)>& write) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) throw IoError("cannot create folder: " + ec.message(), {.file = target.parent_path().string()});
  const fs::path tmp = temporary_sibling(target);
  fs::remove(tmp, ec);
  try {
    write(tmp);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError("cannot move the finished file into place: " + ec.message(), {.file = target.string()});
  }
}

}  // namespace citytwin
