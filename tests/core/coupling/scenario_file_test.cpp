#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/common/errors.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "small_city.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using citytwin::testing::small_city;

namespace {
const citytwin::testing::TempDir& scratch() {
  static const citytwin::testing::TempDir dir("scenario");
  return dir;
}
std::filesystem::path write(const std::string& name, const std::string& text) { return scratch().write(name + ".toml", text); }
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
  const auto od = scratch() / "od.csv";
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

// Every example in datasets/scenarios, against the city they are written for,
// with what each one states taking effect.
TEST(ScenarioFile, DocumentedExamplesLoadAgainstTheSyntheticCity) {
  const Twin& t = citytwin::testing::documented_city();
  const auto example = [&](const char* file) {
    return geo::load_scenario(std::filesystem::path(CITYTWIN_SOURCE_DIR) / "datasets/scenarios" / file, t);
  };
  const auto ev = example("ev-push.toml");
  EXPECT_EQ(ev.name, "EV share 40 %");
  EXPECT_DOUBLE_EQ(ev.coupling.ev_share, 0.40);

  const auto growth = example("growth.toml");
  ASSERT_EQ(growth.population_growth.size(), t.districts.size());
  ASSERT_EQ(growth.jobs_growth.size(), t.districts.size());
  EXPECT_DOUBLE_EQ(growth.population_growth[0], 1.08);
  const auto d41 = std::find(t.districts.name.begin(), t.districts.name.end(), "District 41") - t.districts.name.begin();
  ASSERT_LT(static_cast<std::size_t>(d41), t.districts.size());
  EXPECT_GT(growth.jobs_growth[d41], growth.jobs_growth[0]);

  const auto closure = example("road-closure.toml");
  ASSERT_EQ(closure.link_changes.size(), 2u);
  EXPECT_FALSE(closure.link_changes[0].links.empty()) << "the box holds no link";
  EXPECT_EQ(closure.link_changes[0].capacity_factor, 0.0);
  EXPECT_EQ(closure.link_changes[1].links, (std::vector<std::uint32_t>{10, 11, 12}));

  const auto outage = example("substation-outage.toml");
  ASSERT_EQ(outage.outages.size(), 1u);
  EXPECT_EQ(outage.outages[0].kind, coupling::AssetKind::Substation);
  ASSERT_LT(outage.outages[0].id, t.grid.substation_name.size());
  EXPECT_EQ(t.grid.substation_name[outage.outages[0].id], "Substation C4");
  EXPECT_EQ(outage.outages[0].from_hour, 17);
  EXPECT_DOUBLE_EQ(outage.outages[0].repair_hours, 4);
}

TEST(ScenarioFile, AssignmentAlgorithmIsSpelledAsTheSolverTable) {
  EXPECT_EQ(geo::load_scenario(write("fw", "[parameters]\nassignment_algorithm = \"fw\"\n"), small_city()).coupling.assignment_algorithm,
            traffic::Algorithm::frank_wolfe);
  expect_error(write("alg", "[parameters]\nassignment_algorithm = \"dijkstra\"\n"), {"line 2", "bush, bfw, cfw or fw", "dijkstra"});
  expect_error(write("alg_number", "[parameters]\nassignment_algorithm = 3\n"), {"line 2", "bush, bfw, cfw or fw"});
  expect_error(write("rounds", "[parameters]\nmax_coupling_rounds = 0\n"), {"line 2", "max_coupling_rounds", "1..100000"});
}
