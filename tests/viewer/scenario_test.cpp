#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "viewer/core/demo_twin.hpp"
#include "viewer/core/scenario.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("citytwin_viewer_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

Scenario sample(const Twin& t) {
  Scenario s;
  s.name = "Bridge works \"north\"";
  s.description = "two lanes closed\nplus a substation fault";
  s.ev = {0.15, 0.12, 5};
  s.set_road({12, 0.0, 0});
  s.set_road({3, 0.4, 7});
  s.fail_substation(2, 17);
  s.fail_branch(5, 18);
  s.bind(t, "demo.twin");
  return s;
}

// Expects parse_scenario(text) to throw InvalidInput whose message contains `what`.
void expect_invalid(const std::string& text, const std::string& what) {
  try {
    parse_scenario(text, "bad.toml");
    FAIL() << "accepted: " << text;
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
  }
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

TEST(Scenario, FileRoundTrip) {
  const Twin t = demo_twin();
  const Scenario s = sample(t);
  const auto path = temp_dir() / "round_trip.toml";
  write_scenario(s, path, &t);
  const Scenario back = read_scenario(path);
  EXPECT_EQ(back, s);
  EXPECT_NO_THROW(check_scenario(back, t));
  // and again through text, without a twin (no ref lines)
  EXPECT_EQ(parse_scenario(scenario_to_toml(s)), s);
  // the file is readable: provenance refs are written for the planner
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("[[roads]]"), std::string::npos);
  EXPECT_NE(text.find("action = \"close\""), std::string::npos);
  EXPECT_NE(text.find("ref = \"citytwin built-in demo city [roads] feature"), std::string::npos);
}

TEST(Scenario, MinimalFile) {
  const Scenario s = parse_scenario("[scenario]\nformat = 1\n");
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.name, "");
  const Scenario s2 = parse_scenario(
      "[scenario]\nformat = 1\nname = \"x\"\n[[roads]]\nlink = 4\naction = \"capacity\"\ncapacity_factor = 0.5\n"
      "[[branch_failures]]\nbranch = 1\n");
  ASSERT_EQ(s2.roads.size(), 1u);
  EXPECT_EQ(s2.roads[0].from_hour, 0);
  EXPECT_EQ(s2.branch_failures[0].from_hour, 0);
}

TEST(Scenario, ErrorsNameFileKeyAndLine) {
  expect_invalid("", "missing [scenario]");
  expect_invalid("[scenario]\nformat = 2\n", "newer");
  expect_invalid("[scenario]\nformat = 1\nspeed = 3\n", "unknown key 'speed'");
  expect_invalid("[scenario]\nformat = 1\n[[roads]]\nlink = 1\naction = \"widen\"\n", "action must be");
  expect_invalid("[scenario]\nformat = 1\n[[roads]]\nlink = 1\naction = \"capacity\"\n", "needs capacity_factor");
  expect_invalid("[scenario]\nformat = 1\n[[roads]]\nlink = 1\naction = \"capacity\"\ncapacity_factor = 1.0\n",
                 "capacity_factor must be > 0 and < 1");
  expect_invalid("[scenario]\nformat = 1\n[[roads]]\nlink = -1\naction = \"close\"\n", "link");
  expect_invalid("[scenario]\nformat = 1\n[[substation_failures]]\nsubstation = 1\nfrom_hour = 24\n", "from_hour");
  expect_invalid("[scenario]\nformat = 1\n[ev]\nshare = 1.5\n", "share");
  expect_invalid("[scenario]\nformat = 1\n[[roads]]\nlink = 1\naction = \"close\"\n[[roads]]\nlink = 1\naction = \"close\"\n",
                 "edited twice");
  expect_invalid("roads = 3\n[scenario]\nformat = 1\n", "array of tables");
  expect_invalid("[scenario\nformat = 1\n", "line 1");
  try {
    parse_scenario("[scenario]\nformat = 1\n\n[ev]\nshare = \"lots\"\n", "f.toml");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().line.value_or(0), 5);
    EXPECT_EQ(e.where().field, "share");
  }
}

TEST(Scenario, CheckAgainstTheTwin) {
  const Twin t = demo_twin();
  Scenario s = sample(t);
  EXPECT_NO_THROW(check_scenario(s, t));
  s.twin_links += 1;
  EXPECT_THROW(check_scenario(s, t), InvalidInput);
  s = sample(t);
  s.set_road({std::uint32_t(t.roads.link_count()), 0, 0});
  EXPECT_THROW(check_scenario(s, t), InvalidInput);
  EXPECT_THROW(read_scenario("/nonexistent/dir/s.toml"), IoError);
}

TEST(Scenario, StateByHour) {
  const Twin t = demo_twin();
  const Scenario s = sample(t);
  const ScenarioState at6 = scenario_state(s, t, 6), at18 = scenario_state(s, t, 18);
  EXPECT_EQ(at6.link_capacity_factor[12], 0.0f);
  EXPECT_EQ(at6.link_capacity_factor[3], 1.0f);  // from 07:00
  EXPECT_FLOAT_EQ(at18.link_capacity_factor[3], 0.4f);
  EXPECT_FALSE(at6.substation_failed[2]);
  EXPECT_TRUE(at18.substation_failed[2]);
  EXPECT_TRUE(at18.branch_failed[5]);
  EXPECT_TRUE(at18.bus_deenergised[2]);
  EXPECT_FALSE(at18.bus_deenergised[0]);
}
