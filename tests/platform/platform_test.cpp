// The shared platform against a real PostgreSQL 15 + PostGIS server, started
// by scripts/pg-cluster.sh as ctest's fixture (platform_cluster_start): the
// roles' rights, publish -> import giving the same twin as the GeoPackages, a
// run's results read back equal from schema twin, and credentials in no
// output. Nothing is mocked; without a server every test fails with the reason.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/model/snapshot.hpp"
#include "geo/gdal/gdal_handles.hpp"

namespace fs = std::filesystem;

namespace {

struct Shell {
  int code = -1;
  std::string out;  // stdout and stderr
};

Shell shell(const std::string& cmd) {
  Shell r;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) r.out += buffer.data();
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// `citytwin ARGS` connected as `role` (libpq reads the password from PGPASSFILE).
Shell citytwin_as(const std::string& role, const std::string& args) {
  return shell("PGUSER=" + role + " " + std::string(CITYTWIN_BINARY) + " " + args);
}

// One SQL statement through psql as `role`; unaligned, tuples only.
Shell sql_as(const std::string& role, const std::string& sql) {
  return shell("PGUSER=" + role + " /usr/lib/postgresql/15/bin/psql -X -q -A -t -v ON_ERROR_STOP=1 -c " + quoted(sql));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

const std::string kTransport = "citytwin_transport", kEnergy = "citytwin_energy", kPlanning = "citytwin_planning", kTwin = "citytwin_twin";

// Per test process (ctest runs each case in its own process): the cluster's
// connection environment, a small synthetic city, published by each
// department's own role. Done in SetUp so a failure fails the test.
class Platform : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ready_) return;
    const fs::path pg_dir = CITYTWIN_TEST_PG_DIR;
    std::ifstream env(pg_dir / "env");
    ASSERT_TRUE(env) << "no PostgreSQL cluster environment at " << (pg_dir / "env")
                     << ": the fixture test platform_cluster_start (scripts/pg-cluster.sh start) did not run or failed";
    for (std::string line; std::getline(env, line);) {
      if (line.rfind("export ", 0) == 0) line = line.substr(7);
      const auto eq = line.find('=');
      if (eq != std::string::npos) ::setenv(line.substr(0, eq).c_str(), line.substr(eq + 1).c_str(), 1);
    }
    const Shell ready = shell("/usr/lib/postgresql/15/bin/pg_isready -h \"$PGHOST\" -p \"$PGPORT\"");
    ASSERT_EQ(ready.code, 0) << "the PostgreSQL server of " << pg_dir << " does not accept connections: " << ready.out;
    dir_ = fs::temp_directory_path() / ("citytwin_platform_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const Shell g = shell(std::string(CITYTWIN_BINARY) + " generate --links 2000 --seed 3 -o " + (dir_ / "city").string());
    ASSERT_EQ(g.code, 0) << g.out;
    for (const char* d : {"transport", "energy", "planning"}) {
      const Shell p = citytwin_as(std::string("citytwin_") + d, "publish " + (dir_ / "city/manifest.toml").string() + " --department " + d);
      ASSERT_EQ(p.code, 0) << d << ": " << p.out;
    }
    ready_ = true;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static std::string manifest() { return (dir_ / "city/manifest.toml").string(); }
  static std::string postgis_manifest() { return std::string(CITYTWIN_SOURCE_DIR) + "/datasets/manifests/postgis.toml"; }
  static fs::path dir_;
  static bool ready_;
};
fs::path Platform::dir_;
bool Platform::ready_ = false;

std::int64_t gpkg_count(const fs::path& gpkg, const std::string& layer) {
  auto ds = citytwin::geo::open_vector(gpkg.string());
  return citytwin::geo::require_layer(*ds, gpkg.string(), layer).GetFeatureCount(TRUE);
}

TEST_F(Platform, EachDepartmentWritesOnlyItsOwnSchemaAndReadsTheOthers) {
  const std::string probe = "rights_probe_" + std::to_string(::getpid());
  const std::map<std::string, std::string> own = {
      {kTransport, "transport"}, {kEnergy, "energy"}, {kPlanning, "planning"}, {kTwin, "twin"}};
  for (const auto& [role, mine] : own) {
    for (const char* schema : {"transport", "energy", "planning", "twin", "public"}) {
      const Shell r = sql_as(role, "CREATE TABLE " + std::string(schema) + "." + probe + " (a int)");
      if (schema == mine) {
        EXPECT_EQ(r.code, 0) << role << " could not write its own schema " << schema << ": " << r.out;
        EXPECT_EQ(sql_as(role, "DROP TABLE " + std::string(schema) + "." + probe).code, 0);
      } else {
        EXPECT_NE(r.code, 0) << role << " wrote schema " << schema;
        EXPECT_NE(r.out.find("permission denied for schema " + std::string(schema)), std::string::npos) << r.out;
      }
    }
  }
  // Every role reads every department's published tables, with all their rows.
  const auto streets = gpkg_count(dir_ / "city/roads.gpkg", "streets");
  const auto substations = gpkg_count(dir_ / "city/grid.gpkg", "substations");
  const auto districts = gpkg_count(dir_ / "city/districts.gpkg", "planning_districts");
  for (const auto& role : {kTransport, kEnergy, kPlanning, kTwin}) {
    const Shell r = sql_as(role, "SELECT (SELECT count(*) FROM transport.streets) || ' ' || (SELECT count(*) FROM energy.substations) || ' ' || "
                               "(SELECT count(*) FROM planning.planning_districts)");
    ASSERT_EQ(r.code, 0) << role << ": " << r.out;
    EXPECT_EQ(r.out, std::to_string(streets) + " " + std::to_string(substations) + " " + std::to_string(districts) + "\n") << role;
  }
  // A department cannot change another's rows either.
  const Shell del = sql_as(kEnergy, "DELETE FROM transport.streets");
  EXPECT_NE(del.code, 0);
  EXPECT_NE(del.out.find("permission denied for table streets"), std::string::npos) << del.out;
}

TEST_F(Platform, PublishingIntoAnotherDepartmentsSchemaFailsNamingTheTableAndChangesNothing) {
  const Shell before = sql_as(kTwin, "SELECT count(*) || ' ' || min(xmin::text) FROM transport.streets");
  ASSERT_EQ(before.code, 0) << before.out;
  const Shell r = citytwin_as(kEnergy, "publish " + manifest() + " --department transport");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("transport.streets"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("must be owner of table streets"), std::string::npos) << r.out;
  // Same rows, same row versions: nothing was dropped or rewritten.
  EXPECT_EQ(sql_as(kTwin, "SELECT count(*) || ' ' || min(xmin::text) FROM transport.streets").out, before.out);
  // And results go only to the twin's role.
  const Shell res = citytwin_as(kEnergy, "publish --results " + (dir_ / "city/grid.gpkg").string() + " --name energy_try");
  EXPECT_EQ(res.code, 3) << res.out;
  EXPECT_NE(res.out.find("twin.energy_try_"), std::string::npos) << res.out;
  EXPECT_EQ(sql_as(kTwin, "SELECT count(*) FROM pg_tables WHERE schemaname = 'twin' AND tablename LIKE 'energy_try%'").out, "0\n");
}

TEST_F(Platform, ATableTheRoleMayNotReadIsAnErrorNamingItNotAnEmptyLayer) {
  // Energy keeps a copy of its substations from planning.
  const std::string table = "private_substations_" + std::to_string(::getpid());
  ASSERT_EQ(sql_as(kEnergy, "DROP TABLE IF EXISTS energy." + table + "; CREATE TABLE energy." + table +
                                " AS SELECT * FROM energy.substations; REVOKE SELECT ON energy." + table + " FROM citytwin_planning")
                .code,
            0);
  std::string m = read_file(postgis_manifest());
  const std::string from = "layer = \"energy.substations\"";
  ASSERT_NE(m.find(from), std::string::npos);
  m.replace(m.find(from), from.size(), "layer = \"energy." + table + "\"");
  const fs::path private_manifest = dir_ / "private.toml";
  std::ofstream(private_manifest) << m;

  const fs::path out = dir_ / "planning.twin";
  const Shell denied = citytwin_as(kPlanning, "import " + private_manifest.string() + " -o " + out.string());
  EXPECT_EQ(denied.code, 3) << denied.out;
  EXPECT_NE(denied.out.find("permission denied for table energy." + table), std::string::npos) << denied.out;
  EXPECT_NE(denied.out.find("citytwin_planning"), std::string::npos) << denied.out;
  EXPECT_FALSE(fs::exists(out)) << "a partial twin was written";
  // The twin's role may read it: the same manifest imports.
  const Shell allowed = citytwin_as(kTwin, "import " + private_manifest.string() + " -o " + out.string());
  EXPECT_EQ(allowed.code, 0) << allowed.out;
  sql_as(kEnergy, "DROP TABLE energy." + table);
}

TEST_F(Platform, ImportFromThePlatformGivesTheSameTwinAsFromTheGeoPackages) {
  const fs::path from_files = dir_ / "files.twin", from_db = dir_ / "db.twin";
  const Shell a = shell(std::string(CITYTWIN_BINARY) + " import " + manifest() + " -o " + from_files.string());
  ASSERT_EQ(a.code, 0) << a.out;
  const Shell b = citytwin_as(kTwin, "import " + postgis_manifest() + " -o " + from_db.string());
  ASSERT_EQ(b.code, 0) << b.out;
  const citytwin::Twin f = citytwin::read_snapshot(from_files), d = citytwin::read_snapshot(from_db);
  EXPECT_EQ(d.crs, f.crs);
  ASSERT_EQ(d.roads.link_count(), f.roads.link_count());
  EXPECT_GT(f.roads.link_count(), 1500u);
  EXPECT_EQ(d.roads.node_count(), f.roads.node_count());
  // Same ids and topology, lengths and attributes, geometry to the bit (WKB
  // keeps doubles), and the same source feature ids (provenance).
  EXPECT_EQ(d.roads.link_from, f.roads.link_from);
  EXPECT_EQ(d.roads.link_to, f.roads.link_to);
  EXPECT_EQ(d.roads.length_m, f.roads.length_m);
  EXPECT_EQ(d.roads.capacity_vph, f.roads.capacity_vph);
  EXPECT_EQ(d.roads.speed_kph, f.roads.speed_kph);
  EXPECT_EQ(d.roads.geometry, f.roads.geometry);
  EXPECT_EQ(d.roads.link_source, f.roads.link_source);
  EXPECT_EQ(d.roads.signals(), f.roads.signals());
  double total_f = 0, total_d = 0;
  for (double l : f.roads.length_m) total_f += l;
  for (double l : d.roads.length_m) total_d += l;
  EXPECT_GT(total_f, 1e5);
  EXPECT_EQ(total_d, total_f);
  EXPECT_EQ(d.grid.bus_kv, f.grid.bus_kv);
  EXPECT_EQ(d.grid.branch_from, f.grid.branch_from);
  EXPECT_EQ(d.grid.branch_x, f.grid.branch_x);
  EXPECT_EQ(d.grid.substation_name, f.grid.substation_name);
  EXPECT_EQ(d.grid.substation_source, f.grid.substation_source);
  EXPECT_EQ(d.districts.name, f.districts.name);
  EXPECT_EQ(d.districts.population, f.districts.population);
  EXPECT_EQ(d.districts.jobs, f.districts.jobs);
  EXPECT_EQ(d.districts.shape, f.districts.shape);
  EXPECT_EQ(d.chargers.plugs, f.chargers.plugs);
  EXPECT_EQ(d.links.link_district, f.links.link_district);
  // Provenance names the platform's tables, with the departments unchanged.
  ASSERT_EQ(d.sources.size(), f.sources.size());
  for (std::size_t i = 0; i < d.sources.size(); ++i) {
    EXPECT_EQ(d.sources[i].department, f.sources[i].department);
    EXPECT_EQ(d.sources[i].path, "PG:");
    EXPECT_EQ(d.sources[i].layer, d.sources[i].department + "." + f.sources[i].layer);
  }
}

// Every value of every feature of two layers, matched by FID.
void expect_same_layer(OGRLayer& a, OGRLayer& b, const std::string& what) {
  ASSERT_EQ(a.GetFeatureCount(TRUE), b.GetFeatureCount(TRUE)) << what;
  std::map<GIntBig, std::string> rows;
  auto row_text = [](OGRFeature& f) {
    std::ostringstream s;
    for (int i = 0; i < f.GetFieldCount(); ++i) {
      if (std::string(f.GetFieldDefnRef(i)->GetNameRef()) == "fid") continue;  // a view's key, an FID elsewhere
      s << f.GetFieldDefnRef(i)->GetNameRef() << '=';
      if (!f.IsFieldSetAndNotNull(i)) s << "NULL";
      else if (f.GetFieldDefnRef(i)->GetType() == OFTReal) s << std::hexfloat << f.GetFieldAsDouble(i) << std::defaultfloat;
      else s << f.GetFieldAsString(i);
      s << ';';
    }
    if (const OGRGeometry* g = f.GetGeometryRef()) {
      std::vector<unsigned char> wkb(g->WkbSize());
      g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
      s << "geom=" << std::string(wkb.begin(), wkb.end());
    }
    return s.str();
  };
  a.ResetReading();
  for (citytwin::geo::FeaturePtr f(a.GetNextFeature()); f; f.reset(a.GetNextFeature())) rows[f->GetFID()] = row_text(*f);
  b.ResetReading();
  if (!b.GetFIDColumn() || !*b.GetFIDColumn()) {
    // A view without a key: GDAL numbers its rows itself, so compare the rows as a multiset.
    std::multiset<std::string> want, got;
    for (const auto& [fid, text] : rows) want.insert(text);
    for (citytwin::geo::FeaturePtr f(b.GetNextFeature()); f; f.reset(b.GetNextFeature())) got.insert(row_text(*f));
    EXPECT_TRUE(want == got) << what << ": the rows differ from the GeoPackage's";
    return;
  }
  std::size_t matched = 0;
  for (citytwin::geo::FeaturePtr f(b.GetNextFeature()); f; f.reset(b.GetNextFeature())) {
    auto it = rows.find(f->GetFID());
    ASSERT_NE(it, rows.end()) << what << ": feature " << f->GetFID() << " is not in the GeoPackage";
    EXPECT_EQ(row_text(*f), it->second) << what << ", feature " << f->GetFID();
    ++matched;
  }
  EXPECT_EQ(matched, rows.size()) << what;
}

TEST_F(Platform, ARunsResultsWrittenToThePlatformReadBackEqualToTheGeoPackage) {
  const fs::path twin = dir_ / "results.twin";
  ASSERT_EQ(citytwin_as(kTwin, "import " + postgis_manifest() + " -o " + twin.string()).code, 0);
  const std::string name = "run_" + std::to_string(::getpid());
  const fs::path gpkg = dir_ / (name + ".gpkg");
  const Shell r = citytwin_as(kTwin, "run " + twin.string() + " --hours 8,17 -o " + gpkg.string() + " --out-db PG:");
  ASSERT_EQ(r.code, 0) << r.out;

  auto file = citytwin::geo::open_vector(gpkg.string());
  ::setenv("PGUSER", kEnergy.c_str(), 1);  // a department reads the twin's results
  auto db = citytwin::geo::open_vector("PG:");
  std::size_t layers = 0;
  for (int i = 0; i < file->GetLayerCount(); ++i) {
    OGRLayer* l = file->GetLayer(i);
    const std::string table = "twin." + name + "_" + l->GetName();
    OGRLayer* t = db->GetLayerByName(table.c_str());
    ASSERT_NE(t, nullptr) << table << " is missing";
    expect_same_layer(*l, *t, table);
    ++layers;
  }
  EXPECT_GE(layers, 14u);  // geometry layers, hourly tables and their views, hours, sources
  // The views join as in the file: 2 hours x every link.
  const Shell hourly = sql_as(kEnergy, "SELECT count(*) FROM twin." + name + "_roads_hourly WHERE geom IS NOT NULL");
  EXPECT_EQ(hourly.out, std::to_string(2 * gpkg_count(gpkg, "roads")) + "\n") << hourly.out;

  // A second run under the same name replaces the set as a whole (one hour now).
  const Shell again = citytwin_as(kTwin, "run " + twin.string() + " --hours 8 -o " + gpkg.string() + " --out-db PG:");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_EQ(sql_as(kEnergy, "SELECT count(DISTINCT hour) FROM twin." + name + "_roads_hourly").out, "1\n");
  const Shell registered = sql_as(kEnergy, "SELECT cardinality(relations) FROM twin.results_sets WHERE name = '" + name + "'");
  EXPECT_EQ(registered.out, std::to_string(layers) + "\n");
  EXPECT_EQ(sql_as(kTwin, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twin' AND "
                          "c.relkind IN ('r', 'v') AND c.relname LIKE '" + name + "\\_%'").out,
            std::to_string(layers) + "\n");
}

TEST_F(Platform, CredentialsAppearInNoOutputFileNorLog) {
  // The twin role's password, as an operator would give it: in PGPASSWORD.
  const std::string pgpass = read_file(std::getenv("PGPASSFILE"));
  const auto at = pgpass.find(":" + kTwin + ":");
  ASSERT_NE(at, std::string::npos) << "no password for " << kTwin << " in PGPASSFILE";
  const std::string password = pgpass.substr(at + kTwin.size() + 2, pgpass.find('\n', at) - at - kTwin.size() - 2);
  ASSERT_GE(password.size(), 16u);
  const std::string env = "PGPASSFILE=/dev/null PGPASSWORD=" + quoted(password) + " PGUSER=" + kTwin + " ";
  const fs::path out = dir_ / "secret";
  fs::create_directories(out);
  const std::string bin = std::string(CITYTWIN_BINARY);
  std::string log;
  auto step = [&](const std::string& args, int expected) {
    const Shell r = shell(env + bin + " " + args);
    EXPECT_EQ(r.code, expected) << args << ": " << r.out;
    log += r.out;
  };
  step("import " + postgis_manifest() + " -o " + (out / "city.twin").string() + " --json", 0);
  step("info " + (out / "city.twin").string() + " --json", 0);
  step("export " + (out / "city.twin").string() + " -o " + (out / "city.gpkg").string(), 0);
  step("run " + (out / "city.twin").string() + " --hours 8 -o " + (out / "secret_run.gpkg").string() + " --out-db PG: --json", 0);
  step("publish --results " + (out / "secret_run.gpkg").string() + " --json", 0);
  step("publish " + manifest() + " --department energy", 3);  // an error message too
  // A password written into a PG: source is refused without being echoed.
  std::string m = read_file(postgis_manifest());
  for (std::size_t p; (p = m.find("source = \"PG:\"")) != std::string::npos;)
    m.replace(p, 14, "source = \"PG:dbname=citytwin password=" + password + "\"");
  std::ofstream(out / "inline.toml") << m;
  const Shell inline_pw = shell(env + bin + " import " + (out / "inline.toml").string() + " -o " + (out / "inline.twin").string());
  EXPECT_EQ(inline_pw.code, 2) << inline_pw.out;
  EXPECT_NE(inline_pw.out.find("password=***"), std::string::npos) << inline_pw.out;
  log += inline_pw.out;
  fs::remove(out / "inline.toml");

  EXPECT_EQ(log.find(password), std::string::npos) << "the password is in the command output";
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(read_file(e.path()).find(password), std::string::npos) << e.path();
  }
  EXPECT_GE(files, 5u);  // twin, export, results, .summary.json, .hours.csv
  const fs::path server_log = fs::path(CITYTWIN_TEST_PG_DIR) / "server.log";
  ASSERT_TRUE(fs::exists(server_log));
  EXPECT_EQ(read_file(server_log).find(password), std::string::npos) << server_log;
  // What the platform holds: no table or registry row quotes it.
  const Shell db = sql_as(kTwin, "SELECT count(*) FROM twin.secret_run_sources s WHERE s::text LIKE " + quoted("%" + password + "%"));
  EXPECT_EQ(db.out, "0\n") << db.out;
}

}  // namespace

TEST_F(Platform, ObservationsReadFromThePlatformFitTheSameAsTheirCsvFiles) {
  // A run, its synthetic counts and meter loads as CSV, and the same rows
  // published by the departments into their schemas (as a SCADA or counting
  // system would insert them): `fit` must give the same scores from both.
  const fs::path twin = dir_ / "obs.twin", run = dir_ / "obs.gpkg", obs = dir_ / "obs";
  for (const std::string& args : {"import " + manifest() + " -o " + twin.string(),
                                  "run " + twin.string() + " -o " + run.string() + " --hours 7-9",
                                  "observe " + twin.string() + " " + run.string() + " --days 2 --seed 5 -o " + obs.string()}) {
    const Shell r = shell(std::string(CITYTWIN_BINARY) + " " + args);
    ASSERT_EQ(r.code, 0) << args << ": " << r.out;
  }
  const Shell c = sql_as(kTransport,
                         "DROP TABLE IF EXISTS transport.traffic_counts; CREATE TABLE transport.traffic_counts (station text, lon "
                         "double precision, lat double precision, bearing double precision, time text, vehicles double precision)");
  ASSERT_EQ(c.code, 0) << c.out;
  const Shell l = sql_as(kEnergy, "DROP TABLE IF EXISTS energy.substation_loads; CREATE TABLE energy.substation_loads (substation text, "
                                  "time text, p_mw double precision)");
  ASSERT_EQ(l.code, 0) << l.out;
  const Shell cc = sql_as(kTransport, "\\copy transport.traffic_counts FROM " + quoted((obs / "counts.csv").string()) + " CSV HEADER");
  ASSERT_EQ(cc.code, 0) << cc.out;
  const Shell lc = sql_as(kEnergy, "\\copy energy.substation_loads FROM " + quoted((obs / "loads.csv").string()) + " CSV HEADER");
  ASSERT_EQ(lc.code, 0) << lc.out;
  EXPECT_GT(std::stol(sql_as(kTwin, "SELECT count(*) FROM transport.traffic_counts").out), 100);

  const fs::path manifest_file = dir_ / "platform_observations.toml";
  std::ofstream(manifest_file) << "[counts]\nsource = \"PG:\"\nsource_kind = \"database\"\nlayer = \"transport.traffic_counts\"\n\n"
                                  "[loads]\nsource = \"PG:\"\nsource_kind = \"database\"\nlayer = \"energy.substation_loads\"\n";
  const std::string base = "fit " + twin.string() + " " + run.string() + " --json";
  // stdout only (the JSON): shell() merges stderr, so it is dropped inside a subshell
  const auto json_of = [](const std::string& env, const std::string& args) {
    return shell("( " + env + std::string(CITYTWIN_BINARY) + " " + args + " 2>/dev/null )");
  };
  const Shell from_files = json_of("", base + " --counts " + (obs / "counts.csv").string() + " --loads " + (obs / "loads.csv").string());
  ASSERT_EQ(from_files.code, 0) << from_files.out;
  const Shell from_db = json_of("PGUSER=" + kTwin + " ", base + " --counts " + manifest_file.string() + " --loads " + manifest_file.string());
  ASSERT_EQ(from_db.code, 0) << from_db.out;
  const auto a = nlohmann::json::parse(from_files.out), b = nlohmann::json::parse(from_db.out);
  for (const char* k : {"records", "stations", "matched", "station_hours", "geh_below_5"}) EXPECT_EQ(b["counts"][k], a["counts"][k]) << k;
  EXPECT_GT(a["counts"]["station_hours"].get<int>(), 50);
  for (const char* k : {"rmse_pct", "r2", "sum_observed", "sum_modelled"})
    EXPECT_NEAR(b["counts"][k].get<double>(), a["counts"][k].get<double>(), 1e-9 * std::max(1.0, std::abs(a["counts"][k].get<double>()))) << k;
  for (const char* k : {"records", "substations_scored"}) EXPECT_EQ(b["loads"][k], a["loads"][k]) << k;
  EXPECT_NEAR(b["loads"]["mape_pct"].get<double>(), a["loads"]["mape_pct"].get<double>(), 1e-9);

  // Undeclared, the database source is refused before anything is read.
  std::ofstream(dir_ / "undeclared.toml") << "[counts]\nsource = \"PG:\"\nlayer = \"transport.traffic_counts\"\n";
  const Shell refused = citytwin_as(kTwin, base + " --counts " + (dir_ / "undeclared.toml").string());
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("source_kind"), std::string::npos) << refused.out;
}
