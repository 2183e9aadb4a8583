#pragma once
// Inputs are read only from regular files: a FIFO, a device or a socket named
// as a manifest, scenario, OD matrix, TNTP, MATPOWER or snapshot file would
// block a reader forever (or read without end), so it is refused up front.
#include <filesystem>
#include <string>

namespace citytwin {

// Throws InvalidInput naming `path` when it exists but is not a regular file
// (symbolic links are followed). A missing path is left to the caller's own
// "not found" error. `what` names the kind of input ("scenario file").
void require_regular_file(const std::filesystem::path& path, const std::string& what);

// True for a FIFO, character or block device, or socket (after following links).
bool is_special_file(const std::filesystem::path& path);

}  // namespace citytwin
