#pragma once
// Ratings for substations whose data say nothing about them (OSM has no
// transformer ratings; the importer starts from a table by voltage). A
// utility plans a substation so that its area's peak stays below about 80 %
// of its rating [D]; so a table rating below `margin` x the design peak of the
// base load it serves is raised to that. The design peak is the highest hour
// of the default (BDEW winter workday) base load through the district ->
// substation shares, plus the signals; an infeed substation carries its whole
// island. Without this, a city whose ratings are guesses trips substations in
// its baseline, which says more about the guess than about the city; EVs and
// outages in a what-if can still overload the sized grid.
#include <cstdint>

#include "core/demand/electric_load.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

struct SizingSummary {
  std::int64_t raised = 0;  // substations whose rating was raised
  double added_mva = 0;
};

SizingSummary size_substations_to_load(Twin& twin, const demand::LoadParameters& load, double margin = 1.25);

}  // namespace citytwin::coupling
