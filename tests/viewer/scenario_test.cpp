// Scenario files: the viewer writes the coupled run's format
// (datasets/scenarios/README.md) and reads it back with the run's own reader.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "geo/io/scenario_file.hpp"
#include "viewer/model/demo_twin.hpp"
#include "viewer/model/scenario.hpp"
#include "temp_dir.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
std::filesystem::path temp_dir() { return test_support::scratch_dir("scenario"); }

std::filesystem::path write_text(const std::string& name, const std::string& text) {
  const auto p = temp_dir() / name;
  std::ofstream(p) << text;
  return p;
}

Scenario sample(const Twin& t) {
  Scenario s;
  s.name = "Bridge works \"north\"";
  s.description = "two lanes closed\\plus a substation fault";
  s.ev = {0.15, 0.12, 5};
  s.set_road({12, 0.0, 0, 23});
  s.set_road({13, 0.0, 0, 23});  // same change: grouped into one [[link_changes]]
  s.set_road({3, 0.4, 7, 10});
  s.fail_substation(2, 17);
  s.fail_branch(5, 18);
  s.bus_failures.push_back({4, 9, 3.0});
  s.parameters.u_trip = 1.1;
  s.bind(t, "demo.twin");
  return s;
}
}  // namespace

TEST(Scenario, EditsReplaceAndSort) {
  Scenario s;
  EXPECT_TRUE(s.empty());
  s.set_road({9, 0.5, 3});
  s.set_road({2, 0.0, 0});
  s.set_road({9, 0.25, 4});  // replaces
  ASSERT_EQ(s.roads.size(), 2u);
  EXPECT_EQ(s.roads[0].link, 2u);
  EXPECT_EQ(s.road(9)->capacity_factor, 0.25);
  EXPECT_EQ(s.road(9)->to_hour, 23);
  s.set_road({9, 1.0, 0});  // full capacity = no edit
  EXPECT_EQ(s.road(9), nullptr);
  s.fail_branch(4, 30);  // clamped
  EXPECT_EQ(s.branch(4)->from_hour, 23);
  EXPECT_TRUE(s.remove_branch(4));
  EXPECT_FALSE(s.remove_branch(4));
  s.ev = {0.1, 0.1, 2};
  EXPECT_NEAR(s.ev.effective_share(), 0.121, 1e-12);
  s.ev = {0.5, 1.0, 3};
  EXPECT_EQ(s.ev.effective_share(), 1.0);  // capped
}

TEST(Scenario, FileRoundTripThroughTheCoupledRunsReader) {
  const Twin t = demo_twin();
  const Scenario s = sample(t);
  const auto path = temp_dir() / "round_trip.toml";
  write_scenario(s, path, &t);
  std::vector<std::string> warnings;
  const Scenario back = read_scenario(path, t, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.description, s.description);
  EXPECT_EQ(back.ev, s.ev);
  EXPECT_EQ(back.roads, s.roads);
  EXPECT_EQ(back.substation_failures, s.substation_failures);
  EXPECT_EQ(back.branch_failures, s.branch_failures);
  EXPECT_EQ(back.bus_failures, s.bus_failures);
  EXPECT_EQ(back.parameters.u_trip, 1.1);
  // what the run sees
  const coupling::Scenario c = geo::load_scenario(path, t);
  EXPECT_NEAR(c.coupling.ev_share, s.ev.effective_share(), 1e-12);
  ASSERT_EQ(c.link_changes.size(), 2u);
  EXPECT_EQ(c.outages.size(), 3u);
  // the file is readable for a planner: grouped ids and provenance comments
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("ids = [12, 13]"), std::string::npos) << text;
  EXPECT_NE(text.find("# link 12: citytwin built-in demo city [roads] feature"), std::string::npos) << text;
  EXPECT_NE(text.find("citytwin run demo.twin"), std::string::npos) << text;
}

TEST(Scenario, ReadsFilesWrittenByHand) {
  const Twin t = demo_twin();
  const auto p = write_text("hand.toml",
                            "name = \"by hand\"\n"
                            "[parameters]\nev_share = 0.3\n"
                            "[[link_changes]]\nids = [4, 5]\ncapacity_factor = 0.5\nfrom_hour = 6\nto_hour = 9\n"
                            "[[link_changes]]\nbox = [380000, 5800000, 380500, 5800100]\n"
                            "[[outages]]\nsubstation = \"Central\"\nfrom_hour = 18\nrepair_hours = 2\n"
                            "[[growth]]\ndistrict = \"*\"\npopulation = 1.1\n");
  std::vector<std::string> warnings;
  const Scenario s = read_scenario(p, t, &warnings);
  EXPECT_EQ(s.name, "by hand");
  EXPECT_EQ(s.ev.effective_share(), 0.3);
  ASSERT_NE(s.road(4), nullptr);
  EXPECT_EQ(s.road(4)->capacity_factor, 0.5);
  EXPECT_EQ(s.road(4)->to_hour, 9);
  EXPECT_GT(s.roads.size(), 2u);  // the box closed the links along the south edge
  ASSERT_EQ(s.substation_failures.size(), 1u);
  EXPECT_EQ(s.substation_failures[0].id, 0u);  // "Central"
  EXPECT_TRUE(s.substation_failures[0].active(19));
  EXPECT_FALSE(s.substation_failures[0].active(20));  // repaired after 2 hours
  ASSERT_EQ(warnings.size(), 1u);  // growth is not shown
}

TEST(Scenario, ErrorsComeFromTheRunsReaderWithFileAndLine) {
  const Twin t = demo_twin();
  try {
    read_scenario(write_text("bad.toml", "name = \"x\"\n[[link_changes]]\nids = [99999]\n"), t);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_scenario(write_text("bad2.toml", "name = \"x\"\nspeed = 3\n"), t), InvalidInput);
  EXPECT_THROW(read_scenario(temp_dir() / "missing.toml", t), IoError);
}

TEST(Scenario, CheckAgainstTheTwin) {
  const Twin t = demo_twin();
  Scenario s = sample(t);
  EXPECT_NO_THROW(check_scenario(s, t));
  s.set_road({std::uint32_t(t.roads.link_count()), 0, 0});
  EXPECT_THROW(check_scenario(s, t), InvalidInput);
}

TEST(Scenario, ConversionToTheRunGroupsLinkChanges) {
  const Twin t = demo_twin();
  const Scenario s = sample(t);
  const coupling::Scenario c = to_coupling(s);
  EXPECT_NEAR(c.coupling.ev_share, s.ev.effective_share(), 1e-12);
  EXPECT_EQ(c.coupling.u_trip, 1.1);
  ASSERT_EQ(c.link_changes.size(), 2u);
  const Scenario back = from_coupling(c);
  EXPECT_EQ(back.roads, s.roads);
  EXPECT_EQ(back.bus_failures, s.bus_failures);
}

TEST(Scenario, StateByHour) {
  const Twin t = demo_twin();
  const Scenario s = sample(t);
  const ScenarioState at6 = scenario_state(s, t, 6), at8 = scenario_state(s, t, 8), at18 = scenario_state(s, t, 18);
  EXPECT_EQ(at6.link_capacity_factor[12], 0.0f);
  EXPECT_EQ(at6.link_capacity_factor[3], 1.0f);  // 07:00 .. 10:00
  EXPECT_FLOAT_EQ(at8.link_capacity_factor[3], 0.4f);
  EXPECT_EQ(at18.link_capacity_factor[3], 1.0f);
  EXPECT_FALSE(at6.substation_failed[2]);
  EXPECT_TRUE(at18.substation_failed[2]);
  EXPECT_TRUE(at18.branch_failed[5]);
  EXPECT_TRUE(at18.bus_deenergised[2]);   // its substation failed
  EXPECT_FALSE(at18.bus_deenergised[0]);
  EXPECT_TRUE(scenario_state(s, t, 10).bus_deenergised[4]);   // bus 4 out 09:00 .. 12:00
  EXPECT_FALSE(scenario_state(s, t, 12).bus_deenergised[4]);
}
