// MATPOWER .m reader: the shipped cases, and every kind of bad input with an
// error that names file, table, row (and field or line).
#include <gtest/gtest.h>

#include <functional>

#include "core/common/errors.hpp"
#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

using test::case_path;

TEST(MatpowerReader, ReadsTheShippedCases) {
  struct Expect {
    const char* name;
    std::size_t buses, gens, branches;
  };
  for (const Expect& e : {Expect{"case9", 9, 3, 9}, Expect{"case14", 14, 5, 20}, Expect{"case30", 30, 6, 41},
                          Expect{"case118", 118, 54, 186}, Expect{"case300", 300, 69, 411},
                          Expect{"case2869pegase", 2869, 510, 4582}}) {
    const PowerCase pc = read_matpower(case_path(e.name));
    EXPECT_EQ(pc.name, e.name);
    EXPECT_EQ(pc.buses.size(), e.buses) << e.name;
    EXPECT_EQ(pc.generators.size(), e.gens) << e.name;
    EXPECT_EQ(pc.branches.size(), e.branches) << e.name;
    EXPECT_EQ(pc.base_mva, 100.0);
  }
}

TEST(MatpowerReader, ReadsFieldsInOrder) {
  const PowerCase pc = read_matpower(case_path("case9"));
  EXPECT_EQ(pc.buses[0].type, BusType::ref);
  EXPECT_EQ(pc.buses[4].pd, 90);
  EXPECT_EQ(pc.buses[4].qd, 30);
  EXPECT_EQ(pc.buses[4].base_kv, 345);
  EXPECT_EQ(pc.generators[1].bus, 2);
  EXPECT_EQ(pc.generators[1].pg, 163);
  EXPECT_EQ(pc.generators[1].vg, 1.025);
  EXPECT_EQ(pc.branches[1].from, 4);
  EXPECT_EQ(pc.branches[1].to, 5);
  EXPECT_EQ(pc.branches[1].r, 0.017);
  EXPECT_EQ(pc.branches[1].b, 0.158);
  EXPECT_EQ(pc.branches[1].rate_a, 250);
  EXPECT_TRUE(pc.branches[1].in_service);
}

// A minimal valid case; tests corrupt one piece of it.
const std::string kTiny = R"(function mpc = tiny
mpc.version = '2';
mpc.baseMVA = 100;
%% bus data
mpc.bus = [
	1	3	0	0	0	0	1	1	0	230	1	1.1	0.9;
	2	1	50	10	0	0	1	1	0	230	1	1.1	0.9;
];
mpc.gen = [
	1	50	0	100	-100	1.0	100	1	200	0;
];
mpc.branch = [
	1	2	0.01	0.1	0.02	100	0	0	0	0	1	-360	360;
];
mpc.gencost = [ 2 0 0 3 0.1 1 0; ];
mpc.bus_name = { 'one'; 'two'; };
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// Parses (and solves) `text`, expecting InvalidInput whose message contains every part.
void expect_invalid(const std::string& text, const std::vector<std::string>& parts) {
  try {
    const PowerCase pc = parse_matpower(text, "tiny.m");
    (void)solve_ac(pc);
    ADD_FAILURE() << "no error; expected one mentioning " << parts.front();
  } catch (const InvalidInput& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
  }
}

TEST(MatpowerReader, TinyCaseSolves) {
  const PowerCase pc = parse_matpower(kTiny, "tiny.m");
  EXPECT_EQ(pc.buses.size(), 2u);
  const PowerFlowResult r = solve_ac(pc);
  EXPECT_TRUE(r.converged());
  EXPECT_NEAR(r.pt[0], -50.0, 1e-6);  // 1e-8 pu mismatch tolerance
}

TEST(MatpowerBadInput, MalformedNumber) {
  expect_invalid(replace(kTiny, "50	10", "5x0	10"), {"tiny.m", "line 7", "layer 'bus'", "feature 2", "'5x0'"});
}

TEST(MatpowerBadInput, NaNValue) {
  expect_invalid(replace(kTiny, "0.01	0.1", "0.01	NaN"), {"tiny.m", "layer 'branch'", "feature 1", "field 'x'", "NaN"});
}

TEST(MatpowerBadInput, InfiniteImpedance) {
  expect_invalid(replace(kTiny, "0.01	0.1", "0.01	Inf"), {"tiny.m", "layer 'branch'", "feature 1", "field 'x'"});
}

TEST(MatpowerBadInput, ShortRow) {
  expect_invalid(replace(kTiny, "	1	2	0.01	0.1	0.02	100	0	0	0	0	1	-360	360;", "	1	2	0.01	0.1;"), {"layer 'branch'", "feature 1", "at least 11"});
}

TEST(MatpowerBadInput, RaggedRows) {
  expect_invalid(replace(kTiny, "1.1	0.9;\n];", "1.1	0.9	7;\n];"), {"layer 'bus'", "feature 2", "14 columns"});
}

TEST(MatpowerBadInput, UnterminatedMatrix) {
  expect_invalid(replace(kTiny, "360;\n];", "360;\n"), {"tiny.m", "layer 'branch'", "not closed"});
}

TEST(MatpowerBadInput, MissingTables) {
  expect_invalid(replace(kTiny, "mpc.baseMVA = 100;", ""), {"baseMVA"});
  expect_invalid(replace(kTiny, "mpc.gen = [", "mpc.generators = ["), {"layer 'gen'", "no 'gen' table"});
}

TEST(MatpowerBadInput, UnrecognisedStatement) {
  expect_invalid(replace(kTiny, "%% bus data", "this is not matpower"), {"tiny.m", "line 4"});
}

TEST(MatpowerBadInput, MissingBus) {
  expect_invalid(replace(kTiny, "	1	2	0.01", "	1	7	0.01"), {"layer 'branch'", "feature 1", "field 'tbus'", "bus 7"});
  expect_invalid(replace(kTiny, "	1	50	0	100", "	9	50	0	100"), {"layer 'gen'", "feature 1", "field 'bus'", "bus 9"});
}

TEST(MatpowerBadInput, DuplicateBus) {
  expect_invalid(replace(kTiny, "	2	1	50", "	1	1	50"), {"layer 'bus'", "feature 2", "repeats row 1"});
}

TEST(MatpowerBadInput, BadBusType) {
  expect_invalid(replace(kTiny, "	2	1	50", "	2	7	50"), {"layer 'bus'", "feature 2", "field 'type'"});
}

TEST(MatpowerBadInput, NoSlack) {
  expect_invalid(replace(kTiny, "	1	3	0", "	1	2	0"), {"tiny.m", "layer 'bus'", "no slack"});
}

TEST(MatpowerBadInput, SlackWithoutGenerator) {
  expect_invalid(replace(kTiny, "1.0	100	1	200", "1.0	100	0	200"),
                 {"layer 'bus'", "feature 1", "no in-service generator"});
}

TEST(MatpowerBadInput, IslandWithoutGeneration) {
  // The only branch is out of service: bus 2 with its load is an island with no supply.
  expect_invalid(replace(kTiny, "0	0	1	-360", "0	0	0	-360"), {"tiny.m", "layer 'bus'", "feature 2", "island of bus 2"});
}

TEST(MatpowerBadInput, ZeroImpedanceIsDocumentedNotAnError) {
  const PowerCase pc = parse_matpower(replace(kTiny, "0.01	0.1	0.02", "0	0	0.02"), "tiny.m");
  const PowerFlowResult r = solve_ac(pc);
  ASSERT_TRUE(r.converged());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("rows 1"), std::string::npos) << r.warnings[0];
}

TEST(MatpowerBadInput, MissingFile) {
  EXPECT_THROW(read_matpower("/nonexistent/case.m"), IoError);
}

TEST(MatpowerBadInput, FixtureFiles) {
  const std::string dir = std::string(CITYTWIN_TEST_FIXTURES) + "/matpower/";
  try {
    (void)read_matpower(dir + "truncated.m");
    ADD_FAILURE() << "truncated.m read without error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("truncated.m"), std::string::npos) << e.what();
  }
  try {
    (void)read_matpower(dir + "empty.m");
    ADD_FAILURE() << "empty.m read without error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("baseMVA"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace citytwin::grid
