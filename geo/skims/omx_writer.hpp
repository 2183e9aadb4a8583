#pragma once
// Writes Open Matrix (OMX 0.2) files, the matrix exchange format of transport
// modelling software (https://github.com/osPlanning/omx/wiki/Specification),
// with the HDF5 C library:
//   root attributes  OMX_VERSION = "0.2" (fixed-length string), SHAPE = int32[2] {rows, cols}
//   /data/<name>     float64 rows x cols, chunked, zlib level 1 where the library has it
//   /lookup/<name>   int32[rows] zone numbers (the same for columns: skims are square)
// The only HDF5 user: its headers stay in omx_writer.cpp.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace citytwin::geo {

using OmxAttribute = std::pair<std::string, std::variant<std::string, double>>;

struct OmxMatrix {
  std::string name;                     // no '/' (an HDF5 path separator)
  std::span<const double> values;       // rows x cols, row-major
  std::vector<OmxAttribute> attributes; // e.g. {"units", "min"}
};

struct OmxLookup {
  std::string name;
  std::vector<std::int32_t> values;  // one per row
};

struct OmxContent {
  std::int32_t rows = 0, cols = 0;
  std::vector<OmxMatrix> matrices;
  std::vector<OmxLookup> lookups;
  std::vector<OmxAttribute> attributes;  // extra root attributes (OMX_CREATED_WITH, ...)
};

// Written atomically (a temporary sibling renamed into place). Throws
// InvalidInput for an empty shape, a bad or repeated name or a size mismatch,
// IoError naming `path` (and HDF5's reason) when the file cannot be written.
void write_omx(const std::filesystem::path& path, const OmxContent& content);

}  // namespace citytwin::geo
