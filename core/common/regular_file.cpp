#include "core/common/regular_file.hpp"

#include <sys/stat.h>

#include "core/common/errors.hpp"

namespace citytwin {

namespace {
const char* kind_of(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISDIR(m)) return "a folder";
  return "not a regular file";
}
}  // namespace

bool is_special_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode);
}

void require_regular_file(const std::filesystem::path& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // missing: the caller says "not found"
  if (!S_ISREG(st.st_mode))
    throw InvalidInput(what + " is " + kind_of(st.st_mode) + ", not a regular file; inputs are read from regular files only",
                       {.file = path.string()});
}

}  // namespace citytwin
