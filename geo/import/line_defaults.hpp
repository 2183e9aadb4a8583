#pragma once
// Default electrical parameters per km by voltage class and kind, used when a
// line layer does not carry them. Typical values for 50 Hz overhead lines
// (ACSR) and XLPE cables; documented in datasets/manifests/README.md.
#include <string>

namespace citytwin::geo {

struct LineTypeDefaults {
  double r_ohm_per_km, x_ohm_per_km, c_nf_per_km, rating_mva;
};

// kind: "line" (overhead) or "cable". The nearest voltage class is used.
LineTypeDefaults line_defaults(double kv, bool cable);

}  // namespace citytwin::geo
