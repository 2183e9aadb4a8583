// The viewer's panels: time and view, layers (toggle, opacity, colour by),
// scenario editing (save / load / run), the inspector and the KPI window.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/common/field_list.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/model/twin.hpp"
#include "viewer/model/inspector.hpp"
#include "viewer/model/scenario_edits.hpp"
#include "viewer/ui/ui.hpp"

#include <imgui_stdlib.h>  // after imgui.h (ui.hpp): it needs IMGUI_API

namespace citytwin::viewer {

namespace {

void time_and_view(UiModel& m) {
  ViewerState& s = *m.state;
  ImGui::TextUnformatted("Time");
  ImGui::SetNextItemWidth(-90);
  if (ImGui::SliderInt("##hour", &s.hour, 0, kHours - 1, "%02d:00")) m.fields_dirty = true;
  ImGui::SameLine();
  if (ImGui::Button(s.playing ? "Pause" : "Play", {80, 0})) {
    s.playing = !s.playing;
    s.play_clock = 0;
  }
  ImGui::SetNextItemWidth(-90);
  ImGui::SliderFloat("hours/s", &s.hours_per_second, 0.25f, 8.0f, "%.2f");
  ImGui::Separator();
  ImGui::TextUnformatted("View");
  int v = int(s.view);
  bool changed = ImGui::RadioButton("baseline", &v, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("scenario", &v, 1);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("difference", &v, 2);
  if (changed) {
    s.view = View(v);
    m.fields_dirty = true;
  }
}

void layer_panel(UiModel& m) {
  ViewerState& s = *m.state;
  const bool have_results = m.baseline != nullptr;
  for (int li = int(kLayerCount) - 1; li >= 0; --li) {
    const Layer l = Layer(li);
    LayerState& ls = s.layer(l);
    const std::size_t n = feature_count(*m.twin, l);
    ImGui::PushID(li);
    char label[96];
    std::snprintf(label, sizeof label, "%s (%zu)", layer_title(l), n);
    if (ImGui::Checkbox(label, &ls.visible)) m.fields_dirty = true;
    if (ls.visible) {
      ImGui::Indent(12);
      ImGui::SetNextItemWidth(-110);
      const MetricInfo* cur = ls.metric ? ls.metric : metrics_for(l).front();
      std::string preview = cur->label;
      if (ImGui::BeginCombo("colour by", preview.c_str())) {
        for (const MetricInfo* mi : metrics_for(l)) {
          std::string item = mi->label;
          if (mi->hourly) item += have_results ? "  [hourly]" : "  [needs results]";
          if (ImGui::Selectable(item.c_str(), mi == cur)) {
            ls.metric = mi;
            m.fields_dirty = true;
          }
        }
        ImGui::EndCombo();
      }
      ImGui::SetNextItemWidth(-110);
      ImGui::SliderFloat("opacity", &ls.opacity, 0.05f, 1.0f, "%.2f");
      if (l == Layer::Buses || l == Layer::Substations || l == Layer::Chargers) {
        ImGui::SetNextItemWidth(-110);
        ImGui::SliderFloat("size", &ls.point_size_px, 2.0f, 20.0f, "%.0f px");
      }
      if (l == Layer::Roads) ImGui::Checkbox("zone connectors", &s.show_connectors);
      ImGui::Unindent(12);
    }
    ImGui::PopID();
  }
}

// The run's parameters, one row per field of coupling::scenario_parameter_fields():
// generated from the field list (name, unit, range, doc), edited through its checked set().
void parameter_panel(UiModel& m) {
  ViewerState& s = *m.state;
  coupling::Scenario& sc = s.scenario;
  bool edited = false;
  for (const Field<coupling::Scenario>& f : coupling::scenario_parameter_fields()) {
    ImGui::PushID(f.name.c_str());
    double v = f.get(sc);
    bool changed = false;
    ImGui::SetNextItemWidth(-190);
    switch (f.kind) {
      case FieldKind::Real: changed = ImGui::InputDouble(f.name.c_str(), &v, 0, 0, "%.6g"); break;
      case FieldKind::Integer: {
        int i = int(v);
        changed = ImGui::InputInt(f.name.c_str(), &i, 0, 0);
        v = i;
        break;
      }
      case FieldKind::Bool: {
        bool b = v != 0;
        changed = ImGui::Checkbox(f.name.c_str(), &b);
        v = b ? 1 : 0;
        break;
      }
      case FieldKind::Enum:
        if (ImGui::BeginCombo(f.name.c_str(), f.text(v).c_str())) {
          for (const FieldChoice& c : f.choices)
            if (ImGui::Selectable(c.name.c_str(), c.code == int(v))) {
              v = c.code;
              changed = true;
            }
          ImGui::EndCombo();
        }
        break;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n%s%s%s (default %s)", f.doc.c_str(), f.range_text().c_str(), f.unit.empty() ? "" : " ",
                        f.unit.c_str(), f.text(f.default_value()).c_str());
    if (changed) {
      if (f.kind == FieldKind::Real || f.kind == FieldKind::Integer) v = std::clamp(v, f.min, f.max);
      try {
        f.set(sc, v);  // the one range check
        edited = true;
      } catch (const std::exception&) {
        // out of range after clamping cannot happen; anything else keeps the old value
      }
    }
    ImGui::PopID();
  }
  if (edited) {
    // the EV sliders describe ev_share only while they agree with it
    if (s.notes.ev.effective_share() != sc.coupling.ev_share) s.notes.ev = {sc.coupling.ev_share, 0, 0};
    m.fields_dirty = true;
  }
}

void scenario_panel(UiModel& m) {
  ViewerState& s = *m.state;
  coupling::Scenario& sc = s.scenario;
  EvProjection& ev = s.notes.ev;
  bool edited = false;
  ImGui::SetNextItemWidth(-80);
  ImGui::InputText("name", &sc.name);
  ImGui::SetNextItemWidth(-80);
  ImGui::InputText("notes", &s.notes.description);
  ImGui::TextUnformatted("Electric vehicles");
  float share = float(ev.share * 100), growth = float(ev.annual_growth * 100);
  bool ev_edited = false;
  ImGui::SetNextItemWidth(-80);
  if (ImGui::SliderFloat("EV share", &share, 0, 100, "%.0f %%")) {
    ev.share = share / 100.0;
    ev_edited = true;
  }
  ImGui::SetNextItemWidth(-80);
  if (ImGui::SliderFloat("growth/yr", &growth, 0, 50, "%.1f %%")) {
    ev.annual_growth = growth / 100.0;
    ev_edited = true;
  }
  ImGui::SetNextItemWidth(-80);
  ev_edited |= ImGui::SliderInt("years", &ev.years, 0, 30);
  if (ev_edited) sc.coupling.ev_share = ev.effective_share();  // what the run uses
  edited |= ev_edited;
  ImGui::TextDisabled("effective EV share: %.1f %%", sc.coupling.ev_share * 100);

  using coupling::AssetKind;
  const std::vector<LinkEdit> links = link_edits(sc);
  ImGui::Text("Edits: %zu roads, %zu substations, %zu branches", links.size(), outage_count(sc, AssetKind::Substation),
              outage_count(sc, AssetKind::Branch));
  if (ImGui::BeginChild("edits", {0, 110}, true)) {
    for (std::size_t i = 0; i < links.size(); ++i) {
      const LinkEdit& e = links[i];
      ImGui::PushID(int(i));
      if (ImGui::SmallButton("x")) edited |= remove_link(sc, e.link);
      ImGui::SameLine();
      if (e.closed()) ImGui::Text("road %u closed from %02d:00", e.link, e.from_hour);
      else ImGui::Text("road %u capacity %.0f %% from %02d:00", e.link, e.capacity_factor * 100, e.from_hour);
      ImGui::PopID();
    }
    const std::vector<coupling::Outage> outages = sc.outages;  // a click below edits sc.outages
    for (std::size_t i = 0; i < outages.size(); ++i) {
      const coupling::Outage& o = outages[i];
      ImGui::PushID(int(1000000 + i));
      if (ImGui::SmallButton("x")) edited |= remove_outage(sc, o.kind, o.id);
      ImGui::SameLine();
      ImGui::Text("%s %u fails from %02d:00", coupling::asset_kind_name(o.kind), o.id, o.from_hour);
      ImGui::PopID();
    }
    if (!has_edits(sc)) ImGui::TextDisabled("select a road, substation or branch\nand edit it in the inspector");
  }
  ImGui::EndChild();

  if (ImGui::TreeNode(kParametersNode)) {
    parameter_panel(m);
    ImGui::TreePop();
  }

  ImGui::SetNextItemWidth(-110);
  ImGui::InputText("##scenario_path", &m.scenario_path);
  ImGui::SameLine();
  if (ImGui::Button("Save")) m.request_save = true;
  ImGui::SameLine();
  if (ImGui::Button("Load")) m.request_load = true;

  // the coupled run in the background (Controller: the baseline first when there is none)
  if (m.run.running) {
    char overlay[96];
    std::snprintf(overlay, sizeof overlay, "%s%s %.0f %%", m.run.baseline_first ? "baseline: " : "",
                  m.run.stage.c_str(), m.run.fraction * 100);
    ImGui::ProgressBar(m.run.fraction, {-80, 0}, overlay);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) m.request_cancel = true;
  } else {
    ImGui::BeginDisabled(!m.run.available);
    if (ImGui::Button("Run scenario", {-1, 0})) m.request_run = true;
    ImGui::EndDisabled();
    if (!m.run.available) ImGui::TextWrapped("%s", m.run.unavailable_reason.c_str());
    else ImGui::TextDisabled("runner: coupled traffic + grid run");
  }
  if (edited) m.fields_dirty = true;
}

void plot_series(const char* label, const std::vector<float>& v, int hour, const char* unit, float height = 46) {
  if (v.empty()) return;
  float lo = 0, hi = 0;
  for (float x : v)
    if (std::isfinite(x)) hi = std::max(hi, x), lo = std::min(lo, x);
  if (hi <= lo) hi = lo + 1;
  char overlay[96];
  const float cur = v[std::size_t(std::clamp(hour, 0, int(v.size()) - 1))];
  std::snprintf(overlay, sizeof overlay, "%02d:00  %s %s", hour, format_value(cur).c_str(), unit);
  ImGui::SetNextItemWidth(-90);  // PlotLines takes a positive size only; width 0 = this item width
  ImGui::PlotLines(label, v.data(), int(v.size()), 0, overlay, lo, hi * 1.05f, {0, height});
}

void inspector(UiModel& m) {
  ViewerState& s = *m.state;
  if (!s.selected) return;
  const Selection sel = *s.selected;
  const Twin& t = *m.twin;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos({io.DisplaySize.x - 390, 10}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({380, std::clamp(io.DisplaySize.y - 280, 200.f, 620.f)}, ImGuiCond_FirstUseEver);
  bool open = true;
  if (!ImGui::Begin("Inspector", &open)) {
    ImGui::End();
    if (!open) s.selected.reset();
    return;
  }
  ImGui::TextUnformatted(feature_title(t, sel, m.missing).c_str());
  ImGui::Separator();
  if (ImGui::BeginTable("attributes", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn("attribute", ImGuiTableColumnFlags_WidthFixed, 150);
    ImGui::TableSetupColumn("value");
    for (const Attribute& a : attributes(t, sel, m.missing)) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextDisabled("%s", a.name.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::TextWrapped("%s", a.value.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Provenance");
  const Provenance p = provenance(t, sel);
  if (p.inferred) {
    ImGui::TextWrapped("Inferred by citytwin during import (no department record).");
  } else if (p.unavailable) {
    ImGui::TextWrapped("Not in the results file (written by an older citytwin); open the .twin for provenance.");
  } else {
    ImGui::Text("department  %s", p.department.c_str());
    ImGui::TextWrapped("file        %s", p.file.c_str());
    ImGui::Text("layer       %s", p.layer.c_str());
    ImGui::Text("feature id  %lld", static_cast<long long>(p.feature));
  }
  ImGui::Separator();
  const auto series = hourly_series(t, sel, m.baseline, m.scenario_results);
  if (series.empty()) {
    ImGui::TextDisabled("24-hour plots appear when results are loaded.");
  } else {
    for (const HourlySeries& hs : series) {
      ImGui::TextUnformatted(hs.label.c_str());
      plot_series("baseline", hs.baseline, s.hour, hs.unit.c_str());
      plot_series("scenario", hs.scenario, s.hour, hs.unit.c_str());
    }
  }

  // what-if editing of this feature
  ImGui::Separator();
  ImGui::TextUnformatted("What if");
  coupling::Scenario& sc = s.scenario;
  int& from_hour = m.edit_from_hour;
  ImGui::SetNextItemWidth(-110);
  ImGui::SliderInt("from hour", &from_hour, 0, 23, "%02d:00");
  bool edited = false;
  if (sel.layer == Layer::Roads) {
    const std::optional<LinkEdit> e = link_edit(sc, sel.id);
    float& keep = m.edit_keep_pct;
    if (ImGui::Button("Close road")) {
      set_link(sc, sel.id, 0.0, from_hour);
      edited = true;
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::SliderFloat("##keep", &keep, 5, 95, "keep %.0f %%");
    ImGui::SameLine();
    if (ImGui::Button("Cut capacity")) {
      set_link(sc, sel.id, keep / 100.0, from_hour);
      edited = true;
    }
    if (e) {
      ImGui::Text(e->closed() ? "closed from %02d:00" : "capacity cut from %02d:00", e->from_hour);
      ImGui::SameLine();
      if (ImGui::SmallButton("undo")) edited |= remove_link(sc, sel.id);
    }
  } else if (sel.layer == Layer::Substations || sel.layer == Layer::Branches) {
    const bool subs = sel.layer == Layer::Substations;
    const coupling::AssetKind kind = subs ? coupling::AssetKind::Substation : coupling::AssetKind::Branch;
    const coupling::Outage* f = find_outage(sc, kind, sel.id);
    if (ImGui::Button(subs ? "Fail substation" : "Fail branch")) {
      fail_asset(sc, kind, sel.id, from_hour);
      edited = true;
      f = nullptr;  // fail_asset moved the outages
    }
    if (f) {
      const int fails_from = f->from_hour;
      ImGui::SameLine();
      ImGui::Text("fails from %02d:00", fails_from);
      ImGui::SameLine();
      if (ImGui::SmallButton("undo")) edited |= remove_outage(sc, kind, sel.id);
    }
  } else {
    ImGui::TextDisabled("roads, substations and branches can be edited");
  }
  if (edited) {
    m.fields_dirty = true;
    if (s.view == View::Baseline) s.view = View::Scenario;
  }
  ImGui::End();
  if (!open) s.selected.reset();
}

void kpi_window(UiModel& m) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos({io.DisplaySize.x - 390, io.DisplaySize.y - 250}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({380, 240}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowCollapsed(m.baseline == nullptr, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("City KPIs")) {
    ImGui::End();
    return;
  }
  if (!m.baseline) {
    ImGui::TextWrapped(
        "No results loaded. Citywide vehicle-hours, delay, peak load, overloaded assets, dark signals and "
        "unserved energy appear here as 24-hour plots once results exist (--results, or a scenario run).");
    ImGui::End();
    return;
  }
  const ViewerState& s = *m.state;
  const bool diff = s.view == View::Diff && m.scenario_results;
  const Results* r = s.view == View::Scenario && m.scenario_results ? m.scenario_results : m.baseline;
  ImGui::TextDisabled("%s", diff ? ("scenario - baseline: " + m.scenario_results->label).c_str() : r->label.c_str());
  auto series = [&](Kpi k) {
    if (!diff) return kpi_series(*r, k);
    const auto a = kpi_series(*m.scenario_results, k), b = kpi_series(*m.baseline, k);
    std::vector<float> d(std::min(a.size(), b.size()));
    for (std::size_t h = 0; h < d.size(); ++h) d[h] = a[h] - b[h];
    return d;
  };
  plot_series("veh-hours", series(Kpi::VehicleHours), s.hour, "veh.h", 30);
  plot_series("delay", series(Kpi::DelayHours), s.hour, "veh.h", 30);
  plot_series("load", series(Kpi::LoadMw), s.hour, "MW", 30);
  plot_series("overloaded", series(Kpi::OverloadedAssets), s.hour, "assets", 30);
  plot_series("dark signals", series(Kpi::DarkSignals), s.hour, "", 30);
  plot_series("unserved", series(Kpi::UnservedMwh), s.hour, "MWh", 30);
  ImGui::End();
}

}  // namespace

void bind(UiModel& m, Controller& c) {
  m.twin = &c.twin();
  m.twin_path = c.twin_path();
  m.missing = c.missing();
  m.state = &c.state();
  m.baseline = c.baseline();
  m.scenario_results = c.scenario_results();
  m.run = c.run_status();
  m.status = c.status();
}

void draw_panels(UiModel& m) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos({0, 0}, ImGuiCond_Always);
  ImGui::SetNextWindowSize({kLeftPanelWidth, io.DisplaySize.y}, ImGuiCond_Always);
  ImGui::Begin("citytwin", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoSavedSettings);
  ImGui::TextUnformatted(m.twin->name.c_str());
  ImGui::TextDisabled("%s  %s", m.twin->crs.c_str(), m.twin_path.c_str());
  if (m.missing && !m.missing->empty())
    ImGui::TextWrapped("Opened from a results file alone: geometry, ids and the stored attributes; the rest reads "
                       "\"%s\" (open the .twin with --results for everything).", kNotInFile);
  if (ImGui::Button("Zoom to extent")) m.request_fit = true;
  ImGui::SameLine();
  if (ImGui::Button("Export PNG")) m.request_export = true;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##export_path", &m.export_path);
  ImGui::Separator();
  time_and_view(m);
  ImGui::Separator();
  if (ImGui::CollapsingHeader("Layers", ImGuiTreeNodeFlags_DefaultOpen)) layer_panel(m);
  if (ImGui::CollapsingHeader("Scenario", ImGuiTreeNodeFlags_DefaultOpen)) scenario_panel(m);
  ImGui::Separator();
  if (!m.status.empty()) ImGui::TextWrapped("%s", m.status.c_str());
  ImGui::TextDisabled("%.1f ms/frame, %zu vertices", m.frame_ms, m.drawn_vertices);
  if (!m.renderer_info.empty()) ImGui::TextDisabled("%s", m.renderer_info.c_str());
  ImGui::End();

  inspector(m);
  kpi_window(m);
}

}  // namespace citytwin::viewer
