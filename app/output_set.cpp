#include "app/output_set.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/common/errors.hpp"

namespace citytwin::app {

namespace fs = std::filesystem;

namespace {

// The pid in a ".tmp-<pid>-..." name (core/common/atomic_file's scheme), or -1.
long temporary_pid(const std::string& name) {
  constexpr std::string_view prefix = ".tmp-";
  if (name.rfind(prefix, 0) != 0) return -1;
  std::size_t i = prefix.size();
  long pid = 0;
  const std::size_t start = i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - start < 10) pid = pid * 10 + (name[i++] - '0');
  if (i == start || i >= name.size() || name[i] != '-') return -1;
  return pid;
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH); }

fs::path stem_of(const fs::path& gpkg) {
  fs::path stem = gpkg.filename();
  stem.replace_extension();
  return stem;
}

// `link` -> `target` (relative), replacing whatever `link` was with one rename.
void point_link(const fs::path& link, const fs::path& target) {
  std::error_code ec;
  if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec) == target) return;
  if (fs::is_directory(fs::symlink_status(link, ec)))
    throw IoError("a folder is in the way of the results link; move it or choose another --out", {.file = link.string()});
  const fs::path tmp = link.parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" + link.filename().string());
  fs::remove(tmp, ec);
  fs::create_symlink(target, tmp, ec);
  if (ec) throw IoError("cannot create the results link: " + ec.message(), {.file = link.string()});
  fs::rename(tmp, link, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError("cannot put the results link in place: " + ec.message(), {.file = link.string()});
  }
}

}  // namespace

fs::path run_set_folder(const fs::path& gpkg) {
  return gpkg.parent_path() / (stem_of(gpkg).string() + ".run");
}

RunSetPaths run_set_files(const fs::path& folder, const fs::path& gpkg) {
  const std::string stem = stem_of(gpkg).string();
  return {folder / gpkg.filename(), folder / (stem + ".summary.json"), folder / (stem + ".hours.csv")};
}

std::size_t remove_stale_temporaries(const fs::path& folder) {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(folder.empty() ? "." : folder, ec), end; !ec && it != end; it.increment(ec)) {
    const long pid = temporary_pid(it->path().filename().string());
    if (pid < 0 || pid == ::getpid() || process_alive(pid)) continue;
    std::error_code rm;
    if (fs::remove_all(it->path(), rm) > 0 && !rm) ++removed;
  }
  return removed;
}

void publish_run_set(const fs::path& gpkg, const std::function<void(const RunSetPaths& tmp)>& write, bool remove_stale) {
  const fs::path parent = gpkg.parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) throw IoError("cannot create folder: " + ec.message(), {.file = parent.string()});
  if (remove_stale) remove_stale_temporaries(parent);

  const fs::path set = run_set_folder(gpkg);
  const fs::path tmp = parent / (".tmp-" + std::to_string(::getpid()) + "-" + set.filename().string());
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw IoError("cannot create a temporary folder: " + ec.message(), {.file = tmp.string()});
  try {
    write(run_set_files(tmp, gpkg));
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }

  // One rename publishes the set: onto a free name, or swapped with the old set.
  const auto status = fs::symlink_status(set, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    fs::remove_all(tmp, ec);
    throw IoError("is in the way of the results folder (not a folder); move it or choose another --out", {.file = set.string()});
  }
  int rc = fs::exists(status) ? ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, set.c_str(), RENAME_EXCHANGE)
                              : ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, set.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
    // A file system without renameat2 flags: move the old set aside first (the
    // set is then briefly absent, never mixed).
    const fs::path old = parent / (".tmp-" + std::to_string(::getpid()) + "-old-" + set.filename().string());
    fs::remove_all(old, ec);
    if (fs::exists(status)) fs::rename(set, old, ec);
    rc = ::rename(tmp.c_str(), set.c_str());
    if (rc == 0) fs::remove_all(old, ec);
  }
  if (rc != 0) {
    const std::string why = std::strerror(errno);
    fs::remove_all(tmp, ec);
    throw IoError("cannot publish the results folder: " + why, {.file = set.string()});
  }
  fs::remove_all(tmp, ec);  // the old set, if there was one

  const fs::path rel = set.filename();
  const RunSetPaths inside = run_set_files(rel, gpkg);
  const RunSetPaths links = run_set_files(parent, gpkg);
  point_link(gpkg, inside.gpkg);
  point_link(links.summary, inside.summary);
  point_link(links.hours, inside.hours);
}

}  // namespace citytwin::app
