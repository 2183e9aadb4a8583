#include "viewer/core/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/model/twin.hpp"

namespace citytwin::viewer {

double EvSettings::effective_share() const {
  return std::clamp(share * std::pow(1 + annual_growth, double(std::max(years, 0))), 0.0, 1.0);
}

namespace {
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
  if (e.capacity_factor >= 1.0) {
    remove_road(e.link);
    return;
  }
  upsert(roads, e.link, e, &RoadEdit::link);
}
void Scenario::fail_substation(std::uint32_t id, int from_hour) {
  upsert(substation_failures, id, AssetFailure{id, std::clamp(from_hour, 0, 23)}, &AssetFailure::id);
}
void Scenario::fail_branch(std::uint32_t id, int from_hour) {
  upsert(branch_failures, id, AssetFailure{id, std::clamp(from_hour, 0, 23)}, &AssetFailure::id);
}
bool Scenario::remove_road(std::uint32_t link) { return erase_id(roads, link, &RoadEdit::link); }
bool Scenario::remove_substation(std::uint32_t id) { return erase_id(substation_failures, id, &AssetFailure::id); }
bool Scenario::remove_branch(std::uint32_t id) { return erase_id(branch_failures, id, &AssetFailure::id); }
const RoadEdit* Scenario::road(std::uint32_t link) const { return find_id(roads, link, &RoadEdit::link); }
const AssetFailure* Scenario::substation(std::uint32_t id) const {
  return find_id(substation_failures, id, &AssetFailure::id);
}
const AssetFailure* Scenario::branch(std::uint32_t id) const { return find_id(branch_failures, id, &AssetFailure::id); }

void Scenario::bind(const Twin& twin, const std::string& path) {
  twin_path = path;
  twin_links = twin.roads.link_count();
  twin_substations = twin.grid.substation_count();
  twin_branches = twin.grid.branch_count();
}

// ---------------------------------------------------------------- reading

namespace {

struct Reader {
  std::string origin;

  [[noreturn]] void fail(const std::string& msg, const std::string& key, const toml::source_region& where) const {
    SourceLocation loc{.file = origin, .field = key};
    if (where.begin.line) loc.line = std::int64_t(where.begin.line);
    throw InvalidInput("scenario: " + msg, loc);
  }

  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, const std::string& ctx) const {
    for (auto&& [k, v] : t) {
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
        fail("unknown key '" + std::string(k.str()) + "' in " + ctx, std::string(k.str()), v.source());
    }
  }

  double number(const toml::table& t, std::string_view key, double def, double lo, double hi,
                const std::string& ctx) const {
    const toml::node* n = t.get(key);
    if (!n) return def;
    double v;
    if (auto i = n->value_exact<std::int64_t>()) v = double(*i);
    else if (auto d = n->value_exact<double>()) v = *d;
    else fail(std::string(key) + " in " + ctx + " must be a number", std::string(key), n->source());
    if (!(v >= lo && v <= hi))
      fail(std::string(key) + " in " + ctx + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]",
           std::string(key), n->source());
    return v;
  }

  std::int64_t integer(const toml::table& t, std::string_view key, std::optional<std::int64_t> def, std::int64_t lo,
                       std::int64_t hi, const std::string& ctx) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (def) return *def;
      fail("missing key '" + std::string(key) + "' in " + ctx, std::string(key), t.source());
    }
    auto i = n->value_exact<std::int64_t>();
    if (!i) fail(std::string(key) + " in " + ctx + " must be an integer", std::string(key), n->source());
    if (*i < lo || *i > hi)
      fail(std::string(key) + " in " + ctx + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]",
           std::string(key), n->source());
    return *i;
  }

  std::string text(const toml::table& t, std::string_view key, const std::string& ctx) const {
    const toml::node* n = t.get(key);
    if (!n) return {};
    auto s = n->value_exact<std::string>();
    if (!s) fail(std::string(key) + " in " + ctx + " must be a string", std::string(key), n->source());
    return *s;
  }

  const toml::array* array_of_tables(const toml::table& root, std::string_view key) const {
    const toml::node* n = root.get(key);
    if (!n) return nullptr;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables())
      fail("'" + std::string(key) + "' must be an array of tables ([[" + std::string(key) + "]])", std::string(key),
           n->source());
    return a;
  }
};

}  // namespace

Scenario parse_scenario(const std::string& toml_text, const std::string& origin) {
  Reader rd{origin};
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    SourceLocation loc{.file = origin};
    if (e.source().begin.line) loc.line = std::int64_t(e.source().begin.line);
    throw InvalidInput("scenario: " + std::string(e.description()), loc);
  }
  rd.check_keys(root, {"scenario", "twin", "ev", "roads", "substation_failures", "branch_failures"}, "the file");

  Scenario s;
  const toml::table* head = root["scenario"].as_table();
  if (!head) rd.fail("missing [scenario] table", "scenario", root.source());
  rd.check_keys(*head, {"format", "name", "description"}, "[scenario]");
  const auto format = rd.integer(*head, "format", std::nullopt, 1, 1000000, "[scenario]");
  if (format > kScenarioFormat)
    rd.fail("format " + std::to_string(format) + " is newer than this viewer understands (" +
                std::to_string(kScenarioFormat) + ")",
            "format", head->source());
  s.name = rd.text(*head, "name", "[scenario]");
  s.description = rd.text(*head, "description", "[scenario]");

  if (const toml::table* tw = root["twin"].as_table()) {
    rd.check_keys(*tw, {"path", "links", "substations", "branches"}, "[twin]");
    s.twin_path = rd.text(*tw, "path", "[twin]");
    s.twin_links = std::size_t(rd.integer(*tw, "links", 0, 0, INT64_MAX, "[twin]"));
    s.twin_substations = std::size_t(rd.integer(*tw, "substations", 0, 0, INT64_MAX, "[twin]"));
    s.twin_branches = std::size_t(rd.integer(*tw, "branches", 0, 0, INT64_MAX, "[twin]"));
  }
  if (const toml::table* ev = root["ev"].as_table()) {
    rd.check_keys(*ev, {"share", "annual_growth", "years", "effective_share"}, "[ev]");
    s.ev.share = rd.number(*ev, "share", 0, 0, 1, "[ev]");
    s.ev.annual_growth = rd.number(*ev, "annual_growth", 0, -1, 10, "[ev]");
    s.ev.years = int(rd.integer(*ev, "years", 0, 0, 100, "[ev]"));
  }
  if (const toml::array* roads = rd.array_of_tables(root, "roads")) {
    for (const toml::node& n : *roads) {
      const toml::table& t = *n.as_table();
      rd.check_keys(t, {"link", "action", "capacity_factor", "from_hour", "ref"}, "[[roads]]");
      RoadEdit e;
      e.link = std::uint32_t(rd.integer(t, "link", std::nullopt, 0, UINT32_MAX, "[[roads]]"));
      e.from_hour = int(rd.integer(t, "from_hour", 0, 0, 23, "[[roads]]"));
      const std::string action = rd.text(t, "action", "[[roads]]");
      if (action == "close") {
        if (t.contains("capacity_factor"))
          rd.fail("capacity_factor is not allowed with action = \"close\"", "capacity_factor", t.source());
        e.capacity_factor = 0;
      } else if (action == "capacity") {
        if (!t.contains("capacity_factor"))
          rd.fail("action = \"capacity\" needs capacity_factor", "capacity_factor", t.source());
        e.capacity_factor = rd.number(t, "capacity_factor", 1, 0, 1, "[[roads]]");
        if (e.capacity_factor <= 0 || e.capacity_factor >= 1)
          rd.fail("capacity_factor must be > 0 and < 1 (use action = \"close\" for 0)", "capacity_factor",
                  t["capacity_factor"].node()->source());
      } else {
        rd.fail("action must be \"close\" or \"capacity\", not \"" + action + "\"", "action", t.source());
      }
      if (s.road(e.link)) rd.fail("link " + std::to_string(e.link) + " is edited twice", "link", t.source());
      s.roads.push_back(e);
    }
  }
  auto failures = [&](std::string_view key, const char* id_key, std::vector<AssetFailure>& out) {
    if (const toml::array* a = rd.array_of_tables(root, key)) {
      const std::string ctx = "[[" + std::string(key) + "]]";
      for (const toml::node& n : *a) {
        const toml::table& t = *n.as_table();
        rd.check_keys(t, {id_key, "from_hour", "ref"}, ctx);
        AssetFailure f;
        f.id = std::uint32_t(rd.integer(t, id_key, std::nullopt, 0, UINT32_MAX, ctx));
        f.from_hour = int(rd.integer(t, "from_hour", 0, 0, 23, ctx));
        for (const auto& o : out)
          if (o.id == f.id) rd.fail(std::string(id_key) + " " + std::to_string(f.id) + " fails twice", id_key, t.source());
        out.push_back(f);
      }
    }
  };
  failures("substation_failures", "substation", s.substation_failures);
  failures("branch_failures", "branch", s.branch_failures);
  auto by_id = [](auto& v, auto field) { std::sort(v.begin(), v.end(), [field](auto& a, auto& b) { return a.*field < b.*field; }); };
  by_id(s.roads, &RoadEdit::link);
  by_id(s.substation_failures, &AssetFailure::id);
  by_id(s.branch_failures, &AssetFailure::id);
  return s;
}

Scenario read_scenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open scenario file", {.file = path.string()});
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path.string());
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
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
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
  o << "# citytwin what-if scenario (format described in viewer/SCENARIO_FORMAT.md).\n"
       "# Ids are indices into the twin snapshot named in [twin]; 'ref' lines are informational.\n\n";
  o << "[scenario]\nformat = " << kScenarioFormat << "\nname = " << quoted(s.name) << "\n";
  if (!s.description.empty()) o << "description = " << quoted(s.description) << "\n";
  o << "\n[twin]\n";
  if (!s.twin_path.empty()) o << "path = " << quoted(s.twin_path) << "\n";
  o << "links = " << s.twin_links << "\nsubstations = " << s.twin_substations << "\nbranches = " << s.twin_branches
    << "\n";
  o << "\n[ev]\nshare = " << number_text(s.ev.share) << "          # EV share of cars in the base year (0..1)\n"
    << "annual_growth = " << number_text(s.ev.annual_growth) << "  # relative growth of the share per year\n"
    << "years = " << s.ev.years << "          # horizon; effective share = min(1, share * (1 + growth)^years) = "
    << number_text(s.ev.effective_share()) << "\n";
  for (const RoadEdit& e : s.roads) {
    o << "\n[[roads]]\nlink = " << e.link << "\n";
    if (e.closed()) o << "action = \"close\"\n";
    else o << "action = \"capacity\"\ncapacity_factor = " << number_text(e.capacity_factor) << "\n";
    o << "from_hour = " << e.from_hour << "\n";
    const std::string ref = ref_of(twin, twin ? &twin->roads.link_source : nullptr, e.link);
    if (!ref.empty()) o << "ref = " << quoted(ref) << "\n";
  }
  for (const AssetFailure& f : s.substation_failures) {
    o << "\n[[substation_failures]]\nsubstation = " << f.id << "\nfrom_hour = " << f.from_hour << "\n";
    const std::string ref = ref_of(twin, twin ? &twin->grid.substation_source : nullptr, f.id);
    if (!ref.empty()) o << "ref = " << quoted(ref) << "\n";
  }
  for (const AssetFailure& f : s.branch_failures) {
    o << "\n[[branch_failures]]\nbranch = " << f.id << "\nfrom_hour = " << f.from_hour << "\n";
    const std::string ref = ref_of(twin, twin ? &twin->grid.branch_source : nullptr, f.id);
    if (!ref.empty()) o << "ref = " << quoted(ref) << "\n";
  }
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
  auto count_check = [](std::size_t recorded, std::size_t actual, const char* what) {
    if (recorded != 0 && recorded != actual)
      throw InvalidInput(std::string("scenario was made for a twin with ") + std::to_string(recorded) + " " + what +
                             ", this twin has " + std::to_string(actual),
                         {.field = what});
  };
  count_check(s.twin_links, twin.roads.link_count(), "links");
  count_check(s.twin_substations, twin.grid.substation_count(), "substations");
  count_check(s.twin_branches, twin.grid.branch_count(), "branches");
  for (const auto& e : s.roads)
    if (e.link >= twin.roads.link_count())
      throw InvalidInput("scenario road edit: no link " + std::to_string(e.link), {.feature = e.link, .field = "link"});
  for (const auto& f : s.substation_failures)
    if (f.id >= twin.grid.substation_count())
      throw InvalidInput("scenario: no substation " + std::to_string(f.id), {.feature = f.id, .field = "substation"});
  for (const auto& f : s.branch_failures)
    if (f.id >= twin.grid.branch_count())
      throw InvalidInput("scenario: no branch " + std::to_string(f.id), {.feature = f.id, .field = "branch"});
}

ScenarioState scenario_state(const Scenario& s, const Twin& twin, int hour) {
  ScenarioState st;
  st.link_capacity_factor.assign(twin.roads.link_count(), 1.0f);
  st.substation_failed.assign(twin.grid.substation_count(), 0);
  st.branch_failed.assign(twin.grid.branch_count(), 0);
  st.bus_deenergised.assign(twin.grid.bus_count(), 0);
  for (const auto& e : s.roads)
    if (e.link < st.link_capacity_factor.size() && hour >= e.from_hour)
      st.link_capacity_factor[e.link] = float(e.capacity_factor);
  for (const auto& f : s.substation_failures)
    if (f.id < st.substation_failed.size() && hour >= f.from_hour) st.substation_failed[f.id] = 1;
  for (const auto& f : s.branch_failures)
    if (f.id < st.branch_failed.size() && hour >= f.from_hour) st.branch_failed[f.id] = 1;
  const auto& g = twin.grid;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t sub = b < g.bus_substation.size() ? g.bus_substation[b] : -1;
    if (sub >= 0 && std::size_t(sub) < st.substation_failed.size() && st.substation_failed[std::size_t(sub)])
      st.bus_deenergised[b] = 1;
  }
  return st;
}

}  // namespace citytwin::viewer
