#include "geo/scenario/scenario_writer.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "geo/scenario/scenario_toml.hpp"

namespace citytwin::geo {

namespace fs = std::filesystem;

namespace {

void check_id(std::uint32_t id, std::size_t count, const std::string& what) {
  if (id >= count)
    throw InvalidInput(what + " id " + std::to_string(id) + " does not exist (the twin has " + std::to_string(count) + ")",
                       {.field = what});
}

// The OD file as the reader will find it from `folder`: relative when it lies
// in or below that folder, else absolute.
std::string od_path(const std::string& source, const fs::path& folder) {
  const fs::path file = fs::absolute(source).lexically_normal();
  const fs::path rel = file.lexically_relative(fs::absolute(folder).lexically_normal());
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return file.string();
}

toml::array growth_entries(const coupling::Scenario& s, const Twin& twin) {
  const Districts& d = twin.districts;
  toml::array out;
  if (s.population_growth.empty() && s.jobs_growth.empty()) return out;
  auto factor = [&](const std::vector<double>& v, std::size_t i) { return v.empty() ? 1.0 : v[i]; };
  for (const auto* v : {&s.population_growth, &s.jobs_growth})
    if (!v->empty() && v->size() != d.size())
      throw InvalidInput("growth has " + std::to_string(v->size()) + " factors where the twin has " + std::to_string(d.size()) + " districts",
                         {.field = "growth"});
  auto entry = [](const std::string& name, double pop, double jobs) {
    return toml::table{{"district", name}, {"population", pop}, {"jobs", jobs}};
  };
  // One "*" entry when every district grows alike.
  bool uniform = true;
  for (std::size_t i = 1; i < d.size(); ++i)
    uniform = uniform && factor(s.population_growth, i) == factor(s.population_growth, 0) &&
              factor(s.jobs_growth, i) == factor(s.jobs_growth, 0);
  if (uniform) {
    if (d.size() > 0 && (factor(s.population_growth, 0) != 1 || factor(s.jobs_growth, 0) != 1))
      out.push_back(entry("*", factor(s.population_growth, 0), factor(s.jobs_growth, 0)));
    return out;
  }
  // Else by name; the reader applies a name to every district that has it.
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double pop = factor(s.population_growth, i), jobs = factor(s.jobs_growth, i);
    auto [it, added] = first.emplace(d.name[i], i);
    if (!added) {
      if (pop != factor(s.population_growth, it->second) || jobs != factor(s.jobs_growth, it->second))
        throw InvalidInput("districts " + std::to_string(it->second) + " and " + std::to_string(i) + " share the name '" + d.name[i] +
                               "' but not their growth factors, which a scenario file (growth by district name) cannot express",
                           {.field = "growth"});
      continue;
    }
    if (pop != 1 || jobs != 1) out.push_back(entry(d.name[i], pop, jobs));
  }
  return out;
}

}  // namespace

toml::table parameters_table(const coupling::Scenario& s) {
  toml::table t;
  for (const auto& f : coupling::scenario_parameter_fields()) {
    const double v = f.get(s);
    if (v == f.default_value()) continue;
    switch (f.kind) {
      case FieldKind::Real: t.insert(f.name, v); break;
      case FieldKind::Integer: t.insert(f.name, static_cast<std::int64_t>(v)); break;
      case FieldKind::Bool: t.insert(f.name, v != 0); break;
      case FieldKind::Enum: t.insert(f.name, f.text(v)); break;
    }
  }
  return t;
}

toml::table scenario_table(const coupling::Scenario& s, const Twin& twin, const fs::path& folder) {
  const PowerGrid& g = twin.grid;
  toml::table root;
  root.insert("name", s.name);
  if (s.given_od && !s.given_od->source.empty()) root.insert("od_matrix", od_path(s.given_od->source, folder));
  if (toml::table p = parameters_table(s); !p.empty()) root.insert("parameters", std::move(p));
  toml::array changes;
  for (const auto& c : s.link_changes) {
    if (c.links.empty()) throw InvalidInput("a link change names no links", {.field = "link_changes"});
    toml::array ids;
    for (auto l : c.links) {
      check_id(l, twin.roads.link_count(), "link");
      ids.push_back(static_cast<std::int64_t>(l));
    }
    changes.push_back(toml::table{{"ids", std::move(ids)},
                                  {"capacity_factor", c.capacity_factor},
                                  {"from_hour", static_cast<std::int64_t>(c.from_hour)},
                                  {"to_hour", static_cast<std::int64_t>(c.to_hour)}});
  }
  if (!changes.empty()) root.insert("link_changes", std::move(changes));
  toml::array outages;
  for (const auto& o : s.outages) {
    toml::table t;
    const char* kind = coupling::asset_kind_name(o.kind);
    if (o.kind == coupling::AssetKind::Substation) {
      check_id(o.id, g.substation_count(), kind);
      const std::string& name = g.substation_name[o.id];
      // By name where the name finds this substation (the reader takes the first match).
      if (!name.empty() && std::find(g.substation_name.begin(), g.substation_name.end(), name) - g.substation_name.begin() == o.id)
        t.insert(kind, name);
      else
        t.insert(kind, static_cast<std::int64_t>(o.id));
    } else {
      check_id(o.id, o.kind == coupling::AssetKind::Bus ? g.bus_count() : g.branch_count(), kind);
      t.insert(kind, static_cast<std::int64_t>(o.id));
    }
    t.insert("from_hour", static_cast<std::int64_t>(o.from_hour));
    if (std::isfinite(o.repair_hours)) t.insert("repair_hours", o.repair_hours);
    outages.push_back(std::move(t));
  }
  if (!outages.empty()) root.insert("outages", std::move(outages));
  if (toml::array growth = growth_entries(s, twin); !growth.empty()) root.insert("growth", std::move(growth));
  return root;
}

std::string toml_text(const toml::table& t) {
  std::ostringstream o;
  o << toml::toml_formatter(t, toml::toml_formatter::default_flags & ~toml::format_flags::indentation & ~toml::format_flags::allow_literal_strings);
  std::string text = o.str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string scenario_file_text(const coupling::Scenario& s, const Twin& twin) { return toml_text(scenario_table(s, twin, fs::current_path())); }

void write_scenario_file(const fs::path& path, const coupling::Scenario& s, const Twin& twin) {
  const std::string text = toml_text(scenario_table(s, twin, path.parent_path().empty() ? fs::current_path() : path.parent_path()));
  write_atomically(path, [&](const fs::path& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw IoError("cannot write the scenario file", {.file = tmp.string()});
  });
}

}  // namespace citytwin::geo
