// Result CSVs: MATPOWER's column layout, one row per element, written atomically.
#include <gtest/gtest.h>


#include <filesystem>
#include <fstream>
#include <string>

#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/result_tables.hpp"
#include "tests/core/grid/reference_csv.hpp"
#include "tests/support/test_files.hpp"

namespace citytwin::grid {
namespace {

std::vector<std::string> lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string header(const std::string& reference) {
  return lines(test::matpower_dir() + "/reference/" + reference).front();
}

TEST(ResultTables, SameLayoutAsTheMatpowerReference) {
  const PowerCase pc = read_matpower(test::case_path("case118"));
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged());
  const citytwin::testing::TempDir scratch("grid_tables");
  const auto dir = scratch / "tables";  // write_result_tables creates it
  const auto bus = write_result_tables(dir, pc, r);
  EXPECT_EQ(bus.filename(), "case118_ac_bus.csv");

  const auto bus_lines = lines(dir / "case118_ac_bus.csv");
  const auto branch_lines = lines(dir / "case118_ac_branch.csv");
  const auto gen_lines = lines(dir / "case118_ac_gen.csv");
  ASSERT_EQ(bus_lines.size(), pc.buses.size() + 1);
  ASSERT_EQ(branch_lines.size(), pc.branches.size() + 1);
  ASSERT_EQ(gen_lines.size(), pc.generators.size() + 1);
  EXPECT_EQ(bus_lines[0], header("case118_ac_bus.csv") + ",energised");
  EXPECT_EQ(branch_lines[0], header("case118_ac_branch.csv"));
  EXPECT_EQ(gen_lines[0], header("case118_ac_gen.csv"));
  EXPECT_EQ(bus_lines[1].substr(0, 5), "1,2,5");  // bus 1, PV, Pd 51
  EXPECT_NE(branch_lines[1].find(",NaN"), std::string::npos);  // no rateA in case118

  // No temporary files are left behind.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 3u);
}

TEST(ResultTables, DcTablesAreNamedDc) {
  const PowerCase pc = read_matpower(test::case_path("case9"));
  const citytwin::testing::TempDir scratch("grid_dc");
  const auto dir = scratch / "tables";
  EXPECT_EQ(write_result_tables(dir, pc, solve_dc(pc)).filename(), "case9_dc_bus.csv");
  EXPECT_TRUE(std::filesystem::exists(dir / "case9_dc_branch.csv"));
}

}  // namespace
}  // namespace citytwin::grid
