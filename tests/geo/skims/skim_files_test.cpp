// Skim files: an OMX file read back through the HDF5 C API (not through the
// writer's code) against the OMX 0.2 layout — OMX_VERSION, SHAPE, /data,
// /lookup, chunked float64 matrices — with every value; the CSV form; clear
// errors naming the path where the file cannot be written.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "geo/skims/omx_writer.hpp"
#include "geo/skims/skim_files.hpp"
#include "tests/support/test_files.hpp"

namespace citytwin::geo {
namespace {

using citytwin::testing::expect_error;
using citytwin::testing::TempDir;
constexpr double kInf = std::numeric_limits<double>::infinity();

// 3 zones numbered 11, 12, 15; hours 7 and 8; values that say where they are.
traffic::SkimSet sample_set() {
  traffic::SkimSet set;
  set.zone_ids = {11, 12, 15};
  set.parameters = {.value_of_time_per_h = 9.5, .cost_per_km = 0.25};
  for (int hour : {7, 8}) {
    traffic::SkimTable t;
    t.hour = hour;
    t.matrices.zones = 3;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        const bool unreached = (i == 2 && j == 0);
        t.matrices.time_min.push_back(unreached ? kInf : hour * 100 + i * 10 + j + 0.25);
        t.matrices.distance_km.push_back(unreached ? kInf : i * 3 + j + 0.5);
        t.matrices.cost.push_back(unreached ? kInf : -(hour + i * 3 + j) * 0.125);
      }
    set.tables.push_back(t);
  }
  return set;
}

// ---- a minimal reader over the HDF5 C API

struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

std::string string_attribute(hid_t object, const char* name) {
  Id attr{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  EXPECT_GE(attr.id, 0) << name;
  Id type{H5Aget_type(attr.id), H5Tclose};
  EXPECT_EQ(H5Tget_class(type.id), H5T_STRING) << name;
  EXPECT_FALSE(H5Tis_variable_str(type.id)) << name << ": OMX readers expect a fixed-length string";
  std::string value(H5Tget_size(type.id), '\0');
  EXPECT_GE(H5Aread(attr.id, type.id, value.data()), 0);
  return value.substr(0, value.find('\0'));
}

double double_attribute(hid_t object, const char* name) {
  Id attr{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  double v = std::nan("");
  EXPECT_GE(H5Aread(attr.id, H5T_NATIVE_DOUBLE, &v), 0) << name;
  return v;
}

std::vector<std::string> members(hid_t file, const char* group) {
  Id g{H5Gopen2(file, group, H5P_DEFAULT), H5Gclose};
  EXPECT_GE(g.id, 0) << group;
  H5G_info_t info{};
  H5Gget_info(g.id, &info);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[256] = {};
    H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                       sizeof name, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

struct Matrix {
  std::vector<hsize_t> dims;
  bool chunked = false, float64 = false;
  std::vector<double> values;
  std::string units;
};

Matrix read_matrix(hid_t file, const std::string& path) {
  Matrix m;
  Id set{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  if (set.id < 0) {
    ADD_FAILURE() << "no dataset " << path;
    return m;
  }
  Id space{H5Dget_space(set.id), H5Sclose};
  m.dims.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.id)));
  H5Sget_simple_extent_dims(space.id, m.dims.data(), nullptr);
  Id type{H5Dget_type(set.id), H5Tclose};
  m.float64 = H5Tget_class(type.id) == H5T_FLOAT && H5Tget_size(type.id) == 8;
  Id plist{H5Dget_create_plist(set.id), H5Pclose};
  m.chunked = H5Pget_layout(plist.id) == H5D_CHUNKED;
  m.values.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id)));
  EXPECT_GE(H5Dread(set.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.values.data()), 0);
  if (H5Aexists(set.id, "units") > 0) m.units = string_attribute(set.id, "units");
  return m;
}

TEST(OmxFile, ReadBackHasTheOmxLayoutAndEveryValue) {
  TempDir dir("omx_layout");
  const auto set = sample_set();
  const auto path = dir / "skims.omx";
  write_skims(path, set);

  Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  ASSERT_GE(file.id, 0);
  EXPECT_EQ(string_attribute(file.id, "OMX_VERSION"), "0.2");
  {
    Id attr{H5Aopen(file.id, "SHAPE", H5P_DEFAULT), H5Aclose};
    Id type{H5Aget_type(attr.id), H5Tclose};
    EXPECT_EQ(H5Tget_class(type.id), H5T_INTEGER);
    Id space{H5Aget_space(attr.id), H5Sclose};
    EXPECT_EQ(H5Sget_simple_extent_npoints(space.id), 2);
    std::int32_t shape[2] = {0, 0};
    H5Aread(attr.id, H5T_NATIVE_INT32, shape);
    EXPECT_EQ(shape[0], 3);
    EXPECT_EQ(shape[1], 3);
  }
  EXPECT_DOUBLE_EQ(double_attribute(file.id, "value_of_time_per_h"), 9.5);
  EXPECT_DOUBLE_EQ(double_attribute(file.id, "cost_per_km"), 0.25);

  const std::vector<std::string> expected = {"cost__h07",    "cost__h08",        "distance_km__h07",
                                             "distance_km__h08", "time_min__h07", "time_min__h08"};
  EXPECT_EQ(members(file.id, "/data"), expected);  // HDF5 lists by name
  for (const auto& table : set.tables)
    for (const auto& q : traffic::kSkimQuantities) {
      const std::string name = traffic::skim_matrix_name(q, table);
      const Matrix m = read_matrix(file.id, "/data/" + name);
      EXPECT_EQ(m.dims, (std::vector<hsize_t>{3, 3})) << name;
      EXPECT_TRUE(m.chunked) << name << ": OMX matrices are chunked";
      EXPECT_TRUE(m.float64) << name;
      EXPECT_EQ(m.units, q.unit) << name;
      EXPECT_EQ(m.values, table.matrices.*q.values) << name;  // exact: float64 both ways, inf kept
    }

  EXPECT_EQ(members(file.id, "/lookup"), std::vector<std::string>{"zone_number"});
  {
    Id set_id{H5Dopen2(file.id, "/lookup/zone_number", H5P_DEFAULT), H5Dclose};
    Id type{H5Dget_type(set_id.id), H5Tclose};
    EXPECT_EQ(H5Tget_class(type.id), H5T_INTEGER);
    std::vector<std::int32_t> zones(3);
    H5Dread(set_id.id, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, zones.data());
    EXPECT_EQ(zones, (std::vector<std::int32_t>{11, 12, 15}));
  }
}

TEST(OmxFile, ARewriteReplacesTheOldFileWhole) {
  TempDir dir("omx_rewrite");
  auto set = sample_set();
  write_skims(dir / "s.omx", set);
  set.tables.resize(1);
  set.tables[0].hour = 17;
  write_skims(dir / "s.omx", set);
  Id file{H5Fopen((dir / "s.omx").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  ASSERT_GE(file.id, 0);
  EXPECT_EQ(members(file.id, "/data"), (std::vector<std::string>{"cost__h17", "distance_km__h17", "time_min__h17"}));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file left behind";
}

TEST(OmxFile, UnwritablePlacesGiveAnIoErrorNamingThePath) {
  TempDir dir("omx_unwritable");
  const auto set = sample_set();
  // A folder that cannot exist: its parent is a regular file.
  dir.write("plain_file", "x");
  const auto under_file = dir / "plain_file" / "skims.omx";
  expect_error<IoError>([&] { write_skims(under_file, set); }, {(dir / "plain_file").string()});
  // A place no one may create files in, root included: HDF5's reason is passed on.
  const std::string in_proc = "/proc/citytwin_skims_test.omx";
  const std::string msg = expect_error<IoError>([&] { write_skims(in_proc, set); }, {in_proc, "OMX"});
  EXPECT_EQ(msg.find(".tmp-"), std::string::npos) << "the message names the target, not the temporary file: " << msg;
  // The target is an existing folder: the finished file cannot be moved there; nothing is left behind.
  std::filesystem::create_directories(dir / "taken.omx" / "inside");
  expect_error<IoError>([&] { write_skims(dir / "taken.omx", set); }, {(dir / "taken.omx").string()});
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(OmxFile, BadContentIsRejectedBeforeAnythingIsWritten) {
  TempDir dir("omx_bad");
  auto set = sample_set();
  set.tables[1].matrices.cost.pop_back();
  expect_error<InvalidInput>([&] { write_skims(dir / "a.omx", set); }, {"cost__h08", "3 x 3"});
  expect_error<InvalidInput>([&] { write_skims(dir / "a.txt", sample_set()); }, {".omx", ".csv", "a.txt"});
  traffic::SkimSet empty;
  expect_error<InvalidInput>([&] { write_skims(dir / "a.omx", empty); }, {"no zones"});
  OmxContent c;
  c.rows = c.cols = 1;
  const std::vector<double> one{1.0};
  c.matrices = {{.name = "a/b", .values = one, .attributes = {}}};
  expect_error<InvalidInput>([&] { write_omx(dir / "b.omx", c); }, {"a/b"});
  c.matrices = {{.name = "x", .values = one, .attributes = {}}, {.name = "x", .values = one, .attributes = {}}};
  expect_error<InvalidInput>([&] { write_omx(dir / "b.omx", c); }, {"'x'", "twice"});
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(SkimCsv, OneRowPerHourAndPairWithInfWhereNoPath) {
  TempDir dir("skim_csv");
  auto set = sample_set();
  set.tables.push_back(set.tables[0]);
  set.tables.back().hour.reset();  // a static assignment: no hour
  write_skims(dir / "s.csv", set);
  std::ifstream in(dir / "s.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "origin,destination,hour,time_min,distance_km,cost");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (line.back() == ',') f.push_back("");
    rows.push_back(f);
  }
  ASSERT_EQ(rows.size(), 27u);
  // Hour 8, origin 15 (row 2), destination 12 (column 1): 800 + 21 + 0.25.
  const auto& r = rows[9 + 2 * 3 + 1];
  EXPECT_EQ(r, (std::vector<std::string>{"15", "12", "8", "821.25", "7.5", "-1.875"}));
  EXPECT_EQ(rows[2 * 3 + 0][3], "inf");  // 15 -> 11 has no path
  EXPECT_EQ(rows[18][2], "");           // the table without an hour
  EXPECT_EQ(std::stod(rows[18][3]), 700.25);
}

}  // namespace
}  // namespace citytwin::geo
