#include "geo/gdal/source_policy.hpp"

#include <cpl_conv.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"

namespace citytwin::geo {

namespace {
bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != std::tolower(static_cast<unsigned char>(suffix[i])))
      return false;
  return true;
}

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  return true;
}

// The option values that keep GDAL offline: /vsicurl/ opens only files whose
// extension is in the list (none is), and HTTP goes to a closed local port.
constexpr const char* kNoExtensions = ".citytwin-network-not-declared";
constexpr const char* kDeadProxy = "127.0.0.1:9";
}  // namespace

bool parse_source_kind(const std::string& name, SourceKind& out) {
  if (name == "file") out = SourceKind::File;
  else if (name == "archive") out = SourceKind::Archive;
  else if (name == "database") out = SourceKind::Database;
  else if (name == "network") out = SourceKind::Network;
  else return false;
  return true;
}

const char* source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::File: return "file";
    case SourceKind::Archive: return "archive";
    case SourceKind::Database: return "database";
    case SourceKind::Network: return "network";
  }
  return "?";
}

SourceKind classify_source(const std::string& s) {
  for (const char* p : {"/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift", "/vsiwebhdfs", "/vsihdfs"})
    if (starts_with_ci(s, p)) return SourceKind::Network;
  for (const char* p : {"http://", "https://", "ftp://", "ftps://", "wfs:", "oapif:", "carto:", "elasticsearch:", "ngw:", "amigocloud:"})
    if (starts_with_ci(s, p)) return SourceKind::Network;
  if (starts_with_ci(s, "/vsi")) return SourceKind::Archive;  // /vsizip/, /vsitar/, /vsigzip/, /vsi7z/, /vsimem/ ...
  // A driver prefix "NAME:" of two or more letters (a one-letter prefix would be a drive).
  const std::size_t colon = s.find(':');
  if (colon != std::string::npos && colon >= 2) {
    bool word = true;
    for (std::size_t i = 0; i < colon; ++i)
      word = word && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_');
    if (word) return SourceKind::Database;
  }
  return SourceKind::File;
}

void check_source(const std::string& source, SourceKind declared, const std::string& table) {
  const SourceKind is = classify_source(source);
  if (is != declared) {
    if (declared == SourceKind::File)
      throw InvalidInput(std::string("source is a ") + source_kind_name(is) + " source, not a local file; declare it with source_kind = \"" +
                             source_kind_name(is) + "\" in [" + table + "] to allow it",
                         {.file = source, .layer = table, .field = "source"});
    throw InvalidInput(std::string("source_kind = \"") + source_kind_name(declared) + "\" but the source is a " + source_kind_name(is) +
                           " source",
                       {.file = source, .layer = table, .field = "source_kind"});
  }
  if (is == SourceKind::File && is_special_file(source))
    require_regular_file(source, "the [" + table + "] source");  // throws, naming what it is
  if (is == SourceKind::File && ends_with_ci(source, ".vrt")) check_vrt_sources(source, declared, table);
}

// A local .vrt names its own sources, which may be a database or a web
// server: each must be of the kind the layer declares, as if it were the
// layer's source itself (GDAL would otherwise connect on the VRT's word).
void check_vrt_sources(const std::string& vrt, SourceKind declared, const std::string& table) {
  std::ifstream in(vrt, std::ios::binary);
  if (!in) return;  // the reader reports a missing file with its own message
  std::string text(16 << 20, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  static const std::regex source(R"(<(SrcDataSource|SourceFilename)\b[^>]*>\s*([^<]*?)\s*</\1>)", std::regex::icase);
  for (std::sregex_iterator it(text.begin(), text.end(), source), end; it != end; ++it) {
    const std::string inner = (*it)[2].str();
    const SourceKind is = classify_source(inner);
    if (is != SourceKind::File && is != declared)
      throw InvalidInput(std::string("the VRT names a ") + source_kind_name(is) + " source ('" + inner.substr(0, inner.find(' ')) +
                             "...'); declare it with source_kind = \"" + source_kind_name(is) + "\" in [" + table + "] to allow it",
                         {.file = vrt, .layer = table, .field = "source"});
  }
}

GdalNetworkGuard::GdalNetworkGuard(bool allow_network) {
  if (allow_network) return;
  if (const char* v = CPLGetThreadLocalConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", nullptr)) had_extensions_ = true, saved_extensions_ = v;
  if (const char* v = CPLGetThreadLocalConfigOption("GDAL_HTTP_PROXY", nullptr)) had_proxy_ = true, saved_proxy_ = v;
  CPLSetThreadLocalConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", kNoExtensions);
  CPLSetThreadLocalConfigOption("GDAL_HTTP_PROXY", kDeadProxy);
  armed_ = true;
}

GdalNetworkGuard::~GdalNetworkGuard() {
  if (!armed_) return;
  CPLSetThreadLocalConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", had_extensions_ ? saved_extensions_.c_str() : nullptr);
  CPLSetThreadLocalConfigOption("GDAL_HTTP_PROXY", had_proxy_ ? saved_proxy_.c_str() : nullptr);
}

}  // namespace citytwin::geo
