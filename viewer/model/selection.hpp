#pragma once
// Hover and click selection through the spatial index (geo/index R-trees).
// The pick order is the drawing order reversed: what is drawn on top wins.
// Point layers (chargers, substations, buses) and lines (branches, roads) are
// hit within a tolerance (pixels converted to metres by the caller); districts
// are hit when the point lies inside.
#include <array>
#include <cstdint>
#include <optional>

#include "geo/index/spatial_index.hpp"
#include "viewer/model/metrics.hpp"

namespace citytwin::viewer {

struct Selection {
  Layer layer = Layer::Roads;
  std::uint32_t id = 0;
  double distance_m = 0;
  bool operator==(const Selection&) const = default;
};

class PickIndex {
 public:
  // The twin must outlive the index and stay at its address.
  static PickIndex build(const Twin& twin);
  const TwinIndex& twin_index() const { return index_; }
  const LineIndex& branches() const { return branches_; }

 private:
  TwinIndex index_;
  LineIndex branches_;  // TwinIndex has no branch index; the viewer needs one
};

using LayerMask = std::array<bool, kLayerCount>;
inline LayerMask all_layers() {
  LayerMask m;
  m.fill(true);
  return m;
}

// The feature under `p`: first layer (top to bottom) with a hit within
// tolerance_m, nearest in that layer (ties: lower id).
std::optional<Selection> pick(const Twin& twin, const PickIndex& index, Point2 p, double tolerance_m,
                              const LayerMask& visible);

// Brute-force reference with the same rules (tests and tiny twins).
std::optional<Selection> pick_brute_force(const Twin& twin, Point2 p, double tolerance_m, const LayerMask& visible);

// The pick order, top to bottom.
inline constexpr std::array<Layer, kLayerCount> kPickOrder = {Layer::Chargers, Layer::Substations, Layer::Buses,
                                                              Layer::Branches, Layer::Roads, Layer::Districts};

}  // namespace citytwin::viewer
