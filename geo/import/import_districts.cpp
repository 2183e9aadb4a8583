#include <unordered_set>

#include "geo/import/import_layers.hpp"

namespace citytwin::geo {

namespace {
// Average household size used when only population is given (EU/US order of magnitude).
constexpr double kPersonsPerHousehold = 2.3;
// Sector split of a jobs total when sectors are not given (documented default).
constexpr double kRetailShare = 0.15, kServiceShare = 0.60, kOtherShare = 0.25;
}  // namespace

void import_districts(ImportContext& ctx) {
  if (!ctx.manifest.districts) return;
  const LayerSpec& spec = *ctx.manifest.districts;
  LayerReader r(spec);
  r.set_target_crs(ctx.target_crs);
  const std::uint32_t source = ctx.add_source(spec);
  Districts& d = ctx.twin.districts;
  std::vector<Polygon> parts;
  std::unordered_set<std::string> ids;
  ctx.gate.each_feature(r, [&] {
    if (const auto id = r.text("id"); id && !ids.insert(*id).second) {
      ctx.gate.reject(r, "duplicate id '" + *id + "'", "id");
      return;
    }
    const GeometryStatus st = r.polygons(parts, true);
    if (st != GeometryStatus::Ok) {
      ctx.gate.reject_geometry(r, st);
      return;
    }
    const auto population = r.number("population");
    auto households = r.number("households");
    auto jobs = r.number("jobs");
    auto retail = r.number("jobs_retail"), service = r.number("jobs_service"), other = r.number("jobs_other");
    bool negative = false;
    for (const auto& v : {population, households, jobs, retail, service, other}) negative |= v && *v < 0;
    if (negative) {
      ctx.gate.reject(r, "population, households and jobs must not be negative");
      return;
    }
    if (!population) ctx.gate.inferred(r, "population missing: 0 assumed");
    if (!households) {
      households = population.value_or(0) / kPersonsPerHousehold;
      ctx.gate.inferred(r, "households missing: population / 2.3");
    }
    const bool have_sectors = retail || service || other;
    if (!jobs) {
      jobs = retail.value_or(0) + service.value_or(0) + other.value_or(0);
      if (!have_sectors) ctx.gate.inferred(r, "jobs missing: 0 assumed");
    }
    if (!have_sectors) {
      retail = *jobs * kRetailShare;
      service = *jobs * kServiceShare;
      other = *jobs * kOtherShare;
      if (*jobs > 0) ctx.gate.inferred(r, "jobs by sector missing: 15 % retail, 60 % service, 25 % other");
    }
    d.shape.begin_feature();
    for (const auto& p : parts) d.shape.add_polygon(p);
    d.name.push_back(r.text("name").value_or("district " + std::to_string(r.fid())));
    d.population.push_back(population.value_or(0));
    d.households.push_back(*households);
    d.jobs.push_back(*jobs);
    d.jobs_retail.push_back(retail.value_or(0));
    d.jobs_service.push_back(service.value_or(0));
    d.jobs_other.push_back(other.value_or(0));
    d.source.add(source, r.fid());
  });
  d.derive_area_and_centroids();
}

void import_chargers(ImportContext& ctx) {
  if (!ctx.manifest.chargers) return;
  EvChargers& c = ctx.twin.chargers;
  ctx.each_point(*ctx.manifest.chargers, [&](LayerReader& r, const Point2& p, std::uint32_t source) {
    const auto plugs = r.number("plugs");
    const auto kw = r.number("kw_per_plug");
    if ((plugs && *plugs < 1) || (kw && *kw <= 0)) {
      ctx.gate.reject(r, "plugs must be >= 1 and kw_per_plug positive", plugs && *plugs < 1 ? "plugs" : "kw_per_plug");
      return;
    }
    if (!plugs) ctx.gate.inferred(r, "plugs missing: 2 assumed");
    if (!kw) ctx.gate.inferred(r, "kw_per_plug missing: 22 kW assumed");
    c.x.push_back(p.x);
    c.y.push_back(p.y);
    c.plugs.push_back(static_cast<std::uint32_t>(plugs.value_or(2)));
    c.kw_per_plug.push_back(kw.value_or(22));
    c.source.add(source, r.fid());
  });
}

}  // namespace citytwin::geo
