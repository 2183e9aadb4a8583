#include "core/coupling/scenario.hpp"

namespace citytwin::coupling {

const char* asset_kind_name(AssetKind k) {
  switch (k) {
    case AssetKind::Bus: return "bus";
    case AssetKind::Branch: return "branch";
    case AssetKind::Substation: return "substation";
  }
  return "?";
}

std::vector<double> capacity_factors(const Scenario& s, int hour, std::size_t links) {
  std::vector<double> k(links, 1.0);
  for (const LinkChange& c : s.link_changes)
    if (hour >= c.from_hour && hour <= c.to_hour)
      for (auto l : c.links) k[l] *= c.capacity_factor;
  return k;
}

}  // namespace citytwin::coupling
