#include "viewer/model/scenario_file.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string_view>
#include <sstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/model/twin.hpp"
#include "geo/scenario/scenario_file.hpp"
#include "geo/scenario/scenario_writer.hpp"

namespace citytwin::viewer {

namespace {

constexpr const char* kDescriptionComment = "# description: ";

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Text that stays inside its comment line: a newline in a twin's path or a
// department name must not start a TOML line of its own (TOML also bans
// other control characters in comments).
std::string comment_safe(std::string text) {
  for (char& c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = ' ';
  return text;
}

// "transport roads.gpkg [streets] feature 12" for a human reading the file.
std::string ref_of(const Twin& twin, const ProvenanceColumn& col, std::size_t i) {
  if (i >= col.size()) return {};
  if (col.inferred(i)) return "inferred by citytwin";
  const std::uint32_t src = col.source[i];
  if (src >= twin.sources.size()) return {};
  const SourceLayer& s = twin.sources[src];
  return comment_safe(s.department + " " + s.path + " [" + s.layer + "] feature " + std::to_string(col.feature[i]));
}

// Comments for the people who read the file and the viewer's own notes (the
// description and the EV projection); every key is the shared writer's.
std::string comment_header(const coupling::Scenario& s, const ScenarioNotes& notes, const Twin& twin,
                           const std::string& twin_path) {
  std::ostringstream o;
  o << "# citytwin what-if scenario, saved by citytwin-viewer. Format: datasets/scenarios/README.md\n"
       "# (what the viewer writes: viewer/SCENARIO_FORMAT.md). Ids are the twin's own link, substation,\n"
       "# branch and bus ids";
  const std::string twin_file = comment_safe(twin_path);
  if (!twin_file.empty()) o << " in " << twin_file;
  o << ".\n# Run it: citytwin run " << (twin_file.empty() ? std::string("CITY.twin") : twin_file)
    << " THIS.toml -o results.gpkg\n";
  std::istringstream description(notes.description);
  for (std::string line; std::getline(description, line);) o << kDescriptionComment << comment_safe(line) << "\n";
  if (std::abs(notes.ev.effective_share() - s.coupling.ev_share) < 1e-12)
    o << "# citytwin-viewer ev: share " << number_text(notes.ev.share) << ", annual_growth "
      << number_text(notes.ev.annual_growth) << ", years " << notes.ev.years
      << " (ev_share = min(1, share * (1 + growth)^years))\n";
  for (const auto& lc : s.link_changes)
    for (std::uint32_t l : lc.links) {
      const std::string ref = ref_of(twin, twin.roads.link_source, l);
      if (!ref.empty()) o << "# link " << l << ": " << ref << "\n";
    }
  for (const coupling::Outage& f : s.outages) {
    const ProvenanceColumn& col = f.kind == coupling::AssetKind::Substation ? twin.grid.substation_source
                                  : f.kind == coupling::AssetKind::Branch   ? twin.grid.branch_source
                                                                            : twin.grid.bus_source;
    const std::string ref = ref_of(twin, col, f.id);
    if (!ref.empty()) o << "# " << coupling::asset_kind_name(f.kind) << " " << f.id << ": " << ref << "\n";
  }
  return o.str();
}

}  // namespace

coupling::Scenario read_scenario(const std::filesystem::path& path, const Twin& twin, ScenarioNotes* notes,
                                 std::vector<std::string>* warnings) {
  coupling::Scenario s = geo::load_scenario(path, twin);
  if (warnings) {
    auto not_one = [](const std::vector<double>& v) {
      return std::any_of(v.begin(), v.end(), [](double x) { return x != 1.0; });
    };
    if (not_one(s.population_growth) || not_one(s.jobs_growth))
      warnings->push_back("population / job growth is kept, run and saved, but not shown by the viewer");
  }
  if (!notes) return s;
  // the description and the viewer's EV sliders are not part of the resolved scenario: read them back
  *notes = ScenarioNotes{{}, {s.coupling.ev_share, 0, 0}};
  std::ifstream in(path);
  std::string line, description;
  while (std::getline(in, line)) {
    double share = 0, growth = 0;
    int years = 0;
    if (std::sscanf(line.c_str(), "# citytwin-viewer ev: share %lf, annual_growth %lf, years %d", &share, &growth,
                    &years) == 3 &&
        std::abs(EvProjection{share, growth, years}.effective_share() - s.coupling.ev_share) < 1e-9)
      notes->ev = {share, growth, years};
    if (line.rfind(kDescriptionComment, 0) == 0) {
      if (!description.empty()) description += "\n";
      description += line.substr(std::string_view(kDescriptionComment).size());
    }
    if (line.rfind("description = \"", 0) == 0 && line.size() >= 16 && line.back() == '"' && description.empty())
      description = line.substr(15, line.size() - 16);  // a hand-written one-line description
  }
  notes->description = description;
  return s;
}

void write_scenario(const std::filesystem::path& path, const coupling::Scenario& s, const ScenarioNotes& notes,
                    const Twin& twin, const std::string& twin_path) {
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    // the one scenario writer; beside `path`, so an OD file's relative path stays right
    geo::write_scenario_file(tmp, s, twin);
    std::string body;
    {
      std::ifstream in(tmp, std::ios::binary);
      body.assign(std::istreambuf_iterator<char>(in), {});
      if (!in && !in.eof()) throw IoError("cannot read back the scenario file", {.file = tmp.string()});
    }
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << comment_header(s, notes, twin, twin_path) << body;
    if (!out.flush()) throw IoError("failed writing scenario file", {.file = path.string()});
  });
}

}  // namespace citytwin::viewer
