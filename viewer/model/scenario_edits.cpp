#include "viewer/model/scenario_edits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "core/model/twin.hpp"

namespace citytwin::viewer {

using coupling::AssetKind;

namespace {
// File order of outages: substations, branches, buses, each by id.
int kind_rank(AssetKind k) { return k == AssetKind::Substation ? 0 : k == AssetKind::Branch ? 1 : 2; }
}  // namespace

void set_link(coupling::Scenario& s, std::uint32_t link, double capacity_factor, int from_hour, int to_hour) {
  remove_link(s, link);
  const double f = std::clamp(capacity_factor, 0.0, 1.0);
  if (f >= 1.0) return;
  const int from = std::clamp(from_hour, 0, 23), to = std::clamp(to_hour, from, 23);
  auto key = [](const coupling::LinkChange& c) { return std::tuple(c.capacity_factor, c.from_hour, c.to_hour); };
  const auto wanted = std::tuple(f, from, to);
  auto& changes = s.link_changes;
  auto it = std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return key(c) == wanted; });
  if (it == changes.end()) {
    it = std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return wanted < key(c); });
    it = changes.insert(it, coupling::LinkChange{{}, f, from, to});
  }
  it->links.insert(std::upper_bound(it->links.begin(), it->links.end(), link), link);
}

bool remove_link(coupling::Scenario& s, std::uint32_t link) {
  bool found = false;
  for (auto& c : s.link_changes) {
    const auto end = std::remove(c.links.begin(), c.links.end(), link);
    found = found || end != c.links.end();
    c.links.erase(end, c.links.end());
  }
  std::erase_if(s.link_changes, [](const coupling::LinkChange& c) { return c.links.empty(); });
  return found;
}

std::optional<LinkEdit> link_edit(const coupling::Scenario& s, std::uint32_t link) {
  std::optional<LinkEdit> out;
  for (const auto& c : s.link_changes)
    if (std::find(c.links.begin(), c.links.end(), link) != c.links.end())
      out = LinkEdit{link, c.capacity_factor, c.from_hour, c.to_hour};
  return out;
}

std::vector<LinkEdit> link_edits(const coupling::Scenario& s) {
  std::map<std::uint32_t, LinkEdit> by_link;  // a later change of a link wins, as in link_edit
  for (const auto& c : s.link_changes)
    for (std::uint32_t l : c.links) by_link[l] = LinkEdit{l, c.capacity_factor, c.from_hour, c.to_hour};
  std::vector<LinkEdit> out;
  out.reserve(by_link.size());
  for (const auto& [l, e] : by_link) out.push_back(e);
  return out;
}

void fail_asset(coupling::Scenario& s, AssetKind kind, std::uint32_t id, int from_hour) {
  remove_outage(s, kind, id);
  s.outages.push_back({kind, id, std::clamp(from_hour, 0, 23), coupling::kNeverRepaired});
  std::stable_sort(s.outages.begin(), s.outages.end(), [](const coupling::Outage& a, const coupling::Outage& b) {
    return std::pair(kind_rank(a.kind), a.id) < std::pair(kind_rank(b.kind), b.id);
  });
}

bool remove_outage(coupling::Scenario& s, AssetKind kind, std::uint32_t id) {
  return std::erase_if(s.outages, [&](const coupling::Outage& o) { return o.kind == kind && o.id == id; }) > 0;
}

const coupling::Outage* find_outage(const coupling::Scenario& s, AssetKind kind, std::uint32_t id) {
  for (const auto& o : s.outages)
    if (o.kind == kind && o.id == id) return &o;
  return nullptr;
}

std::size_t outage_count(const coupling::Scenario& s, AssetKind kind) {
  return std::size_t(std::count_if(s.outages.begin(), s.outages.end(), [kind](const auto& o) { return o.kind == kind; }));
}

bool has_edits(const coupling::Scenario& s) {
  if (!s.link_changes.empty() || !s.outages.empty() || s.given_od) return true;
  for (const auto* growth : {&s.population_growth, &s.jobs_growth})
    if (std::any_of(growth->begin(), growth->end(), [](double f) { return f != 1.0; })) return true;
  for (const auto& f : coupling::scenario_parameter_fields())
    if (f.get(s) != f.default_value()) return true;
  return false;
}

void check_scenario(const coupling::Scenario& s, const Twin& twin) {
  auto fail = [](const char* what, std::uint32_t id, std::size_t count) {
    throw InvalidInput(std::string("scenario: no ") + what + " " + std::to_string(id) + " in the twin (it has " +
                           std::to_string(count) + ")",
                       {.feature = id, .field = what});
  };
  for (const auto& c : s.link_changes)
    for (std::uint32_t l : c.links)
      if (l >= twin.roads.link_count()) fail("link", l, twin.roads.link_count());
  for (const auto& o : s.outages) {
    const std::size_t n = o.kind == AssetKind::Substation ? twin.grid.substation_count()
                          : o.kind == AssetKind::Branch   ? twin.grid.branch_count()
                                                          : twin.grid.bus_count();
    if (o.id >= n) fail(coupling::asset_kind_name(o.kind), o.id, n);
  }
}

double EvProjection::effective_share() const {
  return std::clamp(share * std::pow(1 + annual_growth, double(std::max(years, 0))), 0.0, 1.0);
}

ScenarioState scenario_state(const coupling::Scenario& s, const Twin& twin, int hour) {
  ScenarioState st;
  const std::size_t links = twin.roads.link_count();
  st.link_capacity_factor.assign(links, 1.0f);
  coupling::Scenario in_range;  // capacity_factors() trusts its ids; a scenario being edited may not be checked yet
  for (const auto& c : s.link_changes) {
    coupling::LinkChange k = c;
    std::erase_if(k.links, [links](std::uint32_t l) { return l >= links; });
    in_range.link_changes.push_back(std::move(k));
  }
  const std::vector<double> f = coupling::capacity_factors(in_range, hour, links);
  for (std::size_t i = 0; i < links; ++i) st.link_capacity_factor[i] = float(f[i]);
  st.substation_failed.assign(twin.grid.substation_count(), 0);
  st.branch_failed.assign(twin.grid.branch_count(), 0);
  st.bus_deenergised.assign(twin.grid.bus_count(), 0);
  for (const auto& o : s.outages) {
    if (!o.active(hour)) continue;
    auto& v = o.kind == AssetKind::Substation ? st.substation_failed
              : o.kind == AssetKind::Branch   ? st.branch_failed
                                              : st.bus_deenergised;
    if (o.id < v.size()) v[o.id] = 1;
  }
  const auto& g = twin.grid;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t sub = b < g.bus_substation.size() ? g.bus_substation[b] : -1;
    if (sub >= 0 && std::size_t(sub) < st.substation_failed.size() && st.substation_failed[std::size_t(sub)])
      st.bus_deenergised[b] = 1;
  }
  return st;
}

}  // namespace citytwin::viewer
