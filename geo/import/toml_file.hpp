#pragma once
// What the TOML readers (manifests, scenarios) share: reading a file with its
// syntax errors mapped to InvalidInput with file and line, and the strict
// checks that name the file, line and key of anything unexpected.
#include <filesystem>
#include <set>
#include <string>
#include <toml++/toml.h>

namespace citytwin::geo {

// `what` names the kind of file in the "not found" message ("manifest", "scenario file").
toml::table read_toml_file(const std::filesystem::path& path, const std::string& what);

class TomlChecks {
 public:
  explicit TomlChecks(std::filesystem::path path) : path_(std::move(path)) {}
  const std::filesystem::path& path() const { return path_; }
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const;
  // Every key of `t` must be in `allowed`; `where` names the table in the message.
  void only_keys(const toml::table& t, const std::set<std::string>& allowed, const std::string& where) const;
  // A finite number (integer or float) under `key`; an integer beyond 2^53 is
  // taken at the nearest double (toml++'s value<double>() refuses it).
  double number(const toml::node& n, const std::string& key) const;

 private:
  std::filesystem::path path_;
};

}  // namespace citytwin::geo
