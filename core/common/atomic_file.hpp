#pragma once
// Writes go to "<path>.tmp-<pid>" and are renamed over the target only once
// complete, so an interrupted or failed write never leaves a half file behind.
#include <filesystem>
#include <functional>
#include <string>

namespace citytwin {

// Calls write(tmp_path); on success renames tmp_path to `target`, on any
// exception removes tmp_path and rethrows. Creates the parent folder.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& tmp)>& write);

std::filesystem::path temporary_sibling(const std::filesystem::path& target);

}  // namespace citytwin
