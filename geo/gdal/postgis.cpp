#include "geo/gdal/postgis.hpp"

#include <cpl_error.h>

#include <algorithm>
#include <cctype>

namespace citytwin::geo {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string server_message() { return last_database_error(); }

void reset_errors() { CPLErrorReset(); }

}  // namespace

std::string last_database_error() {
  std::string m = CPLGetLastErrorMsg();
  // GDAL quotes the statement before the server's "ERROR:  ..." line; the
  // server's line is the reason.
  if (const auto e = m.find("ERROR:"); e != std::string::npos) {
    m = m.substr(e + 6);
    if (const auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
  }
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.pop_back();
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.front()))) m.erase(m.begin());
  return redact_password(m.empty() ? std::string("(no message from GDAL)") : m);
}

bool is_postgis_source(std::string_view source) {
  return starts_with_nocase(source, "PG:") || starts_with_nocase(source, "PostgreSQL:");
}

std::string redact_password(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!starts_with_nocase(text.substr(i), "password")) {
      out += text[i++];
      continue;
    }
    std::size_t j = i + 8;
    while (j < text.size() && text[j] == ' ') ++j;
    if (j >= text.size() || text[j] != '=') {
      out += text.substr(i, j - i);
      i = j;
      continue;
    }
    ++j;
    while (j < text.size() && text[j] == ' ') ++j;
    std::size_t end = j;
    if (end < text.size() && text[end] == '\'') {  // libpq quoting: '...' with \' and \\ escapes
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
    } else {
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"') ++end;
    }
    out += "password=***";
    i = end;
  }
  return out;
}

void reject_inline_password(const std::string& connection, const std::string& what) {
  if (redact_password(connection) == connection) return;
  throw InvalidInput(what + " carries a password in its PG: connection string; citytwin takes credentials only from "
                     "the environment (PGUSER, PGPASSWORD, PGSERVICE) or a pgpass file (PGPASSFILE), so they never "
                     "land in manifests, command lines, outputs or logs",
                     {.file = redact_password(connection)});
}

DatasetPtr open_postgis_for_update(const std::string& connection) {
  reject_inline_password(connection, "the database connection");
  if (!is_postgis_source(connection))
    throw InvalidInput("a database connection must be a GDAL PostgreSQL string starting with PG: (e.g. PG: or "
                       "\"PG:dbname=citytwin host=127.0.0.1\"; user and password come from PGUSER/PGPASSWORD or pgpass)",
                       {.file = connection});
  ensure_gdal_initialised();
  reset_errors();
  const char* drivers[] = {"PostgreSQL", nullptr};
  auto* ds = static_cast<GDALDataset*>(GDALOpenEx(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
  if (!ds) throw IoError("cannot connect to the database: " + server_message(), {.file = redact_password(connection)});
  return DatasetPtr(ds);
}

std::string sql_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string sql_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void execute_sql(GDALDataset& ds, const std::string& sql, const std::string& what) {
  reset_errors();
  OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (result) ds.ReleaseResultSet(result);
  if (CPLGetLastErrorType() >= CE_Failure) throw IoError(what + ": " + server_message(), {.file = redact_password(ds.GetDescription())});
}

std::string query_text(GDALDataset& ds, const std::string& sql, const std::string& what) {
  reset_errors();
  OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (!result || CPLGetLastErrorType() >= CE_Failure) {
    if (result) ds.ReleaseResultSet(result);
    throw IoError(what + ": " + server_message(), {.file = redact_password(ds.GetDescription())});
  }
  std::string value;
  if (FeaturePtr f{result->GetNextFeature()}; f && f->GetFieldCount() > 0 && f->IsFieldSetAndNotNull(0)) value = f->GetFieldAsString(0);
  ds.ReleaseResultSet(result);
  return value;
}

void require_select_privilege(GDALDataset& ds, const std::string& source, const std::string& layer) {
  const auto dot = layer.find('.');
  const std::string schema = dot == std::string::npos ? "public" : layer.substr(0, dot);
  const std::string table = dot == std::string::npos ? layer : layer.substr(dot + 1);
  const std::string name = "format('%I.%I', " + sql_literal(schema) + ", " + sql_literal(table) + ")";
  const SourceLocation where{.file = redact_password(source), .layer = layer};
  std::string verdict;
  try {
    verdict = query_text(ds,
                         "SELECT CASE WHEN to_regclass(" + name + ") IS NULL THEN 'missing' WHEN has_table_privilege(" + name +
                             ", 'SELECT') THEN 'ok' ELSE 'denied' END",
                         "cannot check access to table " + schema + "." + table);
  } catch (const IoError& e) {
    throw IoError(e.message(), where);
  }
  if (verdict == "ok") return;
  const std::string role = query_text(ds, "SELECT current_user", "cannot name the connected role");
  if (verdict == "missing") throw IoError("no such table " + schema + "." + table + " (connected as role " + role + ")", where);
  throw IoError("permission denied for table " + schema + "." + table + ": role " + role +
                    " may not read it (its owner has not granted SELECT); nothing was read",
                where);
}

}  // namespace citytwin::geo
