#pragma once
// A small hand-laid twin for the viewer tests (4 x 4 km street grid, 16
// districts, a 110 kV grid of 5 substations) built in memory: the metrics,
// picking, geometry and screenshot tests state what they expect (which road
// is where, of which class) from the layout below, which a generated city
// would hide. (The viewer's own built-in city is generated: built_in_city.hpp.)
//   * streets every 400 m on an 11 x 11 node grid with origin kGridOrigin;
//   * the middle row (y = 2000 m) and middle column (x = 2000 m) are primary,
//     the outer ring is secondary, rows/columns at 800 m and 3200 m are
//     tertiary, everything else residential;
//   * every street has both directions (two links, same geometry reversed);
//   * after the 440 street links: two connector links per district (zone centroid <-> nearest corner).
#include "core/model/twin.hpp"

namespace citytwin::viewer::test_support {

inline constexpr Point2 kGridOrigin{380000.0, 5800000.0};
inline constexpr double kGridSpacing = 400.0;
inline constexpr int kGridNodesPerSide = 11;

Twin hand_laid_twin();

}  // namespace citytwin::viewer
