#pragma once
// What a layer can be coloured by: the catalogue of metrics (static twin
// attributes and hourly results), and the evaluation of one metric into
// per-feature values for a given hour and view (baseline / scenario / diff).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viewer/model/colormap.hpp"

namespace citytwin {
struct Twin;
namespace coupling {
struct Scenario;
}
}

namespace citytwin::viewer {

class Results;
enum class Quantity : std::uint8_t;

// Drawing order, bottom to top.
enum class Layer : std::uint8_t { Districts, Roads, Branches, Buses, Substations, Chargers, Count };
inline constexpr std::size_t kLayerCount = static_cast<std::size_t>(Layer::Count);
const char* layer_name(Layer l);        // "roads"
const char* layer_title(Layer l);       // "Roads"
std::size_t feature_count(const Twin& twin, Layer l);

enum class View : std::uint8_t { Baseline, Scenario, Diff };
const char* view_name(View v);
bool parse_view(std::string_view s, View& out);

struct MetricInfo {
  const char* id;      // "vc", "capacity", ... (--color-by)
  const char* label;   // "Volume / capacity"
  const char* unit;    // "", "veh/h", "%"
  Layer layer;
  bool hourly;         // from the results (needs results to show anything)
  bool categorical;    // values are category indices (ColorMapId categorical)
  ColorMapId cmap;
  // Fixed legend range for continuous metrics; lo == hi means "from the data".
  double lo, hi;
};

const std::vector<MetricInfo>& metric_catalogue();
std::vector<const MetricInfo*> metrics_for(Layer l);
// "vc", "roads.capacity", "substations.capacity": an unqualified id is looked
// up in the order roads, districts, buses, branches, substations, chargers.
const MetricInfo* find_metric(std::string_view id);
const MetricInfo* find_metric(Layer l, std::string_view id);

// Category labels of a categorical metric (road class names, yes / no).
std::vector<std::string> category_labels(const MetricInfo& m);

// Everything needed to colour a layer and draw its legend.
struct MetricField {
  const MetricInfo* metric = nullptr;
  View view = View::Baseline;
  std::vector<double> values;  // per feature; NaN = no data
  double lo = 0, hi = 1;       // legend / colour range
  bool diverging = false;      // diff view: symmetric around 0
  bool available = true;       // false: hourly metric without results
  std::string note;            // why not available, or what the diff shows
  ColorMapId cmap = ColorMapId::Viridis;
  bool any_nodata = false;                // some feature has no value (legend shows "no data")
  std::vector<bool> categories_present;   // categorical: which categories occur (legend rows)

  // Fills any_nodata and categories_present from values (evaluate_metric calls it).
  void summarise();
  // Lookup coordinates for the renderer (kNoData for NaN).
  std::vector<float> coords() const;
  Rgba color(std::size_t i) const;
};

struct MetricInputs {
  const Twin* twin = nullptr;
  const Results* baseline = nullptr;  // may be null
  const Results* scenario = nullptr;  // may be null (no scenario run yet)
  const coupling::Scenario* edits = nullptr;  // may be null; drawn statically in Scenario / Diff views
};

// The results quantity behind an hourly metric (none for static metrics).
std::optional<Quantity> hourly_quantity(const MetricInfo& m);

// Raw values of a metric in one state (baseline or scenario) at an hour.
std::vector<double> metric_values(const MetricInfo& m, const MetricInputs& in, bool scenario_state, int hour,
                                  bool* available = nullptr);
MetricField evaluate_metric(const MetricInfo& m, const MetricInputs& in, int hour, View view);

// Colour window used on the dark map background for continuous maps.
ColorMap display_colormap(ColorMapId id, bool categorical);

}  // namespace citytwin::viewer
