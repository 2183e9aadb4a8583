#pragma once
// Default parameters of the demand models, from ../shared/docs/COUPLING.md
// (tags there: [V] checked, [R] literature, [D] derived). Every value can be
// overridden by a scenario; runs report the values they used.
#include <array>

namespace citytwin::demand {

inline constexpr int kHours = 24;
enum Purpose : int { HBW = 0, HBNW = 1, NHB = 2, kPurposes = 3 };
const char* purpose_name(int p);

struct TripRates {
  // Person trips per household per day by purpose: NHTS 2009 ~9.5 per
  // household, split HBW 18 %, HBNW 52 %, NHB 30 % [R].
  std::array<double, kPurposes> per_household = {1.71, 4.94, 2.85};
  // Attractions (NCHRP 365 Table 9 form [R]; HBW 1.2 per job [V range 1.0-1.5]).
  double hbw_per_job = 1.2;
  double hbnw_retail = 9.00, hbnw_service = 1.70, hbnw_other = 0.50, hbnw_household = 0.90;
  double nhb_retail = 4.10, nhb_service = 1.20, nhb_other = 0.50, nhb_household = 0.50;
};

struct GammaFriction {
  // F(t) = t^b e^{c t}, t in minutes (NCHRP 716 gamma form [R]).
  double b, c;
};

struct DemandParameters {
  TripRates rates;
  std::array<GammaFriction, kPurposes> friction = {{{-0.020, -0.123}, {-1.285, -0.094}, {-1.332, -0.100}}};
  // Vehicle occupancy (NHTS 2009 [R]): commute 1.13, all purposes 1.67.
  std::array<double, kPurposes> occupancy = {1.13, 1.67, 1.67};
  // Share of person trips made by car.
  std::array<double, kPurposes> auto_share = {0.85, 0.80, 0.85};
  double furness_tolerance = 1e-6;  // max relative error of row and column sums
  int furness_max_iterations = 500;
  double demand_scale = 1.0;        // scenario lever: all trips times this
  // Outer loops feeding congested peak-hour times back into the gravity model
  // (COUPLING.md step 1: optional, at most 3), trip tables averaged by MSA.
  int feedback_loops = 0;
};

// Hourly factors: share of a purpose's daily production-attraction trips made
// in hour h from home (P -> A) and to home (A -> P); over 24 hours and both
// directions they sum to 1. Non-home-based trips use `from_home` only.
struct TimeOfDay {
  std::array<std::array<double, kHours>, kPurposes> from_home;
  std::array<std::array<double, kHours>, kPurposes> to_home;
};
// Defaults [D]: shaped so the AM peak hour carries 7-9 % and the PM peak hour
// 8-10 % of daily traffic and night hours 0.3-1 % (COUPLING.md), with HBW
// dominating the AM peak and a broader non-work PM peak.
const TimeOfDay& default_time_of_day();

}  // namespace citytwin::demand
