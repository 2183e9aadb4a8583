#pragma once
// Trip generation: productions from households, attractions from jobs by
// sector and households, balanced per purpose so that sum A = sum P
// (COUPLING.md, "Trip generation and distribution").
#include <array>
#include <span>
#include <vector>

#include "core/demand/parameters.hpp"

namespace citytwin::demand {

struct ZoneData {
  std::span<const double> households, jobs_retail, jobs_service, jobs_other;
};

struct TripEnds {
  std::array<std::vector<double>, kPurposes> productions, attractions;  // person trips per day
};

TripEnds generate_trips(const ZoneData& zones, const DemandParameters& parameters);

}  // namespace citytwin::demand
