#pragma once
// Which GDAL data sources a manifest layer may open. By default only a local
// regular file or folder: GDAL's virtual file systems (/vsizip/, /vsicurl/,
// /vsis3/ ...), URLs and database connection strings (PG:, MySQL: ...) would
// read archives, contact web servers or log into databases that nobody asked
// for, and a FIFO or device would block the import forever. A layer opts in
// with `source_kind = "archive" | "database" | "network"` (datasets/manifests/README.md).
#include <string>

namespace citytwin::geo {

enum class SourceKind { File, Archive, Database, Network };

// "file", "archive", "database", "network"; false for anything else.
bool parse_source_kind(const std::string& name, SourceKind& out);
const char* source_kind_name(SourceKind kind);

// What a source string is, by its form.
SourceKind classify_source(const std::string& source);

// Throws InvalidInput when `source` is not of the declared kind (naming the
// source, the kind it is and the key that would allow it), or, for a file,
// when it exists but is a FIFO, device or socket.
void check_source(const std::string& source, SourceKind declared, const std::string& table);
// The sources a local .vrt names (SrcDataSource, SourceFilename) held to the same rule.
void check_vrt_sources(const std::string& vrt, SourceKind declared, const std::string& table);

// While alive, this thread's GDAL cannot reach the network through
// /vsicurl/ (e.g. from inside a .vrt file) unless `allow_network`.
class GdalNetworkGuard {
 public:
  explicit GdalNetworkGuard(bool allow_network);
  ~GdalNetworkGuard();
  GdalNetworkGuard(const GdalNetworkGuard&) = delete;
  GdalNetworkGuard& operator=(const GdalNetworkGuard&) = delete;

 private:
  std::string saved_extensions_, saved_proxy_;
  bool had_extensions_ = false, had_proxy_ = false, armed_ = false;
};

}  // namespace citytwin::geo
