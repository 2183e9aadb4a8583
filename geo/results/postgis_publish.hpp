#pragma once
// Writes layers into the shared platform's database, all or nothing: every
// table of one call is dropped, created and filled inside one transaction, so
// readers see the old tables until the commit and the new ones after it, and
// a failure (no rights, a bad feature, a lost connection) changes nothing.
//
// - publish_tables: a department's layers into its own schema (the department
//   role may write only there; scripts/pg/platform.sql).
// - publish_results: a results GeoPackage (geo/results/results_writer.hpp) into
//   schema `twin` as tables "<name>_<layer>", with its views re-created over
//   them, registered in twin.results_sets so a newer set of the same name
//   replaces exactly the old one.
// Feature ids are kept (provenance refers to them).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace citytwin::geo {

struct TableCopy {
  std::string source;  // OGR data source (a GeoPackage path ...)
  std::string layer;   // layer in it
  std::string table;   // target table in the schema
};

struct PublishedTable {
  std::string schema, table;
  std::int64_t features = 0;
};

std::vector<PublishedTable> publish_tables(const std::string& connection, const std::string& schema,
                                           const std::vector<TableCopy>& tables);

struct PublishedResults {
  std::string name;
  std::vector<PublishedTable> tables;
  std::vector<std::string> views;  // "twin.<name>_<view>"
};

PublishedResults publish_results(const std::string& connection, const std::filesystem::path& gpkg, const std::string& name);

// The results set name for a results file: its lower-cased stem with every
// character outside [a-z0-9_] replaced by '_' ("Baseline-2.gpkg" -> "baseline_2").
std::string default_results_name(const std::filesystem::path& gpkg);

// A lower-case SQL identifier: [a-z_][a-z0-9_]*, at most 63 bytes. Throws
// InvalidInput naming `what` otherwise.
void require_plain_identifier(const std::string& name, const std::string& what);

}  // namespace citytwin::geo
