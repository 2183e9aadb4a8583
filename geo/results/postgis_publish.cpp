#include "geo/results/postgis_publish.hpp"

#include <cpl_error.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "geo/gdal/gdal_handles.hpp"
#include "geo/gdal/postgis.hpp"

namespace citytwin::geo {

namespace {

std::string gdal_message() { return last_database_error(); }

// One open transaction on the database; rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(GDALDataset& ds) : ds_(ds) {
    CPLErrorReset();
    if (ds_.StartTransaction(TRUE) != OGRERR_NONE)
      throw IoError("cannot start a transaction: " + gdal_message(), {.file = redact_password(ds_.GetDescription())});
  }
  ~Transaction() {
    if (!done_) ds_.RollbackTransaction();
  }
  void commit() {
    CPLErrorReset();
    done_ = true;
    if (ds_.CommitTransaction() != OGRERR_NONE)
      throw IoError("the transaction did not commit, nothing was written: " + gdal_message(),
                    {.file = redact_password(ds_.GetDescription())});
  }

 private:
  GDALDataset& ds_;
  bool done_ = false;
};

// Copies every feature of `src` (keeping its FID) into a new table
// schema.table; throws IoError naming the table (and the source feature).
std::int64_t copy_layer(OGRLayer& src, const std::string& src_name, GDALDataset& db, const std::string& schema, const std::string& table) {
  const std::string target = schema + "." + table;
  const std::string geometry = src.GetGeometryColumn() && *src.GetGeometryColumn() ? src.GetGeometryColumn() : "geom";
  const std::string fid = src.GetFIDColumn() && *src.GetFIDColumn() ? src.GetFIDColumn() : "fid";
  const std::string o_schema = "SCHEMA=" + schema, o_geom = "GEOMETRY_NAME=" + geometry, o_fid = "FID=" + fid;
  const char* options[] = {o_schema.c_str(), o_geom.c_str(), o_fid.c_str(), "LAUNDER=NO", "PRECISION=NO", "OVERWRITE=NO", nullptr};
  const SourceLocation at{.file = src_name, .layer = src.GetName()};
  CPLErrorReset();
  OGRLayer* dst = db.CreateLayer(table.c_str(), src.GetSpatialRef(), src.GetGeomType(), const_cast<char**>(options));
  if (!dst) throw IoError("cannot create table " + target + ": " + gdal_message(), at);
  // GDAL sends reals to PostgreSQL with 15 significant digits; to keep every
  // bit they travel as text with 17 digits and become float8 on the server.
  OGRFeatureDefn* defn = src.GetLayerDefn();
  std::vector<int> reals;
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    OGRFieldDefn field(defn->GetFieldDefn(i));
    if (field.GetType() == OFTReal) {
      reals.push_back(i);
      field.SetType(OFTString);
      field.SetSubType(OFSTNone);
      field.SetWidth(0);
    }
    if (dst->CreateField(&field) != OGRERR_NONE)
      throw IoError("cannot create column " + std::string(defn->GetFieldDefn(i)->GetNameRef()) + " of table " + target + ": " +
                        gdal_message(),
                    at);
  }
  src.ResetReading();
  std::int64_t n = 0;
  for (;;) {
    CPLErrorReset();
    FeaturePtr f(src.GetNextFeature());
    if (!f) {
      if (CPLGetLastErrorType() >= CE_Failure) throw IoError("reading the source failed after " + std::to_string(n) + " features: " + gdal_message(), at);
      break;
    }
    FeaturePtr out(OGRFeature::CreateFeature(dst->GetLayerDefn()));
    out->SetFrom(f.get(), TRUE);
    out->SetFID(f->GetFID());
    for (int i : reals) {
      if (!f->IsFieldSetAndNotNull(i)) continue;
      char text[40];
      std::snprintf(text, sizeof text, "%.17g", f->GetFieldAsDouble(i));
      out->SetField(i, text);
    }
    if (dst->CreateFeature(out.get()) != OGRERR_NONE || CPLGetLastErrorType() >= CE_Failure) {
      SourceLocation loc = at;
      loc.feature = f->GetFID();
      throw IoError("cannot write to table " + target + ": " + gdal_message(), loc);
    }
    ++n;
  }
  // The PostgreSQL driver creates the table and sends COPY data lazily:
  // flush now, so its errors are this table's.
  CPLErrorReset();
  if (dst->SyncToDisk() != OGRERR_NONE || CPLGetLastErrorType() >= CE_Failure)
    throw IoError("cannot write table " + target + ": " + gdal_message(), at);
  if (!reals.empty()) {
    std::string alter = "ALTER TABLE " + sql_identifier(schema) + "." + sql_identifier(table);
    for (std::size_t k = 0; k < reals.size(); ++k) {
      const std::string column = sql_identifier(defn->GetFieldDefn(reals[k])->GetNameRef());
      alter += (k ? ", " : " ") + std::string("ALTER COLUMN ") + column + " TYPE double precision USING " + column + "::double precision";
    }
    execute_sql(db, alter, "cannot store the real columns of table " + target);
  }
  return n;
}

std::string sql_text_array(const std::vector<std::string>& names) {
  std::string a = "ARRAY[";
  for (std::size_t i = 0; i < names.size(); ++i) a += (i ? ", " : "") + sql_literal(names[i]);
  return a + "]::text[]";
}

// Drops the tables and views of schema `schema` named in `names` that exist
// (views first, as they read the tables); anything else depending on them
// makes the statement, and the transaction, fail.
std::string drop_relations_sql(const std::string& schema, const std::string& names_array) {
  return "DO $citytwin$ DECLARE r record; BEGIN "
         "FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname = " + sql_literal(schema) + " AND c.relname = ANY(" + names_array + ") AND c.relkind IN ('r', 'v', 'p') "
         "ORDER BY c.relkind = 'v' DESC LOOP "
         "EXECUTE format(CASE r.relkind WHEN 'v' THEN 'DROP VIEW %I.%I' ELSE 'DROP TABLE %I.%I' END, " + sql_literal(schema) +
         ", r.relname); END LOOP; END $citytwin$";
}

struct ViewDef {
  std::string name, sql;
};

std::vector<ViewDef> gpkg_views(GDALDataset& gpkg, const std::string& path) {
  CPLErrorReset();
  OGRLayer* rs = gpkg.ExecuteSQL("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name", nullptr, "SQLITE");
  if (!rs) throw IoError("cannot list the views of the results file: " + gdal_message(), {.file = path});
  std::vector<ViewDef> views;
  for (FeaturePtr f(rs->GetNextFeature()); f; f.reset(rs->GetNextFeature())) views.push_back({f->GetFieldAsString(0), f->GetFieldAsString(1)});
  gpkg.ReleaseResultSet(rs);
  return views;
}

// The view's SELECT with every table it reads (FROM / JOIN "t") renamed to
// twin."<prefix>t"; a table that was not copied is an error.
std::string rewrite_view(const ViewDef& v, const std::string& schema, const std::string& prefix, const std::set<std::string>& tables,
                         const std::string& path) {
  static const std::regex head(R"re(^\s*CREATE\s+VIEW\s+("[^"]+"|\S+)\s+AS\s+)re", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(v.sql, m, head))
    throw InvalidInput("cannot carry view " + v.name + " to PostGIS: its definition is not CREATE VIEW ... AS SELECT", {.file = path, .layer = v.name});
  const std::string body = m.suffix();
  static const std::regex ref(R"re(\b(FROM|JOIN)\s+(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*)))re", std::regex::icase);
  std::string out;
  auto it = body.cbegin();
  for (std::sregex_iterator r(body.begin(), body.end(), ref), end; r != end; ++r) {
    const std::string table = (*r)[2].matched ? (*r)[2].str() : (*r)[3].str();
    if (!tables.count(table))
      throw InvalidInput("cannot carry view " + v.name + " to PostGIS: it reads '" + table + "', which is not a table of the file",
                         {.file = path, .layer = v.name});
    out.append(it, (*r)[0].first);
    out += (*r)[1].str() + " " + sql_identifier(schema) + "." + sql_identifier(prefix + table);
    it = (*r)[0].second;
  }
  out.append(it, body.cend());
  return out;
}

}  // namespace

void require_plain_identifier(const std::string& name, const std::string& what) {
  static const std::regex plain("[a-z_][a-z0-9_]*");
  if (name.size() > 63 || !std::regex_match(name, plain))
    throw InvalidInput(what + " '" + name + "' must be a lower-case SQL name: letters a-z, digits and _, not starting with a digit, "
                                           "at most 63 characters");
}

std::string default_results_name(const std::filesystem::path& gpkg) {
  std::string name;
  for (char c : gpkg.stem().string()) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    name += (std::isalnum(static_cast<unsigned char>(l)) && static_cast<unsigned char>(l) < 128) || l == '_' ? l : '_';
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) name = "r_" + name;
  return name;
}

std::vector<PublishedTable> publish_tables(const std::string& connection, const std::string& schema,
                                           const std::vector<TableCopy>& tables) {
  require_plain_identifier(schema, "schema");
  for (const auto& t : tables) require_plain_identifier(t.table, "table name");
  DatasetPtr db = open_postgis_for_update(connection);
  std::vector<PublishedTable> done;
  Transaction tx(*db);
  for (const auto& t : tables)
    execute_sql(*db, "DROP TABLE IF EXISTS " + sql_identifier(schema) + "." + sql_identifier(t.table),
                "cannot replace table " + schema + "." + t.table);
  for (const auto& t : tables) {
    DatasetPtr src = open_vector(t.source);
    OGRLayer& layer = require_layer(*src, t.source, t.layer);
    done.push_back({schema, t.table, copy_layer(layer, t.source, *db, schema, t.table)});
  }
  tx.commit();
  return done;
}

PublishedResults publish_results(const std::string& connection, const std::filesystem::path& gpkg, const std::string& name) {
  const std::string schema = "twin";
  require_plain_identifier(name, "results name");
  const std::string path = gpkg.string();
  DatasetPtr src = open_vector(path);
  const std::vector<ViewDef> views = gpkg_views(*src, path);
  std::set<std::string> view_names;
  for (const auto& v : views) view_names.insert(v.name);

  PublishedResults out{.name = name};
  std::vector<std::string> relations;  // new names in `twin`
  std::set<std::string> tables;
  std::vector<OGRLayer*> layers;
  for (int i = 0; i < src->GetLayerCount(); ++i) {
    OGRLayer* l = src->GetLayer(i);
    const std::string layer = l->GetName();
    if (view_names.count(layer)) continue;
    require_plain_identifier(name + "_" + layer, "results table");
    tables.insert(layer);
    layers.push_back(l);
    relations.push_back(name + "_" + layer);
  }
  if (layers.empty()) throw InvalidInput("the results file has no layers", {.file = path});
  std::vector<std::pair<std::string, std::string>> view_sql;  // target name, SELECT
  for (const auto& v : views) {
    require_plain_identifier(name + "_" + v.name, "results view");
    view_sql.emplace_back(name + "_" + v.name, rewrite_view(v, schema, name + "_", tables, path));
    relations.push_back(name + "_" + v.name);
  }

  DatasetPtr db = open_postgis_for_update(connection);
  Transaction tx(*db);
  // One writer per results name at a time; the old set (as registered) and
  // anything in the way of the new names go first.
  execute_sql(*db, "SELECT pg_advisory_xact_lock(hashtext(" + sql_literal("citytwin results " + name) + "))",
              "cannot lock results set " + name);
  const std::string registry = sql_identifier(schema) + ".results_sets";
  execute_sql(*db,
              drop_relations_sql(schema, "(" + sql_text_array(relations) + " || COALESCE((SELECT relations FROM " + registry +
                                             " WHERE name = " + sql_literal(name) + "), '{}'::text[]))"),
              "cannot replace results set " + name + " in schema " + schema);
  for (OGRLayer* l : layers) out.tables.push_back({schema, name + "_" + l->GetName(), copy_layer(*l, path, *db, schema, name + "_" + l->GetName())});
  for (const auto& [view, select] : view_sql) {
    execute_sql(*db, "CREATE VIEW " + sql_identifier(schema) + "." + sql_identifier(view) + " AS " + select,
                "cannot create view " + schema + "." + view);
    out.views.push_back(schema + "." + view);
  }
  execute_sql(*db,
              "INSERT INTO " + registry + " (name, relations, source) VALUES (" + sql_literal(name) + ", " + sql_text_array(relations) +
                  ", " + sql_literal(std::filesystem::absolute(gpkg).lexically_normal().string()) +
                  ") ON CONFLICT (name) DO UPDATE SET relations = EXCLUDED.relations, source = EXCLUDED.source, written_at = now()",
              "cannot register results set " + name + " in " + schema + ".results_sets");
  tx.commit();
  return out;
}

}  // namespace citytwin::geo
