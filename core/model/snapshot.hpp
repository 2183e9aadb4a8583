#pragma once
// The .twin snapshot: a versioned, checksummed binary image of a Twin that
// reloads far faster than re-importing the departments' layers.
//
// Layout (little-endian):
//   "CITYTWIN" | u32 format version | u32 0x01020304 (byte order check)
//   | u64 payload bytes | u64 FNV-1a 64 of the payload | payload
// The payload is the Twin's columns in a fixed order (see snapshot.cpp).
// Version 2 is version 1 followed by the twin's calibration
// (core/model/twin_calibration.hpp); a twin without one is written as version
// 1, byte for byte as before.
#include <filesystem>

#include "core/model/twin.hpp"

namespace citytwin {

inline constexpr std::uint32_t kSnapshotVersion = 1;
inline constexpr std::uint32_t kSnapshotVersionCalibrated = 2;

// Writes atomically (temporary file, then rename). Throws IoError.
void write_snapshot(const Twin& twin, const std::filesystem::path& path);

// Throws IoError for a missing/unreadable file and InvalidInput for a
// truncated, foreign, corrupted or newer-version file, and for one whose
// columns contradict each other (validate_twin: a checksum proves nothing).
Twin read_snapshot(const std::filesystem::path& path);

}  // namespace citytwin
