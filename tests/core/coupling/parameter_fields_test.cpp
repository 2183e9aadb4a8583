// The parameter field lists: documented defaults, one range check, no two
// fields on the same member, and the enum spelling table.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/demand/parameter_fields.hpp"

using namespace citytwin;
using coupling::Scenario;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

// A valid value other than `f`'s default: an endpoint of its range (or another spelling).
double other_value(const FieldInfo& f, double def) {
  switch (f.kind) {
    case FieldKind::Bool: return def != 0 ? 0 : 1;
    case FieldKind::Enum:
      for (const auto& c : f.choices)
        if (c.code != def) return c.code;
      return def;
    default: return def != f.max ? f.max : f.min;
  }
}
}  // namespace

TEST(ParameterFields, DefaultsAreTheDocumentedOnes) {
  // The defaults table of datasets/scenarios/README.md (from COUPLING.md), written out by hand.
  const std::map<std::string, double> documented = {
      {"ev_share", 0}, {"ev_kwh_per_km", 0.18}, {"share_home", 0.80}, {"share_work", 0.10}, {"share_public", 0.10},
      {"public_capture", 0.02}, {"fast_session_kwh", 25}, {"max_queue_wait_h", 1}, {"battery_backup_hours", 0},
      {"kappa_dark_single_lane", 0.35}, {"kappa_dark_multi_lane", 0.25}, {"dark_stop_delay_s", 5}, {"u_trip", 1.2},
      {"target_gap", 1e-4}, {"load_tolerance", 1e-3}, {"max_assignment_iterations", 200}, {"max_coupling_rounds", 50},
      {"feedback_loops", 0}, {"carry_over_unserved", 0}, {"managed_charging", 0}, {"home_departure_hour", 7},
      {"work_departure_hour", 17}, {"home_charger_kw", 7.4}, {"work_charger_kw", 11}, {"charging_session_kwh", 15},
      {"managed_utilisation_limit", 1.0}, {"skim_value_of_time_per_h", 12}, {"skim_cost_per_km", 0.2}, {"demand_scale", 1}, {"hbw_per_job", 1.2},
      {"residential_kwh_per_household", 10715}, {"commercial_kwh_per_job", 5000}, {"day_of_year", 15}, {"signal_kw", 0.5}};
  const auto& fields = coupling::scenario_parameter_fields();
  std::set<std::string> names;
  for (const auto& f : fields) {
    EXPECT_TRUE(names.insert(f.name).second) << "listed twice: " << f.name;
    EXPECT_FALSE(f.doc.empty()) << f.name;
    EXPECT_NO_THROW(f.check(f.default_value())) << f.name << " default outside its own range";
    if (f.kind == FieldKind::Enum) continue;
    ASSERT_TRUE(documented.count(f.name)) << f.name << " is not in the README's parameter table";
    EXPECT_DOUBLE_EQ(f.default_value(), documented.at(f.name)) << f.name;
  }
  EXPECT_EQ(names.size(), documented.size() + 1);  // + assignment_algorithm
  const auto* alg = find_field(fields, "assignment_algorithm");
  ASSERT_NE(alg, nullptr);
  EXPECT_EQ(alg->text(alg->default_value()), "bush");
}

TEST(ParameterFields, TheRangeCheckNamesFieldValueAndRange) {
  const auto& fields = coupling::scenario_parameter_fields();
  Scenario s;
  const auto* ev = find_field(fields, "ev_share");
  ASSERT_NE(ev, nullptr);
  const std::string msg = error_of([&] { ev->set(s, 5); });
  EXPECT_NE(msg.find("'ev_share' = 5 is outside 0..1"), std::string::npos) << msg;
  EXPECT_EQ(s.coupling.ev_share, 0) << "a rejected value must not be stored";
  EXPECT_NE(error_of([&] { ev->set(s, std::nan("")); }).find("outside"), std::string::npos);
  EXPECT_NE(error_of([&] { find_field(fields, "feedback_loops")->set(s, 4); }).find("0..3"), std::string::npos);
  EXPECT_NE(error_of([&] { find_field(fields, "feedback_loops")->set(s, 1.5); }).find("whole number"), std::string::npos);
  EXPECT_NE(error_of([&] { find_field(fields, "day_of_year")->set(s, 0); }).find("1..365"), std::string::npos);
  EXPECT_NE(error_of([&] { find_field(fields, "carry_over_unserved")->assign(s, 1.0); }).find("true or false"), std::string::npos);
  EXPECT_NE(error_of([&] { find_field(fields, "u_trip")->assign(s, std::string("high")); }).find("'u_trip' must be a number"),
            std::string::npos);
  const std::string alg = error_of([&] { find_field(fields, "assignment_algorithm")->assign(s, std::string("dijkstra")); });
  EXPECT_NE(alg.find("bush, bfw, cfw or fw"), std::string::npos) << alg;
  EXPECT_NE(alg.find("dijkstra"), std::string::npos) << alg;
  coupling::CouplingParameters shares;
  shares.share_home = 0.5;
  EXPECT_NE(error_of([&] { coupling::check_parameters(shares); }).find("must be 1"), std::string::npos);
}

TEST(ParameterFields, EachFieldSetsItsOwnMemberOnly) {
  // Set one field at a time to another valid value: it reads back, and every other field keeps its default.
  const auto& fields = coupling::scenario_parameter_fields();
  for (const auto& f : fields) {
    Scenario s;
    const double v = other_value(f, f.default_value());
    ASSERT_NE(v, f.default_value()) << f.name;
    f.set(s, v);
    EXPECT_EQ(f.get(s), v) << f.name;
    for (const auto& g : fields) {
      if (&g != &f) {
        EXPECT_EQ(g.get(s), g.default_value()) << "setting " << f.name << " changed " << g.name;
      }
    }
  }
  // And the members themselves, for a few spelled out.
  Scenario s;
  find_field(fields, "hbw_per_job")->set(s, 1.4);
  find_field(fields, "day_of_year")->set(s, 200);
  find_field(fields, "carry_over_unserved")->assign(s, true);
  find_field(fields, "assignment_algorithm")->assign(s, std::string("cfw"));
  EXPECT_EQ(s.demand.rates.hbw_per_job, 1.4);
  EXPECT_EQ(s.load.day_of_year, 200);
  EXPECT_TRUE(s.coupling.carry_over_unserved);
  EXPECT_EQ(s.coupling.assignment_algorithm, traffic::Algorithm::conjugate_frank_wolfe);
}

TEST(ParameterFields, ScenarioListIsTheStructListsTogether) {
  const auto& all = coupling::scenario_parameter_fields();
  const std::size_t parts =
      coupling::coupling_parameter_fields().size() + demand::demand_parameter_fields().size() + demand::load_parameter_fields().size();
  EXPECT_EQ(all.size(), parts);
  for (const auto& f : coupling::coupling_parameter_fields()) EXPECT_NE(find_field(all, f.name), nullptr) << f.name;
  for (const auto& f : demand::load_parameter_fields()) EXPECT_NE(find_field(all, f.name), nullptr) << f.name;
}

TEST(ParameterFields, TheReportHasEveryFieldOnce) {
  Scenario s;
  s.coupling.ev_share = 0.3;
  s.coupling.assignment_algorithm = traffic::Algorithm::frank_wolfe;
  const auto values = coupling::parameter_values(s);
  const auto choices = coupling::parameter_choices(s);
  EXPECT_EQ(values.size() + choices.size(), coupling::scenario_parameter_fields().size());
  std::map<std::string, double> v(values.begin(), values.end());
  EXPECT_EQ(v.at("ev_share"), 0.3);
  EXPECT_EQ(v.at("day_of_year"), 15);
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0], (std::pair<std::string, std::string>{"assignment_algorithm", "fw"}));
}

TEST(ParameterFields, AlgorithmSpellingsAreOneTable) {
  for (const auto& a : traffic::kAlgorithmNames) {
    EXPECT_EQ(traffic::parse_algorithm(a.name), a.algorithm);
    EXPECT_EQ(traffic::algorithm_name(a.algorithm), a.name);
  }
  EXPECT_THROW(traffic::parse_algorithm("dijkstra"), InvalidInput);
}
