#pragma once
// The shared platform's database, reached through GDAL's PostgreSQL driver
// ("PG:" connection strings). Credentials never travel in a connection string
// citytwin is given: libpq takes them from PGUSER / PGPASSWORD / PGSERVICE or
// a pgpass file, so they appear in no manifest, command line, output or log.
// Layout of the platform (schemas, roles, rights): scripts/pg/platform.sql.
#include <string>
#include <string_view>

#include "geo/gdal/gdal_handles.hpp"

namespace citytwin::geo {

// "PG:..." or "PostgreSQL:..." (any case).
bool is_postgis_source(std::string_view source);

// The text with the value of every `password=` item replaced by "***".
std::string redact_password(std::string_view text);

// The reason of the last GDAL / server failure: the server's "ERROR:" line
// when there is one (not the statement GDAL quotes), password redacted.
std::string last_database_error();

// Throws InvalidInput when a PG connection string carries a password
// (`what` names where it came from: a manifest layer, an option).
void reject_inline_password(const std::string& connection, const std::string& what);

// Opens the database for writing (GDAL's PostgreSQL driver only); throws
// IoError naming the (redacted) connection and libpq's reason.
DatasetPtr open_postgis_for_update(const std::string& connection);

// Before a layer "schema.table" of a PG source is read: throws IoError
// "permission denied for table schema.table (role ...)" when the connected
// role may not SELECT it, instead of GDAL's silent empty read.
void require_select_privilege(GDALDataset& ds, const std::string& source, const std::string& layer);

// Runs one SQL statement inside the dataset's connection (and its open
// transaction); throws IoError naming `what` and the server's message.
void execute_sql(GDALDataset& ds, const std::string& sql, const std::string& what);

// The first column of the first row of a query, as text ("" when NULL or no row).
std::string query_text(GDALDataset& ds, const std::string& sql, const std::string& what);

// SQL literal / identifier quoting for names citytwin builds statements with.
std::string sql_literal(std::string_view text);
std::string sql_identifier(std::string_view name);

}  // namespace citytwin::geo
