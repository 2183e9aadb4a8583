// Map overlays drawn with ImDrawList over the GL map: legends, title, scale
// bar, attribution, the selected / hovered feature and the scenario's edits.
// Only a handful of shapes: the big layers are the renderer's vertex buffers.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/model/twin.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/ui/ui.hpp"

namespace citytwin::viewer {

namespace {

ImU32 col(Rgba c, float alpha = 1.0f) { return IM_COL32(c.r, c.g, c.b, int(c.a * alpha)); }
constexpr ImU32 kPanelBg = IM_COL32(16, 18, 22, 225);
constexpr ImU32 kText = IM_COL32(235, 235, 235, 255);
constexpr ImU32 kMuted = IM_COL32(170, 170, 170, 255);

ImVec2 to_screen(const UiModel& m, Point2 p) {
  const ScreenPoint s = m.camera->world_to_screen(p);
  return {float(s.x) + m.map.x, float(s.y) + m.map.y};
}

std::string hour_text(int h) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d:00", h);
  return b;
}

// One legend box; returns its height. `bottom` is the box's lower edge.
float draw_legend(ImDrawList* dl, float x, float bottom, Layer layer, const MetricField& f, bool measure_only,
                  bool show_connectors) {
  const float w = kLegendWidth, pad = 8, line = ImGui::GetTextLineHeight();
  const MetricInfo& m = *f.metric;
  const bool categorical = m.categorical && !f.diverging;
  // categorical legends list only the categories present (and drawn)
  std::vector<std::pair<std::size_t, std::string>> labels;
  if (categorical) {
    const auto all = category_labels(m);
    for (std::size_t k = 0; k < all.size() && k < f.categories_present.size(); ++k) {
      if (layer == Layer::Roads && !show_connectors && k == std::size_t(RoadClass::Connector)) continue;  // not drawn
      if (f.categories_present[k]) labels.emplace_back(k, all[k]);
    }
  }
  const bool any_nodata = f.any_nodata;
  float h = pad + line + 4;  // title
  if (!f.available) h += line * 2;
  else if (categorical) h += float((labels.size() + 1) / 2) * (line + 2);
  else h += 14 + line + 4;
  if (any_nodata && f.available) h += line + 2;
  if (f.diverging) h += line;
  h += pad;
  if (measure_only) return h;

  const float top = bottom - h;
  dl->AddRectFilled({x, top}, {x + w, bottom}, kPanelBg, 4);
  std::string title = std::string(layer_title(layer)) + ": " + m.label;
  if (*m.unit && !categorical) title += std::string(" (") + m.unit + ")";
  float y = top + pad;
  dl->AddText({x + pad, y}, kText, title.c_str());
  y += line + 4;
  const ColorMap cm = display_colormap(f.cmap, categorical);
  if (!f.available) {
    dl->AddText(nullptr, 0, {x + pad, y}, kMuted, f.note.c_str(), nullptr, w - 2 * pad);
    return h;
  }
  if (f.diverging) {
    dl->AddText({x + pad, y}, kMuted, (f.note.empty() ? std::string("scenario - baseline") : f.note).c_str());
    y += line;
  }
  if (categorical) {
    const float cw = (w - 2 * pad) / 2;
    for (std::size_t k = 0; k < labels.size(); ++k) {
      const float cx = x + pad + float(k % 2) * cw, cy = y + float(k / 2) * (line + 2);
      dl->AddRectFilled({cx, cy + 1}, {cx + 14, cy + line - 1}, col(cm.category(labels[k].first)));
      dl->AddText({cx + 19, cy}, kText, labels[k].second.c_str());
    }
    y += float((labels.size() + 1) / 2) * (line + 2);
  } else {
    const float bw = w - 2 * pad, bx = x + pad;
    const auto lut = cm.lut();
    constexpr int kSteps = 64;
    for (int i = 0; i < kSteps; ++i) {
      const float x0 = bx + bw * float(i) / kSteps, x1 = bx + bw * float(i + 1) / kSteps;
      const Rgba a = lut[std::size_t(std::lround(255.0 * i / kSteps))];
      const Rgba b = lut[std::size_t(std::lround(255.0 * (i + 1) / kSteps))];
      dl->AddRectFilledMultiColor({x0, y}, {x1 + 0.5f, y + 14}, col(a), col(b), col(b), col(a));
    }
    y += 14;
    const auto ticks = nice_ticks(f.lo, f.hi, 5);
    for (double t : ticks) {
      const float tx = bx + float((t - f.lo) / (f.hi - f.lo)) * bw;
      dl->AddLine({tx, y}, {tx, y + 3}, kText);
      std::string label = format_value(t);
      const float lw = ImGui::CalcTextSize(label.c_str()).x;
      const float lx = std::clamp(tx - lw / 2, bx, bx + bw - lw);
      dl->AddText({lx, y + 3}, kText, label.c_str());
    }
    y += line + 4;
  }
  if (any_nodata) {
    dl->AddRectFilled({x + pad, y + 1}, {x + pad + 14, y + line - 1}, col(kNoDataColor));
    dl->AddText({x + pad + 19, y}, kMuted, "no data");
  }
  return h;
}

void draw_polyline(ImDrawList* dl, const UiModel& m, const LineColumn& lines, std::size_t i, ImU32 c, float width) {
  std::vector<ImVec2> pts;
  for (std::size_t k = 0; k < lines.points(i); ++k) pts.push_back(to_screen(m, lines.point(i, k)));
  if (pts.size() >= 2) dl->AddPolyline(pts.data(), int(pts.size()), c, 0, width);
}

void draw_feature(ImDrawList* dl, const UiModel& m, const Selection& s, ImU32 c, float width) {
  const Twin& t = *m.twin;
  switch (s.layer) {
    case Layer::Roads: draw_polyline(dl, m, t.roads.geometry, s.id, c, width); break;
    case Layer::Branches: draw_polyline(dl, m, t.grid.branch_geometry, s.id, c, width); break;
    case Layer::Districts: {
      const auto& pc = t.districts.shape;
      for (auto poly = pc.polygon_offsets[s.id]; poly < pc.polygon_offsets[s.id + 1]; ++poly)
        for (auto ring = pc.ring_offsets[poly]; ring < pc.ring_offsets[poly + 1]; ++ring) {
          std::vector<ImVec2> pts;
          for (auto k = pc.coord_offsets[ring]; k < pc.coord_offsets[ring + 1]; ++k)
            pts.push_back(to_screen(m, {pc.x[k], pc.y[k]}));
          if (pts.size() >= 2) dl->AddPolyline(pts.data(), int(pts.size()), c, ImDrawFlags_Closed, width);
        }
      break;
    }
    case Layer::Buses: dl->AddCircle(to_screen(m, {t.grid.bus_x[s.id], t.grid.bus_y[s.id]}), 9, c, 16, width); break;
    case Layer::Substations:
      dl->AddCircle(to_screen(m, {t.grid.substation_x[s.id], t.grid.substation_y[s.id]}), 11, c, 16, width);
      break;
    case Layer::Chargers: dl->AddCircle(to_screen(m, {t.chargers.x[s.id], t.chargers.y[s.id]}), 8, c, 16, width); break;
    default: break;
  }
}

Point2 line_middle(const LineColumn& lines, std::size_t i) {
  const std::size_t n = lines.points(i);
  if (n == 0) return {};
  if (n % 2) return lines.point(i, n / 2);
  const Point2 a = lines.point(i, n / 2 - 1), b = lines.point(i, n / 2);
  return {(a.x + b.x) / 2, (a.y + b.y) / 2};
}

void draw_cross(ImDrawList* dl, ImVec2 p, float r, ImU32 c) {
  dl->AddLine({p.x - r, p.y - r}, {p.x + r, p.y + r}, IM_COL32(0, 0, 0, 255), 5);
  dl->AddLine({p.x - r, p.y + r}, {p.x + r, p.y - r}, IM_COL32(0, 0, 0, 255), 5);
  dl->AddLine({p.x - r, p.y - r}, {p.x + r, p.y + r}, c, 3);
  dl->AddLine({p.x - r, p.y + r}, {p.x + r, p.y - r}, c, 3);
}

void draw_scenario_edits(ImDrawList* dl, const UiModel& m) {
  const Twin& t = *m.twin;
  const coupling::Scenario& sc = m.state->scenario;
  const int hour = m.state->hour;
  constexpr ImU32 kClosed = IM_COL32(255, 60, 60, 255), kCut = IM_COL32(255, 165, 0, 255);
  for (const LinkEdit& e : link_edits(sc)) {
    if (e.link >= t.roads.link_count()) continue;
    const bool active = e.active(hour);
    const ImU32 c = e.closed() ? kClosed : kCut;
    draw_polyline(dl, m, t.roads.geometry, e.link, active ? c : (c & 0x80FFFFFF), 4);
    if (e.closed()) draw_cross(dl, to_screen(m, line_middle(t.roads.geometry, e.link)), 5, c);
  }
  for (const coupling::Outage& f : sc.outages) {
    const ImU32 c = f.active(hour) ? kClosed : kCut;
    if (f.kind == coupling::AssetKind::Branch && f.id < t.grid.branch_count())
      draw_cross(dl, to_screen(m, line_middle(t.grid.branch_geometry, f.id)), 7, c);
    if (f.kind == coupling::AssetKind::Substation && f.id < t.grid.substation_count())
      draw_cross(dl, to_screen(m, {t.grid.substation_x[f.id], t.grid.substation_y[f.id]}), 9, c);
  }
}

}  // namespace

void draw_map_overlays(ImDrawList* dl, const UiModel& m) {
  const MapRect& r = m.map;
  const float line = ImGui::GetTextLineHeight();
  dl->PushClipRect({r.x, r.y}, {r.x + r.w, r.y + r.h}, true);

  // scenario edits, hovered and selected features
  if (has_edits(m.state->scenario)) draw_scenario_edits(dl, m);
  if (m.state->hovered) draw_feature(dl, m, *m.state->hovered, IM_COL32(255, 255, 255, 200), 2);
  if (m.state->selected) {
    draw_feature(dl, m, *m.state->selected, IM_COL32(0, 0, 0, 255), 6);
    draw_feature(dl, m, *m.state->selected, IM_COL32(0, 230, 255, 255), 3);
  }

  // title: city, hour, view
  {
    std::string title = m.twin->name + "   " + hour_text(m.state->hour) + "   " + view_name(m.state->view);
    if (m.state->view != View::Baseline && has_edits(m.state->scenario)) title += ": " + m.state->scenario.name;
    const ImVec2 ts = ImGui::CalcTextSize(title.c_str());
    dl->AddRectFilled({r.x + 8, r.y + 8}, {r.x + 8 + ts.x + 16, r.y + 8 + ts.y + 10}, kPanelBg, 4);
    dl->AddText({r.x + 16, r.y + 13}, kText, title.c_str());
  }

  // legends, stacked upwards from the bottom-left corner: lowest layer at the bottom
  if (m.fields) {
    float bottom = r.y + r.h - kLegendMargin;
    for (std::size_t l = 0; l < kLayerCount; ++l) {
      const LayerState& ls = m.state->layers[l];
      const MetricField& f = (*m.fields)[l];
      if (!ls.visible || !f.metric || feature_count(*m.twin, Layer(l)) == 0) continue;
      const float h = draw_legend(dl, r.x + kLegendMargin, bottom, Layer(l), f, true, m.state->show_connectors);
      if (bottom - h < r.y + 60) break;  // no room left
      draw_legend(dl, r.x + kLegendMargin, bottom, Layer(l), f, false, m.state->show_connectors);
      bottom -= h + 6;
    }
  }

  // attribution and scale bar, bottom right
  {
    std::string attr = attribution(*m.twin);
    if (attr.empty()) {
      std::string deps;
      for (const auto& s : m.twin->sources)
        if (deps.find(s.department) == std::string::npos) deps += (deps.empty() ? "" : ", ") + s.department;
      attr = "Data: " + (deps.empty() ? std::string("unknown") : deps);
    }
    const ImVec2 as = ImGui::CalcTextSize(attr.c_str());
    const float ax = r.x + r.w - as.x - 14, ay = r.y + r.h - as.y - 10;
    dl->AddRectFilled({ax - 6, ay - 3}, {r.x + r.w - 6, ay + as.y + 3}, kPanelBg, 3);
    dl->AddText({ax, ay}, kText, attr.c_str());

    const ScaleBar bar = scale_bar(m.camera->meters_per_pixel(), 160);
    const float bx1 = r.x + r.w - 20, bx0 = bx1 - float(bar.pixels), by = ay - 14;
    const ImVec2 ls = ImGui::CalcTextSize(bar.label.c_str());
    dl->AddRectFilled({bx0 - 8, by - line - 6}, {bx1 + 8, by + 6}, kPanelBg, 3);
    dl->AddLine({bx0, by}, {bx1, by}, kText, 2);
    dl->AddLine({bx0, by - 5}, {bx0, by + 1}, kText, 2);
    dl->AddLine({bx1, by - 5}, {bx1, by + 1}, kText, 2);
    dl->AddText({(bx0 + bx1) / 2 - ls.x / 2, by - line - 3}, kText, bar.label.c_str());
  }
  dl->PopClipRect();
}

void draw_hover_tooltip(const UiModel& m, const Selection& s) {
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(feature_title(*m.twin, s, m.missing).c_str());
  if (m.fields) {
    const MetricField& f = (*m.fields)[std::size_t(s.layer)];
    if (f.metric && s.id < f.values.size()) {
      const double v = f.values[s.id];
      std::string value;
      if (!std::isfinite(v)) value = "no data";
      else if (f.metric->categorical && !f.diverging) {
        const auto labels = category_labels(*f.metric);
        value = std::size_t(v) < labels.size() ? labels[std::size_t(v)] : format_value(v);
      } else value = format_value(v) + (*f.metric->unit ? std::string(" ") + f.metric->unit : "");
      ImGui::Text("%s: %s", f.metric->label, value.c_str());
    }
  }
  ImGui::TextDisabled("%s", provenance(*m.twin, s).describe().c_str());
  ImGui::TextDisabled("click to inspect");
  ImGui::EndTooltip();
}

void setup_style() {
  ImGui::StyleColorsDark();
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowRounding = 4;
  st.FrameRounding = 3;
  st.WindowBorderSize = 0;
  st.Colors[ImGuiCol_WindowBg].w = 0.94f;
  ImGui::GetIO().IniFilename = nullptr;
}

}  // namespace citytwin::viewer
