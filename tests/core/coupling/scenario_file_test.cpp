#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "geo/io/scenario_file.hpp"
#include "small_city.hpp"

using namespace citytwin;
using citytwin::testing::small_city;

namespace {
std::filesystem::path write(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("citytwin_scenario_" + std::to_string(::getpid()) + "_" + name + ".toml");
  std::ofstream(p) << text;
  return p;
}
void expect_error(const std::filesystem::path& p, std::initializer_list<std::string> needles) {
  try {
    geo::load_scenario(p, small_city());
    ADD_FAILURE() << "expected an error for " << p;
  } catch (const InvalidInput& e) {
    for (const auto& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << n << " missing in: " << e.what();
  }
}
}  // namespace

TEST(ScenarioFile, ParsesOutagesLinkChangesGrowthAndParameters) {
  const Twin& t = small_city();
  const auto p = write("ok", "name = \"test\"\n[parameters]\nev_share = 0.25\nbattery_backup_hours = 4\n"
                             "[[outages]]\nsubstation = \"" + t.grid.substation_name[1] + "\"\nfrom_hour = 17\nrepair_hours = 3\n"
                             "[[link_changes]]\nids = [0, 1]\ncapacity_factor = 0.5\nfrom_hour = 7\nto_hour = 9\n"
                             "[[growth]]\ndistrict = \"*\"\npopulation = 1.1\n");
  const auto s = geo::load_scenario(p, t);
  EXPECT_EQ(s.name, "test");
  EXPECT_DOUBLE_EQ(s.coupling.ev_share, 0.25);
  ASSERT_EQ(s.outages.size(), 1u);
  EXPECT_EQ(s.outages[0].id, 1u);
  EXPECT_TRUE(s.outages[0].active(19));
  EXPECT_FALSE(s.outages[0].active(20));
  ASSERT_EQ(s.link_changes.size(), 1u);
  EXPECT_EQ(s.link_changes[0].links, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_DOUBLE_EQ(s.population_growth.at(0), 1.1);
}

TEST(ScenarioFile, OdMatrixFeedbackAndCarryOver) {
  const Twin& t = small_city();
  // The OD file is found next to the scenario file.
  const auto od = std::filesystem::temp_directory_path() / ("citytwin_scenario_" + std::to_string(::getpid()) + "_od.csv");
  std::ofstream(od) << "origin,destination,hour,trips\n" << t.districts.name[0] << ",2,8,250\n";
  const auto p = write("od", "od_matrix = \"" + od.filename().string() + "\"\n[parameters]\nfeedback_loops = 2\ncarry_over_unserved = true\n");
  const auto s = geo::load_scenario(p, t);
  ASSERT_TRUE(s.given_od);
  EXPECT_DOUBLE_EQ(s.given_od->hour(8)[1], 250);
  EXPECT_EQ(s.demand.feedback_loops, 2);
  EXPECT_TRUE(s.coupling.carry_over_unserved);
  expect_error(write("loops", "[parameters]\nfeedback_loops = 4\n"), {"line 2", "feedback_loops", "0..3"});
  expect_error(write("carry", "[parameters]\ncarry_over_unserved = 1\n"), {"line 2", "true or false"});
  EXPECT_THROW(geo::load_scenario(write("od_missing", "od_matrix = \"nope.csv\"\n"), t), IoError);
}

TEST(ScenarioFile, BoxSelectsLinksByMidpoint) {
  const Twin& t = small_city();
  const Box2 e = t.extent();
  const auto p = write("box", "[[link_changes]]\nbox = [" + std::to_string(e.min_x) + ", " + std::to_string(e.min_y) + ", " +
                                  std::to_string((e.min_x + e.max_x) / 2) + ", " + std::to_string(e.max_y) + "]\n");
  const auto s = geo::load_scenario(p, t);
  ASSERT_EQ(s.link_changes.size(), 1u);
  EXPECT_GT(s.link_changes[0].links.size(), 10u);
  EXPECT_LT(s.link_changes[0].links.size(), t.roads.link_count());
}

TEST(ScenarioFile, ErrorsNameFileLineAndWhatIsWrong) {
  expect_error(write("unknown_key", "name = \"x\"\ncolour = \"red\"\n"), {"line 2", "colour"});
  expect_error(write("unknown_param", "[parameters]\nev_shares = 0.3\n"), {"line 2", "ev_shares"});
  expect_error(write("bad_hour", "[[outages]]\nsubstation = 0\nfrom_hour = 25\n"), {"line 3", "0..23"});
  expect_error(write("unknown_substation", "[[outages]]\nsubstation = \"Atlantis\"\n"), {"line 2", "Atlantis"});
  expect_error(write("unknown_link", "[[link_changes]]\nids = [99999999]\n"), {"line 2", "99999999", "does not exist"});
  expect_error(write("range", "[parameters]\nev_share = 1.5\n"), {"line 2", "ev_share", "outside"});
  expect_error(write("shares", "[parameters]\nshare_home = 0.5\n"), {"share_home + share_work + share_public"});
  expect_error(write("unknown_district", "[[growth]]\ndistrict = \"Nowhere\"\njobs = 2\n"), {"Nowhere"});
  const auto p = write("syntax", "[[outages]\n");
  expect_error(p, {p.string(), "TOML syntax error"});
}

TEST(ScenarioFile, DocumentedExamplesLoadAgainstTheSyntheticCity) {
  // The examples name "Substation C4" and "District 41", which a 20k-link city has;
  // here they are only parsed for syntax and keys against a city that has them.
  for (const char* f : {"ev-push.toml"}) EXPECT_NO_THROW(geo::load_scenario(std::filesystem::path(CITYTWIN_SOURCE_DIR) / "datasets/scenarios" / f, small_city()));
}

TEST(ScenarioFile, AssignmentAlgorithmIsSpelledAsTheSolverTable) {
  EXPECT_EQ(geo::load_scenario(write("fw", "[parameters]\nassignment_algorithm = \"fw\"\n"), small_city()).coupling.assignment_algorithm,
            traffic::Algorithm::frank_wolfe);
  expect_error(write("alg", "[parameters]\nassignment_algorithm = \"dijkstra\"\n"), {"line 2", "bush, bfw, cfw or fw", "dijkstra"});
  expect_error(write("alg_number", "[parameters]\nassignment_algorithm = 3\n"), {"line 2", "bush, bfw, cfw or fw"});
  expect_error(write("rounds", "[parameters]\nmax_coupling_rounds = 0\n"), {"line 2", "max_coupling_rounds", "1..100000"});
}
