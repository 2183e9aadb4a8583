// Recovery from a known truth, through the real CLI: a small synthetic city,
// a "truth" run of a scenario the baseline does not see (uneven growth and an
// EV share), synthetic observations of the truth (`citytwin observe`: counts
// on a fifth of the links and every substation's meter, 5 % noise per value,
// five weekdays), then `citytwin fit` of the truth run and of the baseline run
// against them. The truth must fit to within the noise; the baseline must fit
// measurably worse.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "geo/gdal/gdal_handles.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_files.hpp"

using citytwin::testing::run_cli;

namespace {

struct Recovery {
  std::filesystem::path dir, twin, base, truth, obs;
  std::string error;
  nlohmann::json observe, fit_truth, fit_base;
};

const Recovery& recovery() {
  static const citytwin::testing::TempDir tmp("fit_recovery");
  static const Recovery cached = [] {
    Recovery s;
    s.dir = tmp.path();
    s.twin = s.dir / "city.twin";
    s.base = s.dir / "base.gpkg";
    s.truth = s.dir / "truth.gpkg";
    s.obs = s.dir / "obs";
    tmp.write("truth.toml",
              "name = \"truth\"\n[parameters]\nev_share = 0.25\n"
              "[[growth]]\ndistrict = \"*\"\npopulation = 1.10\njobs = 1.15\n"
              "[[growth]]\ndistrict = \"District 5\"\njobs = 2.0\n");
    const std::string d = s.dir.string();
    const std::vector<std::string> steps = {
        "generate --links 2000 --seed 3 -o " + d + "/city",
        "import " + d + "/city/manifest.toml -o " + s.twin.string(),
        "run " + s.twin.string() + " -o " + s.base.string() + " --hours 7-9",
        "run " + s.twin.string() + " " + d + "/truth.toml -o " + s.truth.string() + " --hours 7-9",
    };
    for (const auto& args : steps) {
      const auto r = run_cli(args);
      if (r.code != 0) {
        s.error = "citytwin " + args + " failed (" + std::to_string(r.code) + "):\n" + r.out;
        return s;
      }
    }
    auto json = [&s](const std::string& args) {
      const auto r = run_cli(args, false);
      if (r.code != 0) {
        s.error += "citytwin " + args + " failed (" + std::to_string(r.code) + ")\n" + run_cli(args).out;
        return nlohmann::json();
      }
      return nlohmann::json::parse(r.out);
    };
    s.observe = json("observe " + s.twin.string() + " " + s.truth.string() + " --sample-share 0.2 --noise 0.05 --seed 11 --days 5 --json -o " + s.obs.string());
    const std::string observations = " --counts " + (s.obs / "counts.csv").string() + " --loads " + (s.obs / "loads.csv").string() + " --json";
    s.fit_truth = json("fit " + s.twin.string() + " " + s.truth.string() + observations + " -o " + d + "/fit_truth.gpkg --plot " + d + "/fit_truth.png");
    s.fit_base = json("fit " + s.twin.string() + " " + s.base.string() + observations + " -o " + d + "/fit_base.gpkg --plot " + d + "/fit_base.png");
    // Keep the figures for a report when asked (they live in a temp folder otherwise).
    if (const char* keep = std::getenv("CITYTWIN_FIT_FIGURES")) {
      std::filesystem::create_directories(keep);
      for (const char* f : {"fit_truth.png", "fit_truth_loads.png", "fit_base.png", "fit_base_loads.png"})
        std::filesystem::copy_file(s.dir / f, std::filesystem::path(keep) / f, std::filesystem::copy_options::overwrite_existing);
    }
    return s;
  }();
  return cached;
}

TEST(FitRecovery, TheTruthFitsToWithinTheNoise) {
  const Recovery& s = recovery();
  ASSERT_TRUE(s.error.empty()) << s.error;
  const auto& c = s.fit_truth["counts"];
  const auto stations = s.observe["stations"].get<std::size_t>();
  EXPECT_GT(stations, 300u);  // a fifth of ~2000 links
  EXPECT_EQ(c["stations"].get<std::size_t>(), stations);
  // Every station sits on its link's midpoint with its link's bearing.
  EXPECT_EQ(c["matched"].get<std::size_t>(), stations) << c["not_matched"].dump(2);
  for (const char* k : {"duplicate", "non-finite", "negative", "implausible", "gap"}) EXPECT_EQ(c["quality"]["findings"][k], 0) << k;
  // 5 % noise per value, averaged over 5 days: ~2.2 % on the profile, i.e. a
  // GEH of ~0.022 sqrt(flow), below 5 for any flow under ~50,000 veh/h.
  EXPECT_EQ(c["station_hours"].get<std::size_t>(), 3 * stations);
  EXPECT_GE(c["share_geh_below_5"].get<double>(), 0.99);
  EXPECT_GT(c["r2"].get<double>(), 0.99);
  // The remaining error is the noise: each profile value is the mean of 5
  // draws of round(M (1 + 0.05 z)), variance (0.05^2 M^2 + 1/12) / 5 about
  // the true flow M (the truth run's modelled value). The sum of squared
  // errors must be that expectation, within the spread of a sum dominated
  // by the few largest flows.
  auto ds = citytwin::geo::open_vector((s.dir / "fit_truth.gpkg").string());
  double sse = 0, expected = 0;
  for (auto& f : *ds->GetLayerByName("fit_counts")) {
    const double m = f->GetFieldAsDouble("modelled"), o = f->GetFieldAsDouble("observed");
    sse += (m - o) * (m - o);
    expected += (0.05 * 0.05 * m * m + 1.0 / 12) / 5;
  }
  EXPECT_GT(sse / expected, 0.6);
  EXPECT_LT(sse / expected, 1.5);
  const auto& l = s.fit_truth["loads"];
  EXPECT_EQ(l["substations_scored"], l["substations"]);
  // Expected MAPE: E|z| x 2.24 % = 0.80 x 2.24 % = 1.8 % (few meters: 3 hours x ~5 substations).
  EXPECT_LT(l["mape_pct"].get<double>(), 3.5);
  EXPECT_LT(l["peak_mape_pct"].get<double>(), 4.0);
}

TEST(FitRecovery, TheBaselineFitsMeasurablyWorse) {
  const Recovery& s = recovery();
  ASSERT_TRUE(s.error.empty()) << s.error;
  const auto& t = s.fit_truth["counts"];
  const auto& b = s.fit_base["counts"];
  std::cout << "truth:    GEH<5 " << t["share_geh_below_5"] << "  %RMSE " << t["rmse_pct"] << "  R2 " << t["r2"] << "  load MAPE "
            << s.fit_truth["loads"]["mape_pct"] << "  peak " << s.fit_truth["loads"]["peak_mape_pct"] << "\n"
            << "baseline: GEH<5 " << b["share_geh_below_5"] << "  %RMSE " << b["rmse_pct"] << "  R2 " << b["r2"] << "  load MAPE "
            << s.fit_base["loads"]["mape_pct"] << "  peak " << s.fit_base["loads"]["peak_mape_pct"] << "\n";
  EXPECT_GT(b["rmse_pct"].get<double>(), 2 * t["rmse_pct"].get<double>());
  EXPECT_LT(b["share_geh_below_5"].get<double>(), t["share_geh_below_5"].get<double>());
  EXPECT_LT(b["sum_modelled"].get<double>(), 0.97 * b["sum_observed"].get<double>());  // the baseline misses the growth
  EXPECT_GT(s.fit_base["loads"]["mape_pct"].get<double>(), 2 * s.fit_truth["loads"]["mape_pct"].get<double>());
  // The worst station-hours are listed, worst first.
  const auto& worst = b["worst"];
  ASSERT_FALSE(worst.empty());
  EXPECT_DOUBLE_EQ(worst[0]["geh"].get<double>(), b["max_geh"].get<double>());
  for (std::size_t i = 1; i < worst.size(); ++i) EXPECT_LE(worst[i]["geh"].get<double>(), worst[i - 1]["geh"].get<double>());
}

TEST(FitRecovery, FitLayersTieEachStationToItsLink) {
  const Recovery& s = recovery();
  ASSERT_TRUE(s.error.empty()) << s.error;
  auto ds = citytwin::geo::open_vector((s.dir / "fit_truth.gpkg").string());
  OGRLayer* st = ds->GetLayerByName("fit_stations");
  ASSERT_NE(st, nullptr);
  std::size_t n = 0;
  for (auto& f : *st) {
    ++n;
    EXPECT_STREQ(f->GetFieldAsString("status"), "matched");
    std::string expected = "L";  // appended: GCC 12 warns falsely (-Wrestrict) on "L" + std::to_string(..)
    expected += std::to_string(f->GetFieldAsInteger64("link_id"));
    EXPECT_EQ(expected, std::string(f->GetFieldAsString("station")));
  }
  EXPECT_EQ(n, s.observe["stations"].get<std::size_t>());
  OGRLayer* counts = ds->GetLayerByName("fit_counts");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(static_cast<std::size_t>(counts->GetFeatureCount()), s.fit_truth["counts"]["station_hours"].get<std::size_t>());
  for (auto& f : *counts) {
    const double m = f->GetFieldAsDouble("modelled"), o = f->GetFieldAsDouble("observed");
    EXPECT_NEAR(f->GetFieldAsDouble("geh"), (m + o > 0 ? std::sqrt(2 * (m - o) * (m - o) / (m + o)) : 0.0), 1e-9);
  }
  ASSERT_NE(ds->GetLayerByName("fit_substations"), nullptr);
  for (const char* png : {"fit_truth.png", "fit_truth_loads.png"}) EXPECT_GT(std::filesystem::file_size(s.dir / png), 1000u) << png;
}

TEST(FitRecovery, BadObservationsAreCountedOrNamed) {
  const Recovery& s = recovery();
  ASSERT_TRUE(s.error.empty()) << s.error;
  // A station 5 km north of the city is rejected with its reason; a negative
  // count is an error naming file, line and column.
  std::ifstream in(s.obs / "counts.csv");
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  std::stringstream row(first);
  std::string station, lon, lat;
  std::getline(row, station, ',');
  std::getline(row, lon, ',');
  std::getline(row, lat, ',');
  const double far_lat = std::stod(lat) + 5000.0 / 111000.0 + 0.05;
  const auto far = s.dir / "far.csv";
  std::ofstream(far) << header << "\n" << first << "\nFAR," << lon << "," << far_lat << ",0,2026-03-02T08:00,100\n";
  const auto r = run_cli("fit " + s.twin.string() + " " + s.truth.string() + " --counts " + far.string() + " --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["counts"]["rejected"], 1);
  ASSERT_EQ(j["counts"]["not_matched"].size(), 1u);
  EXPECT_EQ(j["counts"]["not_matched"][0]["station"], "FAR");
  EXPECT_NE(j["counts"]["not_matched"][0]["reason"].get<std::string>().find("no road link within 50 m"), std::string::npos);

  const auto negative = s.dir / "negative.csv";
  std::ofstream(negative) << header << "\n" << first << "\nN1," << lon << "," << lat << ",0,2026-03-02T08:00,-7\n";
  const auto bad = run_cli("fit " + s.twin.string() + " " + s.truth.string() + " --counts " + negative.string());
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("negative.csv, line 3, field 'vehicles': negative count"), std::string::npos) << bad.out;

  const auto loads = s.dir / "unknown_substation.csv";
  std::ofstream(loads) << "substation,time,p_mw\nNowhere,2026-03-02T08:00,1\n";
  const auto unknown = run_cli("fit " + s.twin.string() + " " + s.truth.string() + " --loads " + loads.string());
  EXPECT_EQ(unknown.code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("unknown_substation.csv, line 2, field 'substation': unknown substation 'Nowhere'"), std::string::npos) << unknown.out;
}

}  // namespace
