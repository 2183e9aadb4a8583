#pragma once
// The viewer's built-in city: a small hand-laid twin (4 x 4 km street grid,
// 16 districts, a 110 kV grid of 5 substations) built in memory, shown when
// no file is given and used by the screenshot tests, whose expectations
// (which road is where, of which class) follow from the layout below:
//   * streets every 400 m on an 11 x 11 node grid with origin kDemoOrigin;
//   * the middle row (y = 2000 m) and middle column (x = 2000 m) are primary,
//     the outer ring is secondary, rows/columns at 800 m and 3200 m are
//     tertiary, everything else residential;
//   * every street has both directions (two links, same geometry reversed);
//   * after the 440 street links: two connector links per district (zone centroid <-> nearest corner).
#include "core/model/twin.hpp"

namespace citytwin::viewer {

inline constexpr Point2 kDemoOrigin{380000.0, 5800000.0};
inline constexpr double kDemoSpacing = 400.0;
inline constexpr int kDemoNodesPerSide = 11;

Twin demo_twin();

}  // namespace citytwin::viewer
