// write_scenario_file -> load_scenario gives the scenario back: every listed
// parameter, link changes, outages, growth and the OD file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/scenario/scenario_writer.hpp"
#include "small_city.hpp"

using namespace citytwin;
using citytwin::testing::small_city;

namespace {
std::filesystem::path temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("citytwin_scenario_writer_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::create_directories(d);
  return d;
}
std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Every field at a valid value other than its default, the charging shares still summing to 1.
coupling::Scenario every_parameter_changed() {
  coupling::Scenario s;
  for (const auto& f : coupling::scenario_parameter_fields()) {
    const double def = f.default_value();
    double v = def;
    switch (f.kind) {
      case FieldKind::Bool: v = def != 0 ? 0 : 1; break;
      case FieldKind::Enum:
        for (const auto& c : f.choices)
          if (c.code != def) v = c.code;
        break;
      case FieldKind::Integer: v = def != f.max ? f.max : f.min; break;
      // An inexact binary fraction inside the range: the writer must keep every bit.
      case FieldKind::Real: v = f.min + (f.max - f.min) * 0.3141592653589793; break;
    }
    f.set(s, v);
  }
  s.coupling.share_home = 0.5, s.coupling.share_work = 0.3, s.coupling.share_public = 0.2;
  return s;
}
}  // namespace

TEST(ScenarioWriter, RoundTripsEveryParameterLinkChangeOutageAndGrowth) {
  const Twin& t = small_city();
  coupling::Scenario s = every_parameter_changed();
  s.name = "what \"if\"\nname = \"injected\"";  // quotes and a newline stay inside the name
  s.link_changes.push_back({{0, 5, 7}, 0.5, 7, 9});
  s.link_changes.push_back({{static_cast<std::uint32_t>(t.roads.link_count() - 1)}, 0, 0, 23});
  s.outages.push_back({coupling::AssetKind::Substation, 1, 17, 3});
  s.outages.push_back({coupling::AssetKind::Bus, 2, 5, coupling::kNeverRepaired});
  s.outages.push_back({coupling::AssetKind::Branch, static_cast<std::uint32_t>(t.grid.branch_count() - 1), 0, 0.25});
  s.population_growth.assign(t.districts.size(), 1.0);
  s.jobs_growth.assign(t.districts.size(), 1.0);
  s.population_growth[0] = 1.1;
  s.jobs_growth[2] = 0.7;

  const auto file = temp_dir("all") / "what-if.toml";
  geo::write_scenario_file(file, s, t);
  const coupling::Scenario back = geo::load_scenario(file, t);

  EXPECT_EQ(back.name, s.name);
  for (const auto& f : coupling::scenario_parameter_fields()) {
    EXPECT_NE(f.get(s), f.default_value()) << f.name << " was not changed by the test";
    EXPECT_EQ(f.get(back), f.get(s)) << f.name;
  }
  ASSERT_EQ(back.link_changes.size(), s.link_changes.size());
  for (std::size_t i = 0; i < s.link_changes.size(); ++i) {
    EXPECT_EQ(back.link_changes[i].links, s.link_changes[i].links);
    EXPECT_EQ(back.link_changes[i].capacity_factor, s.link_changes[i].capacity_factor);
    EXPECT_EQ(back.link_changes[i].from_hour, s.link_changes[i].from_hour);
    EXPECT_EQ(back.link_changes[i].to_hour, s.link_changes[i].to_hour);
  }
  ASSERT_EQ(back.outages.size(), s.outages.size());
  for (std::size_t i = 0; i < s.outages.size(); ++i) {
    EXPECT_EQ(back.outages[i].kind, s.outages[i].kind);
    EXPECT_EQ(back.outages[i].id, s.outages[i].id);
    EXPECT_EQ(back.outages[i].from_hour, s.outages[i].from_hour);
    EXPECT_EQ(back.outages[i].repair_hours, s.outages[i].repair_hours);
  }
  EXPECT_EQ(back.population_growth, s.population_growth);
  EXPECT_EQ(back.jobs_growth, s.jobs_growth);
  // Substations and districts by name, as a person would write them.
  const std::string text = read_text(file);
  EXPECT_NE(text.find(t.grid.substation_name[1]), std::string::npos) << text;
  EXPECT_NE(text.find(t.districts.name[2]), std::string::npos) << text;
  std::filesystem::remove_all(file.parent_path());
}

TEST(ScenarioWriter, BaselineWritesNoParametersAndUniformGrowthAsStar) {
  const Twin& t = small_city();
  coupling::Scenario s;
  s.population_growth.assign(t.districts.size(), 1.25);
  const auto file = temp_dir("base") / "base.toml";
  geo::write_scenario_file(file, s, t);
  const std::string text = read_text(file);
  EXPECT_EQ(text.find("[parameters]"), std::string::npos) << text;
  EXPECT_NE(text.find("district = \"*\""), std::string::npos) << text;
  const auto back = geo::load_scenario(file, t);
  EXPECT_EQ(back.name, "baseline");
  EXPECT_EQ(back.population_growth, s.population_growth);
  EXPECT_EQ(back.jobs_growth, std::vector<double>(t.districts.size(), 1.0));
  for (const auto& f : coupling::scenario_parameter_fields()) EXPECT_EQ(f.get(back), f.default_value()) << f.name;
  std::filesystem::remove_all(file.parent_path());
}

TEST(ScenarioWriter, OdMatrixIsWrittenRelativeToTheScenarioFolder) {
  const Twin& t = small_city();
  const auto dir = temp_dir("od");
  std::ofstream(dir / "trips.csv") << "origin,destination,hour,trips\n" << t.districts.name[0] << ",2,8,250\n";
  coupling::Scenario s;
  s.given_od = std::make_shared<const coupling::GivenOd>(coupling::read_given_od(dir / "trips.csv", t.districts.name));
  geo::write_scenario_file(dir / "od.toml", s, t);
  EXPECT_NE(read_text(dir / "od.toml").find("od_matrix = \"trips.csv\""), std::string::npos) << read_text(dir / "od.toml");
  const auto back = geo::load_scenario(dir / "od.toml", t);
  ASSERT_TRUE(back.given_od);
  EXPECT_DOUBLE_EQ(back.given_od->hour(8)[1], 250);
  std::filesystem::remove_all(dir);
}

TEST(ScenarioWriter, IdsTheTwinLacksAreRejectedAndNothingIsWritten) {
  const Twin& t = small_city();
  coupling::Scenario s;
  s.link_changes.push_back({{static_cast<std::uint32_t>(t.roads.link_count())}, 0, 0, 23});
  const auto file = temp_dir("bad") / "bad.toml";
  try {
    geo::write_scenario_file(file, s, t);
    ADD_FAILURE() << "expected an error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("link id " + std::to_string(t.roads.link_count()) + " does not exist"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(file));
  std::filesystem::remove_all(file.parent_path());
}
