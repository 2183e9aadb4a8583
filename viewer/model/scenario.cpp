#include "viewer/model/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/model/twin.hpp"
#include "geo/io/scenario_file.hpp"

namespace citytwin::viewer {

double EvSettings::effective_share() const {
  return std::clamp(share * std::pow(1 + annual_growth, double(std::max(years, 0))), 0.0, 1.0);
}

namespace {

// The run's parameters the viewer writes when they differ from the defaults.
struct ParamField {
  const char* name;
  double coupling::CouplingParameters::*d;
  int coupling::CouplingParameters::*i;
};
const std::vector<ParamField>& param_fields() {
  using P = coupling::CouplingParameters;
  static const std::vector<ParamField> f = {
      {"ev_kwh_per_km", &P::ev_kwh_per_km, nullptr},
      {"share_home", &P::share_home, nullptr},
      {"share_work", &P::share_work, nullptr},
      {"share_public", &P::share_public, nullptr},
      {"public_capture", &P::public_capture, nullptr},
      {"fast_session_kwh", &P::fast_session_kwh, nullptr},
      {"kappa_dark_single_lane", &P::kappa_dark_single_lane, nullptr},
      {"kappa_dark_multi_lane", &P::kappa_dark_multi_lane, nullptr},
      {"dark_stop_delay_s", &P::dark_stop_delay_s, nullptr},
      {"battery_backup_hours", &P::battery_backup_hours, nullptr},
      {"u_trip", &P::u_trip, nullptr},
      {"target_gap", &P::target_gap, nullptr},
      {"load_tolerance", &P::load_tolerance, nullptr},
      {"max_assignment_iterations", nullptr, &P::max_assignment_iterations},
      {"max_coupling_rounds", nullptr, &P::max_coupling_rounds},
  };
  return f;
}
bool params_equal(const coupling::CouplingParameters& a, const coupling::CouplingParameters& b) {
  for (const auto& f : param_fields())
    if (f.d ? a.*f.d != b.*f.d : a.*f.i != b.*f.i) return false;
  return a.ev_share == b.ev_share;
}

template <class T, class Key>
void upsert(std::vector<T>& v, Key key, T value, Key T::*field) {
  for (T& e : v)
    if (e.*field == key) {
      e = value;
      return;
    }
  v.push_back(value);
  std::sort(v.begin(), v.end(), [field](const T& a, const T& b) { return a.*field < b.*field; });
}
template <class T>
bool erase_id(std::vector<T>& v, std::uint32_t key, std::uint32_t T::*field) {
  auto it = std::remove_if(v.begin(), v.end(), [&](const T& e) { return e.*field == key; });
  const bool found = it != v.end();
  v.erase(it, v.end());
  return found;
}
template <class T>
const T* find_id(const std::vector<T>& v, std::uint32_t key, std::uint32_t T::*field) {
  for (const T& e : v)
    if (e.*field == key) return &e;
  return nullptr;
}
}  // namespace

void Scenario::set_road(RoadEdit e) {
  e.capacity_factor = std::clamp(e.capacity_factor, 0.0, 1.0);
  e.from_hour = std::clamp(e.from_hour, 0, 23);
  e.to_hour = std::clamp(e.to_hour, e.from_hour, 23);
  if (e.capacity_factor >= 1.0) {
    remove_road(e.link);
    return;
  }
  upsert(roads, e.link, e, &RoadEdit::link);
}
void Scenario::fail_substation(std::uint32_t id, int from_hour) {
  upsert(substation_failures, id, AssetFailure{id, std::clamp(from_hour, 0, 23), kNotRepaired}, &AssetFailure::id);
}
void Scenario::fail_branch(std::uint32_t id, int from_hour) {
  upsert(branch_failures, id, AssetFailure{id, std::clamp(from_hour, 0, 23), kNotRepaired}, &AssetFailure::id);
}
bool Scenario::remove_road(std::uint32_t link) { return erase_id(roads, link, &RoadEdit::link); }
bool Scenario::remove_substation(std::uint32_t id) { return erase_id(substation_failures, id, &AssetFailure::id); }
bool Scenario::remove_branch(std::uint32_t id) { return erase_id(branch_failures, id, &AssetFailure::id); }
const RoadEdit* Scenario::road(std::uint32_t link) const { return find_id(roads, link, &RoadEdit::link); }
const AssetFailure* Scenario::substation(std::uint32_t id) const {
  return find_id(substation_failures, id, &AssetFailure::id);
}
const AssetFailure* Scenario::branch(std::uint32_t id) const { return find_id(branch_failures, id, &AssetFailure::id); }
void Scenario::bind(const Twin&, const std::string& path) { twin_path = path; }

bool Scenario::operator==(const Scenario& o) const {
  return std::tie(name, description, twin_path, ev, roads, substation_failures, branch_failures, bus_failures) ==
             std::tie(o.name, o.description, o.twin_path, o.ev, o.roads, o.substation_failures, o.branch_failures,
                      o.bus_failures) &&
         params_equal(parameters, o.parameters);
}

// ---------------------------------------------------------------- conversions

coupling::Scenario to_coupling(const Scenario& s) {
  coupling::Scenario c;
  c.name = s.name;
  c.coupling = s.parameters;
  c.coupling.ev_share = s.ev.effective_share();
  // one LinkChange per (factor, hours): what the file groups as ids = [...]
  std::map<std::tuple<double, int, int>, std::vector<std::uint32_t>> groups;
  for (const RoadEdit& e : s.roads) groups[{e.capacity_factor, e.from_hour, e.to_hour}].push_back(e.link);
  for (auto& [key, links] : groups)
    c.link_changes.push_back({links, std::get<0>(key), std::get<1>(key), std::get<2>(key)});
  auto add = [&c](const std::vector<AssetFailure>& v, coupling::AssetKind k) {
    for (const AssetFailure& f : v) c.outages.push_back({k, f.id, f.from_hour, f.repair_hours});
  };
  add(s.substation_failures, coupling::AssetKind::Substation);
  add(s.branch_failures, coupling::AssetKind::Branch);
  add(s.bus_failures, coupling::AssetKind::Bus);
  return c;
}

Scenario from_coupling(const coupling::Scenario& c, std::vector<std::string>* warnings) {
  Scenario s;
  s.name = c.name;
  s.parameters = c.coupling;
  s.ev = {c.coupling.ev_share, 0, 0};
  for (const auto& lc : c.link_changes)
    for (std::uint32_t l : lc.links) {
      RoadEdit e{l, std::clamp(lc.capacity_factor, 0.0, 1.0), lc.from_hour, lc.to_hour};
      if (lc.capacity_factor > 1 && warnings)
        warnings->push_back("link " + std::to_string(l) + ": capacity factor " + std::to_string(lc.capacity_factor) +
                            " > 1 shown (and saved) as unchanged");
      if (lc.capacity_factor >= 1) continue;
      upsert(s.roads, l, e, &RoadEdit::link);
    }
  for (const auto& o : c.outages) {
    const AssetFailure f{o.id, o.from_hour, o.repair_hours};
    switch (o.kind) {
      case coupling::AssetKind::Substation: upsert(s.substation_failures, o.id, f, &AssetFailure::id); break;
      case coupling::AssetKind::Branch: upsert(s.branch_failures, o.id, f, &AssetFailure::id); break;
      case coupling::AssetKind::Bus: upsert(s.bus_failures, o.id, f, &AssetFailure::id); break;
    }
  }
  if (warnings) {
    auto not_one = [](const std::vector<double>& v) {
      return std::any_of(v.begin(), v.end(), [](double x) { return x != 1.0; });
    };
    if (not_one(c.population_growth) || not_one(c.jobs_growth))
      warnings->push_back("population / job growth is not shown by the viewer and is not written when saving");
  }
  return s;
}

Scenario read_scenario(const std::filesystem::path& path, const Twin& twin, std::vector<std::string>* warnings) {
  const coupling::Scenario c = geo::load_scenario(path, twin);
  Scenario s = from_coupling(c, warnings);
  // the description and the viewer's EV sliders are not part of the resolved scenario: read them back
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    double share = 0, growth = 0;
    int years = 0;
    if (std::sscanf(line.c_str(), "# citytwin-viewer ev: share %lf, annual_growth %lf, years %d", &share, &growth,
                    &years) == 3 &&
        std::abs(EvSettings{share, growth, years}.effective_share() - s.ev.share) < 1e-9)
      s.ev = {share, growth, years};
    if (line.rfind("description = \"", 0) == 0 && line.size() >= 16 && line.back() == '"') {
      // written by scenario_to_toml with escapes \" \\ \n \t
      std::string d;
      for (std::size_t i = 15; i + 1 < line.size(); ++i) {
        if (line[i] == '\\' && i + 2 < line.size()) {
          const char n = line[++i];
          d += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        } else {
          d += line[i];
        }
      }
      s.description = d;
    }
  }
  return s;
}

// ---------------------------------------------------------------- writing

namespace {
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out + "\"";
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a TOML float
  return s;
}

// "transport roads.gpkg [streets] feature 12" for a human reading the file.
std::string ref_of(const Twin* twin, const ProvenanceColumn* col, std::size_t i) {
  if (!twin || !col || i >= col->size()) return {};
  if (col->inferred(i)) return "inferred by citytwin";
  const std::uint32_t src = col->source[i];
  if (src >= twin->sources.size()) return {};
  const SourceLayer& s = twin->sources[src];
  return s.department + " " + s.path + " [" + s.layer + "] feature " + std::to_string(col->feature[i]);
}
}  // namespace

std::string scenario_to_toml(const Scenario& s, const Twin* twin) {
  std::ostringstream o;
  o << "# citytwin what-if scenario, saved by citytwin-viewer. Format: datasets/scenarios/README.md\n"
       "# (what the viewer writes: viewer/SCENARIO_FORMAT.md). Ids are the twin's own link, substation,\n"
       "# branch and bus ids";
  if (!s.twin_path.empty()) o << " in " << s.twin_path;
  o << ".\n# Run it: citytwin run " << (s.twin_path.empty() ? std::string("CITY.twin") : s.twin_path)
    << " THIS.toml -o results.gpkg\n";
  o << "name = " << quoted(s.name) << "\n";
  if (!s.description.empty()) o << "description = " << quoted(s.description) << "\n";

  o << "\n[parameters]\n";
  o << "# citytwin-viewer ev: share " << number_text(s.ev.share) << ", annual_growth " << number_text(s.ev.annual_growth)
    << ", years " << s.ev.years << "\n";
  o << "ev_share = " << number_text(s.ev.effective_share())
    << "  # share of vehicle-km driven electrically = min(1, share * (1 + growth)^years)\n";
  const coupling::CouplingParameters defaults;
  for (const auto& f : param_fields()) {
    if (f.d && s.parameters.*f.d != defaults.*f.d) o << f.name << " = " << number_text(s.parameters.*f.d) << "\n";
    if (f.i && s.parameters.*f.i != defaults.*f.i) o << f.name << " = " << s.parameters.*f.i << "\n";
  }

  for (const auto& lc : to_coupling(s).link_changes) {
    o << "\n[[link_changes]]   # " << (lc.capacity_factor == 0 ? "closed" : "capacity cut") << "\nids = [";
    for (std::size_t k = 0; k < lc.links.size(); ++k) o << (k ? ", " : "") << lc.links[k];
    o << "]\ncapacity_factor = " << number_text(lc.capacity_factor) << "\nfrom_hour = " << lc.from_hour
      << "\nto_hour = " << lc.to_hour << "\n";
    for (std::uint32_t l : lc.links) {
      const std::string ref = ref_of(twin, twin ? &twin->roads.link_source : nullptr, l);
      if (!ref.empty()) o << "# link " << l << ": " << ref << "\n";
    }
  }
  auto outages = [&](const std::vector<AssetFailure>& v, const char* key, const ProvenanceColumn* col) {
    for (const AssetFailure& f : v) {
      o << "\n[[outages]]\n" << key << " = " << f.id << "\nfrom_hour = " << f.from_hour << "\n";
      if (std::isfinite(f.repair_hours)) o << "repair_hours = " << number_text(f.repair_hours) << "\n";
      const std::string ref = ref_of(twin, col, f.id);
      if (!ref.empty()) o << "# " << key << " " << f.id << ": " << ref << "\n";
    }
  };
  outages(s.substation_failures, "substation", twin ? &twin->grid.substation_source : nullptr);
  outages(s.branch_failures, "branch", twin ? &twin->grid.branch_source : nullptr);
  outages(s.bus_failures, "bus", twin ? &twin->grid.bus_source : nullptr);
  return o.str();
}

void write_scenario(const Scenario& s, const std::filesystem::path& path, const Twin* twin) {
  const std::string text = scenario_to_toml(s, twin);
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write scenario file", {.file = path.string()});
    out << text;
    if (!out.flush()) throw IoError("failed writing scenario file", {.file = path.string()});
  });
}

void check_scenario(const Scenario& s, const Twin& twin) {
  auto check = [](const auto& v, auto key, std::size_t count, const char* what) {
    for (const auto& e : v)
      if (e.*key >= count)
        throw InvalidInput(std::string("scenario: no ") + what + " " + std::to_string(e.*key) + " in the twin (it has " +
                               std::to_string(count) + ")",
                           {.feature = e.*key, .field = what});
  };
  check(s.roads, &RoadEdit::link, twin.roads.link_count(), "link");
  check(s.substation_failures, &AssetFailure::id, twin.grid.substation_count(), "substation");
  check(s.branch_failures, &AssetFailure::id, twin.grid.branch_count(), "branch");
  check(s.bus_failures, &AssetFailure::id, twin.grid.bus_count(), "bus");
}

ScenarioState scenario_state(const Scenario& s, const Twin& twin, int hour) {
  ScenarioState st;
  st.link_capacity_factor.assign(twin.roads.link_count(), 1.0f);
  st.substation_failed.assign(twin.grid.substation_count(), 0);
  st.branch_failed.assign(twin.grid.branch_count(), 0);
  st.bus_deenergised.assign(twin.grid.bus_count(), 0);
  for (const auto& e : s.roads)
    if (e.link < st.link_capacity_factor.size() && e.active(hour)) st.link_capacity_factor[e.link] = float(e.capacity_factor);
  for (const auto& f : s.substation_failures)
    if (f.id < st.substation_failed.size() && f.active(hour)) st.substation_failed[f.id] = 1;
  for (const auto& f : s.branch_failures)
    if (f.id < st.branch_failed.size() && f.active(hour)) st.branch_failed[f.id] = 1;
  for (const auto& f : s.bus_failures)
    if (f.id < st.bus_deenergised.size() && f.active(hour)) st.bus_deenergised[f.id] = 1;
  const auto& g = twin.grid;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t sub = b < g.bus_substation.size() ? g.bus_substation[b] : -1;
    if (sub >= 0 && std::size_t(sub) < st.substation_failed.size() && st.substation_failed[std::size_t(sub)])
      st.bus_deenergised[b] = 1;
  }
  return st;
}

}  // namespace citytwin::viewer
