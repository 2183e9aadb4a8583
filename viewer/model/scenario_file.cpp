#include "viewer/model/scenario_file.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/model/twin.hpp"
#include "geo/io/scenario_file.hpp"

namespace citytwin::viewer {

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
std::string ref_of(const Twin& twin, const ProvenanceColumn& col, std::size_t i) {
  if (i >= col.size()) return {};
  if (col.inferred(i)) return "inferred by citytwin";
  const std::uint32_t src = col.source[i];
  if (src >= twin.sources.size()) return {};
  const SourceLayer& s = twin.sources[src];
  return s.department + " " + s.path + " [" + s.layer + "] feature " + std::to_string(col.feature[i]);
}

std::string scenario_to_toml(const coupling::Scenario& s, const ScenarioNotes& notes, const Twin& twin,
                             const std::string& twin_path) {
  std::ostringstream o;
  o << "# citytwin what-if scenario, saved by citytwin-viewer. Format: datasets/scenarios/README.md\n"
       "# (what the viewer writes: viewer/SCENARIO_FORMAT.md). Ids are the twin's own link, substation,\n"
       "# branch and bus ids";
  if (!twin_path.empty()) o << " in " << twin_path;
  o << ".\n# Run it: citytwin run " << (twin_path.empty() ? std::string("CITY.twin") : twin_path)
    << " THIS.toml -o results.gpkg\n";
  o << "name = " << quoted(s.name) << "\n";
  if (!notes.description.empty()) o << "description = " << quoted(notes.description) << "\n";

  o << "\n[parameters]\n";
  if (std::abs(notes.ev.effective_share() - s.coupling.ev_share) < 1e-12)
    o << "# citytwin-viewer ev: share " << number_text(notes.ev.share) << ", annual_growth "
      << number_text(notes.ev.annual_growth) << ", years " << notes.ev.years << "\n";
  o << "ev_share = " << number_text(s.coupling.ev_share)
    << "  # share of vehicle-km driven electrically = min(1, share * (1 + growth)^years)\n";
  const coupling::CouplingParameters defaults;
  for (const auto& f : param_fields()) {
    if (f.d && s.coupling.*f.d != defaults.*f.d) o << f.name << " = " << number_text(s.coupling.*f.d) << "\n";
    if (f.i && s.coupling.*f.i != defaults.*f.i) o << f.name << " = " << s.coupling.*f.i << "\n";
  }

  for (const auto& lc : s.link_changes) {
    o << "\n[[link_changes]]   # " << (lc.capacity_factor == 0 ? "closed" : "capacity cut") << "\nids = [";
    for (std::size_t k = 0; k < lc.links.size(); ++k) o << (k ? ", " : "") << lc.links[k];
    o << "]\ncapacity_factor = " << number_text(lc.capacity_factor) << "\nfrom_hour = " << lc.from_hour
      << "\nto_hour = " << lc.to_hour << "\n";
    for (std::uint32_t l : lc.links) {
      const std::string ref = ref_of(twin, twin.roads.link_source, l);
      if (!ref.empty()) o << "# link " << l << ": " << ref << "\n";
    }
  }
  for (const coupling::Outage& f : s.outages) {
    const char* key = coupling::asset_kind_name(f.kind);
    const ProvenanceColumn& col = f.kind == coupling::AssetKind::Substation ? twin.grid.substation_source
                                  : f.kind == coupling::AssetKind::Branch   ? twin.grid.branch_source
                                                                            : twin.grid.bus_source;
    o << "\n[[outages]]\n" << key << " = " << f.id << "\nfrom_hour = " << f.from_hour << "\n";
    if (std::isfinite(f.repair_hours)) o << "repair_hours = " << number_text(f.repair_hours) << "\n";
    const std::string ref = ref_of(twin, col, f.id);
    if (!ref.empty()) o << "# " << key << " " << f.id << ": " << ref << "\n";
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
      warnings->push_back("population / job growth is not shown by the viewer and is not written when saving");
  }
  if (!notes) return s;
  // the description and the viewer's EV sliders are not part of the resolved scenario: read them back
  *notes = ScenarioNotes{{}, {s.coupling.ev_share, 0, 0}};
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    double share = 0, growth = 0;
    int years = 0;
    if (std::sscanf(line.c_str(), "# citytwin-viewer ev: share %lf, annual_growth %lf, years %d", &share, &growth,
                    &years) == 3 &&
        std::abs(EvProjection{share, growth, years}.effective_share() - s.coupling.ev_share) < 1e-9)
      notes->ev = {share, growth, years};
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
      notes->description = d;
    }
  }
  return s;
}

void write_scenario(const std::filesystem::path& path, const coupling::Scenario& s, const ScenarioNotes& notes,
                    const Twin& twin, const std::string& twin_path) {
  const std::string text = scenario_to_toml(s, notes, twin, twin_path);
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write scenario file", {.file = path.string()});
    out << text;
    if (!out.flush()) throw IoError("failed writing scenario file", {.file = path.string()});
  });
}

}  // namespace citytwin::viewer
