#include "geo/import/toml_file.hpp"

#include <cmath>

#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"

namespace citytwin::geo {

toml::table read_toml_file(const std::filesystem::path& path, const std::string& what) {
  const std::string file = path.string();
  if (!std::filesystem::exists(path)) throw IoError(what + " not found", {.file = file});
  require_regular_file(path, "the " + what);
  try {
    return toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw InvalidInput(std::string("TOML syntax error: ") + std::string(e.description()),
                       {.file = file, .line = static_cast<std::int64_t>(e.source().begin.line)});
  }
}

void TomlChecks::fail(const toml::node& at, const std::string& message) const {
  throw InvalidInput(message, {.file = path_.string(), .line = static_cast<std::int64_t>(at.source().begin.line)});
}

double TomlChecks::number(const toml::node& n, const std::string& key) const {
  double v = 0;
  if (const auto* i = n.as_integer()) v = static_cast<double>(i->get());
  else if (const auto* f = n.as_floating_point()) v = f->get();
  else fail(n, "'" + key + "' must be a number");
  if (!std::isfinite(v)) fail(n, "'" + key + "' must be finite");
  return v;
}

void TomlChecks::only_keys(const toml::table& t, const std::set<std::string>& allowed, const std::string& where) const {
  for (const auto& [k, v] : t) {
    if (allowed.count(std::string(k.str()))) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(v, "unknown key '" + std::string(k.str()) + "' in " + where + "; allowed: " + list);
  }
}

}  // namespace citytwin::geo
