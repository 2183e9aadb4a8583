// The viewer's what-if edits on the coupled run's own scenario
// (coupling::Scenario), and its scenario files: it writes the run's format
// (datasets/scenarios/README.md) and reads it back with the run's own reader.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/errors.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/model/scenario_file.hpp"
#include "temp_dir.hpp"

using namespace citytwin;
using namespace citytwin::viewer;
using coupling::AssetKind;

namespace {
std::filesystem::path temp_dir() { return test_support::scratch_dir("scenario"); }

std::filesystem::path write_text(const std::string& name, const std::string& text) {
  const auto p = temp_dir() / name;
  std::ofstream(p) << text;
  return p;
}

struct Sample {
  coupling::Scenario scenario;
  ScenarioNotes notes;
};
Sample sample() {
  Sample x;
  coupling::Scenario& s = x.scenario;
  s.name = "Bridge works \"north\"";
  x.notes.description = "two lanes closed\\plus a substation fault";
  x.notes.ev = {0.15, 0.12, 5};
  s.coupling.ev_share = x.notes.ev.effective_share();
  set_link(s, 12, 0.0, 0, 23);
  set_link(s, 13, 0.0, 0, 23);  // same change: grouped into one [[link_changes]]
  set_link(s, 3, 0.4, 7, 10);
  fail_asset(s, AssetKind::Substation, 2, 17);
  fail_asset(s, AssetKind::Branch, 5, 18);
  s.outages.push_back({AssetKind::Bus, 4, 9, 3.0});
  s.coupling.u_trip = 1.1;
  return x;
}
}  // namespace

TEST(ScenarioEdits, EditsReplaceAndSort) {
  coupling::Scenario s;
  EXPECT_FALSE(has_edits(s));
  set_link(s, 9, 0.5, 3);
  set_link(s, 2, 0.0, 0);
  set_link(s, 9, 0.25, 4);  // replaces
  const auto edits = link_edits(s);
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].link, 2u);
  EXPECT_EQ(link_edit(s, 9)->capacity_factor, 0.25);
  EXPECT_EQ(link_edit(s, 9)->to_hour, 23);
  EXPECT_EQ(s.link_changes.size(), 2u);  // the emptied (0.5, 3..23) change is gone
  set_link(s, 9, 1.0, 0);  // full capacity = no edit
  EXPECT_FALSE(link_edit(s, 9));
  fail_asset(s, AssetKind::Branch, 4, 30);  // clamped
  EXPECT_EQ(find_outage(s, AssetKind::Branch, 4)->from_hour, 23);
  EXPECT_TRUE(remove_outage(s, AssetKind::Branch, 4));
  EXPECT_FALSE(remove_outage(s, AssetKind::Branch, 4));
  EvProjection ev{0.1, 0.1, 2};
  EXPECT_NEAR(ev.effective_share(), 0.121, 1e-12);
  ev = {0.5, 1.0, 3};
  EXPECT_EQ(ev.effective_share(), 1.0);  // capped
  coupling::Scenario p;
  p.coupling.u_trip = 1.1;  // a parameter alone is a what-if too
  EXPECT_TRUE(has_edits(p));
  p.coupling.u_trip = coupling::CouplingParameters{}.u_trip;
  p.population_growth = {1.0, 1.2};
  EXPECT_TRUE(has_edits(p));
}

TEST(ScenarioEdits, LinksEditedAlikeShareOneLinkChange) {
  const Sample x = sample();
  const coupling::Scenario& s = x.scenario;
  ASSERT_EQ(s.link_changes.size(), 2u);
  EXPECT_EQ(s.link_changes[0].links, (std::vector<std::uint32_t>{12, 13}));  // factor 0 sorts first
  EXPECT_EQ(s.link_changes[1].links, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(s.link_changes[1].capacity_factor, 0.4);
  // what the run does with them: coupling::capacity_factors
  const auto at8 = coupling::capacity_factors(s, 8, 20);
  EXPECT_EQ(at8[12], 0.0);
  EXPECT_EQ(at8[3], 0.4);
  EXPECT_EQ(coupling::capacity_factors(s, 11, 20)[3], 1.0);
  // moving a link out of a group leaves the rest of it
  coupling::Scenario t = s;
  set_link(t, 13, 0.5, 0);
  EXPECT_EQ(link_edit(t, 12)->capacity_factor, 0.0);
  EXPECT_EQ(link_edit(t, 13)->capacity_factor, 0.5);
  EXPECT_TRUE(remove_link(t, 12));
  EXPECT_FALSE(link_edit(t, 12));
  EXPECT_EQ(outage_count(s, AssetKind::Substation), 1u);
  EXPECT_EQ(outage_count(s, AssetKind::Bus), 1u);
}

TEST(ScenarioEdits, FileRoundTripThroughTheCoupledRunsReader) {
  const Twin t = test_support::hand_laid_twin();
  const Sample x = sample();
  const coupling::Scenario& s = x.scenario;
  const auto path = temp_dir() / "round_trip.toml";
  write_scenario(path, s, x.notes, t, "demo.twin");
  std::vector<std::string> warnings;
  ScenarioNotes notes;
  const coupling::Scenario back = read_scenario(path, t, &notes, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(notes.description, x.notes.description);
  EXPECT_EQ(notes.ev, x.notes.ev);
  EXPECT_EQ(link_edits(back), link_edits(s));
  ASSERT_EQ(back.outages.size(), s.outages.size());
  for (std::size_t k = 0; k < s.outages.size(); ++k) {
    EXPECT_EQ(back.outages[k].kind, s.outages[k].kind);
    EXPECT_EQ(back.outages[k].id, s.outages[k].id);
    EXPECT_EQ(back.outages[k].from_hour, s.outages[k].from_hour);
    EXPECT_EQ(back.outages[k].repair_hours, s.outages[k].repair_hours);
  }
  EXPECT_EQ(back.coupling.u_trip, 1.1);
  // what the run sees
  const coupling::Scenario c = geo::load_scenario(path, t);
  EXPECT_NEAR(c.coupling.ev_share, x.notes.ev.effective_share(), 1e-12);
  ASSERT_EQ(c.link_changes.size(), 2u);
  EXPECT_EQ(c.outages.size(), 3u);
  // the file is readable for a planner: grouped ids and provenance comments
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("ids = [ 12, 13 ]"), std::string::npos) << text;  // toml++ spacing (geo::write_scenario_file)
  EXPECT_NE(text.find("# link 12: citytwin hand-laid test city [roads] feature"), std::string::npos) << text;
  EXPECT_NE(text.find("citytwin run demo.twin"), std::string::npos) << text;
}

TEST(ScenarioEdits, CommentsCannotBreakOutOfTheirLine) {
  // a twin path and notes with line breaks (untrusted text) stay comments: the file reads back as saved
  Twin t = test_support::hand_laid_twin();
  t.sources[0].department = "transport\nev_share = 1";
  coupling::Scenario s;
  s.name = "crafted";
  set_link(s, 12, 0.0, 0);
  const ScenarioNotes notes{"first line\nu_trip = 9\r\nthird", {}};
  const auto path = temp_dir() / "crafted.toml";
  write_scenario(path, s, notes, t, "city.twin\n[[outages]]\nbus = 0");
  ScenarioNotes back_notes;
  const coupling::Scenario back = read_scenario(path, t, &back_notes);
  EXPECT_EQ(back.coupling.ev_share, 0.0);
  EXPECT_EQ(back.coupling.u_trip, coupling::CouplingParameters{}.u_trip);
  EXPECT_TRUE(back.outages.empty());
  EXPECT_EQ(link_edits(back), link_edits(s));
  EXPECT_EQ(back_notes.description, "first line\nu_trip = 9 \nthird");
}

TEST(ScenarioEdits, ReadsFilesWrittenByHand) {
  const Twin t = test_support::hand_laid_twin();
  const auto p = write_text("hand.toml",
                            "name = \"by hand\"\n"
                            "[parameters]\nev_share = 0.3\n"
                            "[[link_changes]]\nids = [4, 5]\ncapacity_factor = 0.5\nfrom_hour = 6\nto_hour = 9\n"
                            "[[link_changes]]\nbox = [380000, 5800000, 380500, 5800100]\n"
                            "[[outages]]\nsubstation = \"Central\"\nfrom_hour = 18\nrepair_hours = 2\n"
                            "[[growth]]\ndistrict = \"*\"\npopulation = 1.1\n");
  std::vector<std::string> warnings;
  ScenarioNotes notes;
  const coupling::Scenario s = read_scenario(p, t, &notes, &warnings);
  EXPECT_EQ(s.name, "by hand");
  EXPECT_EQ(s.coupling.ev_share, 0.3);
  EXPECT_EQ(notes.ev.effective_share(), 0.3);
  ASSERT_TRUE(link_edit(s, 4));
  EXPECT_EQ(link_edit(s, 4)->capacity_factor, 0.5);
  EXPECT_EQ(link_edit(s, 4)->to_hour, 9);
  EXPECT_GT(link_edits(s).size(), 2u);  // the box closed the links along the south edge
  ASSERT_EQ(outage_count(s, AssetKind::Substation), 1u);
  const coupling::Outage* central = find_outage(s, AssetKind::Substation, 0);  // "Central"
  ASSERT_NE(central, nullptr);
  EXPECT_TRUE(central->active(19));
  EXPECT_FALSE(central->active(20));  // repaired after 2 hours
  ASSERT_EQ(warnings.size(), 1u);  // growth is not shown
}

TEST(ScenarioEdits, ErrorsComeFromTheRunsReaderWithFileAndLine) {
  const Twin t = test_support::hand_laid_twin();
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

TEST(ScenarioEdits, CheckAgainstTheTwin) {
  const Twin t = test_support::hand_laid_twin();
  coupling::Scenario s = sample().scenario;
  EXPECT_NO_THROW(check_scenario(s, t));
  set_link(s, std::uint32_t(t.roads.link_count()), 0, 0);
  EXPECT_THROW(check_scenario(s, t), InvalidInput);
}

TEST(ScenarioEdits, StateByHour) {
  const Twin t = test_support::hand_laid_twin();
  const coupling::Scenario s = sample().scenario;
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
