#include "core/calibration/odme.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/calibration/route_shares.hpp"
#include "core/common/errors.hpp"
#include "core/observations/fit_statistics.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::calibration {
namespace {

std::string number(double v) {
  std::string s = std::to_string(v);
  return std::isnan(v) ? "NaN" : s;
}

}  // namespace

void check_odme_options(const OdmeOptions& o) {
  const auto bad = [](const std::string& field, const std::string& why) {
    throw InvalidInput("ODME option " + field + " " + why, SourceLocation{.layer = "odme options", .field = field});
  };
  if (o.max_iterations < 0) bad("max_iterations", "must be >= 0");
  if (!(o.tolerance >= 0) || !std::isfinite(o.tolerance)) bad("tolerance", "must be a finite number >= 0");
  if (!(o.lower_factor >= 0 && o.lower_factor <= 1)) bad("lower_factor", "must lie in [0, 1] (got " + number(o.lower_factor) + ")");
  if (!(o.upper_factor >= 1) || !std::isfinite(o.upper_factor)) bad("upper_factor", "must be finite and >= 1 (got " + number(o.upper_factor) + ")");
  if (!(o.prior_weight >= 0) || !std::isfinite(o.prior_weight)) bad("prior_weight", "must be a finite number >= 0");
  if (o.max_halvings < 0) bad("max_halvings", "must be >= 0");
  if (!(o.equal_cost_tolerance >= 0) || !std::isfinite(o.equal_cost_tolerance)) bad("equal_cost_tolerance", "must be a finite number >= 0");
}

namespace {

// Counts in internal link order; throws on the first bad one, naming it.
std::vector<std::int32_t> check_counts(const traffic::Network& net, const std::vector<LinkCount>& counts) {
  std::vector<std::int32_t> internal(counts.size());
  std::vector<std::int64_t> first(static_cast<std::size_t>(net.link_count), -1);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const LinkCount& c = counts[k];
    const auto where = [&](const char* field) {
      return SourceLocation{.layer = "link counts", .feature = static_cast<std::int64_t>(k), .field = field};
    };
    if (c.link < 0 || c.link >= net.link_count)
      throw InvalidInput("count on link " + std::to_string(c.link) + ", which is outside the network (links 0.." +
                             std::to_string(net.link_count - 1) + ")",
                         where("link"));
    if (!std::isfinite(c.vehicles) || c.vehicles < 0)
      throw InvalidInput("count on link " + std::to_string(c.link) + " is " + number(c.vehicles) +
                             " vehicles; a count must be a finite number >= 0",
                         where("vehicles"));
    if (!std::isfinite(c.weight) || c.weight <= 0)
      throw InvalidInput("count on link " + std::to_string(c.link) + " has weight " + number(c.weight) +
                             "; a weight must be a finite number > 0",
                         where("weight"));
    auto& seen = first[static_cast<std::size_t>(c.link)];
    if (seen >= 0)
      throw InvalidInput("link " + std::to_string(c.link) + " is counted twice (counts " + std::to_string(seen) + " and " +
                             std::to_string(k) + ")",
                         where("link"));
    seen = static_cast<std::int64_t>(k);
    internal[k] = net.internal_link[static_cast<std::size_t>(c.link)];
  }
  return internal;
}

void check_prior(const traffic::Network& net, const std::vector<double>& prior) {
  const auto Z = static_cast<std::size_t>(net.zone_count);
  if (prior.size() != Z * Z)
    throw InvalidInput("the prior OD matrix has " + std::to_string(prior.size()) + " cells; the network's " + std::to_string(Z) +
                           " zones need " + std::to_string(Z * Z),
                       SourceLocation{.layer = "prior OD matrix"});
  for (std::size_t k = 0; k < prior.size(); ++k)
    if (!std::isfinite(prior[k]) || prior[k] < 0)
      throw InvalidInput("cell " + std::to_string(k / Z + 1) + " -> " + std::to_string(k % Z + 1) + " is " + number(prior[k]) +
                             "; OD cells must be finite numbers >= 0",
                         SourceLocation{.layer = "prior OD matrix", .feature = static_cast<std::int64_t>(k)});
}

traffic::OdDemand demand_of(const traffic::Network& net, const std::vector<double>& od) {
  const auto Z = static_cast<std::size_t>(net.zone_count);
  traffic::TntpTrips trips;
  trips.file = "ODME matrix";
  trips.zones = net.zone_count;
  for (std::size_t i = 0; i < Z; ++i)
    for (std::size_t j = 0; j < Z; ++j)
      if (od[i * Z + j] > 0) {
        trips.entries.push_back({static_cast<std::int32_t>(i + 1), static_cast<std::int32_t>(j + 1), od[i * Z + j], 0});
        trips.total += od[i * Z + j];
      }
  return traffic::build_demand(net, trips);
}

// One equilibrium and how well it matches the counts.
struct Equilibrium {
  std::vector<double> flow, cost;  // internal order
  std::shared_ptr<const traffic::BushState> bushes;
  double relative_gap = 0;
  int iterations = 0;
};

class Estimation {
 public:
  Estimation(const traffic::Network& net, const std::vector<double>& prior, const std::vector<LinkCount>& counts,
             std::vector<std::int32_t> counted, const OdmeOptions& o)
      : net_(net), prior_(prior), counts_(counts), counted_(std::move(counted)), o_(o) {}

  Equilibrium assign(const std::vector<double>& od, const std::shared_ptr<const traffic::BushState>& warm) const {
    Equilibrium e;
    const traffic::OdDemand demand = demand_of(net_, od);
    e.flow.assign(static_cast<std::size_t>(net_.link_count), 0.0);
    traffic::link_costs(net_, e.flow, e.cost);
    if (demand.total <= 0) return e;
    traffic::AssignmentOptions a = o_.assignment;
    a.keep_bushes = true;
    a.warm_start = warm;
    traffic::AssignmentResult r = traffic::assign(net_, demand, a);
    e.flow = std::move(r.flow);
    e.cost = std::move(r.cost);
    e.bushes = std::move(r.bushes);
    e.relative_gap = r.measures.relative_gap;
    e.iterations = r.iterations;
    return e;
  }

  double count_objective(const std::vector<double>& flow) const {
    double z = 0;
    for (std::size_t k = 0; k < counts_.size(); ++k) {
      const double r = flow[counted_[k]] - counts_[k].vehicles;
      z += 0.5 * counts_[k].weight * r * r;
    }
    return z;
  }
  double prior_term(const std::vector<double>& od) const {
    if (o_.prior_weight == 0) return 0;
    double z = 0;
    for (std::size_t k = 0; k < od.size(); ++k) z += (od[k] - prior_[k]) * (od[k] - prior_[k]);
    return 0.5 * o_.prior_weight * z;
  }

  OdmeIteration record(int iteration, const std::vector<double>& od, const Equilibrium& e) const {
    OdmeIteration it;
    it.iteration = iteration;
    it.count_objective = count_objective(e.flow);
    it.objective = it.count_objective + prior_term(od);
    std::vector<double> modelled(counts_.size()), observed(counts_.size());
    double sq = 0;
    for (std::size_t k = 0; k < counts_.size(); ++k) {
      modelled[k] = e.flow[counted_[k]];
      observed[k] = counts_[k].vehicles;
      sq += (modelled[k] - observed[k]) * (modelled[k] - observed[k]);
    }
    it.rmse = counts_.empty() ? 0 : std::sqrt(sq / static_cast<double>(counts_.size()));
    it.share_geh_below_5 = observations::flow_fit(modelled, observed).share_geh_below_5;
    it.relative_gap = e.relative_gap;
    it.assignment_iterations = e.iterations;
    return it;
  }

  bool at_lower(std::size_t k, double g) const { return g <= o_.lower_factor * prior_[k] * (1 + 1e-12); }
  bool at_upper(std::size_t k, double g) const { return g >= o_.upper_factor * prior_[k] * (1 - 1e-12); }

  // Spiess's direction d = −g ∂Z/∂g (cells at a bound that the gradient pushes out left still).
  // Returns false when no cell can move.
  bool direction(const std::vector<double>& od, const Equilibrium& e, std::vector<double>& gradient, std::vector<double>& d) const {
    std::vector<double> residual(static_cast<std::size_t>(net_.link_count), 0.0);
    for (std::size_t k = 0; k < counts_.size(); ++k)
      residual[counted_[k]] = counts_[k].weight * (e.flow[counted_[k]] - counts_[k].vehicles);
    const RouteShares shares(net_, e.flow, e.cost, o_.equal_cost_tolerance);
    gradient = shares.route_sums(residual);
    d.assign(od.size(), 0.0);
    bool any = false;
    for (std::size_t k = 0; k < od.size(); ++k) {
      if (od[k] <= 0) continue;
      gradient[k] += o_.prior_weight * (od[k] - prior_[k]);
      const double gk = gradient[k];
      if (gk == 0 || (gk > 0 && at_lower(k, od[k])) || (gk < 0 && at_upper(k, od[k]))) {
        gradient[k] = 0;
        continue;
      }
      d[k] = -od[k] * gk;
      any = true;
    }
    return any;
  }

  std::vector<double> step(const std::vector<double>& od, const std::vector<double>& d, double lambda) const {
    std::vector<double> next(od);
    for (std::size_t k = 0; k < od.size(); ++k) {
      if (d[k] == 0) continue;
      next[k] = std::clamp(od[k] + lambda * d[k], o_.lower_factor * prior_[k], o_.upper_factor * prior_[k]);
    }
    return next;
  }

  OdmeResult run() {
    OdmeResult out;
    std::vector<double> od = prior_;
    Equilibrium e = assign(od, nullptr);
    out.prior_flow = file_order(e.flow);
    out.trace.push_back(record(0, od, e));
    out.stop_reason = "max iterations";
    if (counts_.empty()) out.stop_reason = "no counts";
    for (int k = 1; k <= o_.max_iterations && !counts_.empty(); ++k) {
      const double z_old = out.trace.back().objective;
      if (z_old <= 0) {
        out.converged = true, out.stop_reason = "tolerance";
        break;
      }
      std::vector<double> gradient, d;
      if (!direction(od, e, gradient, d)) {
        out.converged = true, out.stop_reason = "stationary";
        break;
      }
      // The flow change per unit step on the counted links, at fixed route shares.
      const RouteShares shares(net_, e.flow, e.cost, o_.equal_cost_tolerance);
      const std::vector<double> dv = shares.load(d);
      double num = 0, den = 0;
      for (std::size_t c = 0; c < counts_.size(); ++c) {
        const double v1 = dv[counted_[c]];
        num += counts_[c].weight * v1 * (counts_[c].vehicles - e.flow[counted_[c]]);
        den += counts_[c].weight * v1 * v1;
      }
      if (o_.prior_weight > 0)
        for (std::size_t c = 0; c < od.size(); ++c) {
          num += o_.prior_weight * d[c] * (prior_[c] - od[c]);
          den += o_.prior_weight * d[c] * d[c];
        }
      if (!(den > 0) || !(num > 0)) {
        out.converged = true, out.stop_reason = "stationary";
        break;
      }
      double max_gradient = 0;
      for (const double g : gradient) max_gradient = std::max(max_gradient, g);
      double lambda = num / den;
      if (max_gradient > 0) lambda = std::min(lambda, 1.0 / max_gradient);

      bool accepted = false;
      for (int h = 0; h <= o_.max_halvings; ++h, lambda *= 0.5) {
        std::vector<double> next = step(od, d, lambda);
        Equilibrium en = assign(next, e.bushes);
        OdmeIteration it = record(k, next, en);
        if (it.objective <= z_old) {
          it.step = lambda;
          it.halvings = h;
          out.trace.push_back(it);
          od = std::move(next);
          e = std::move(en);
          accepted = true;
          break;
        }
      }
      if (!accepted) {
        out.stop_reason = "no descent";
        break;
      }
      if ((z_old - out.trace.back().objective) <= o_.tolerance * z_old) {
        out.converged = true, out.stop_reason = "tolerance";
        break;
      }
    }
    out.flow = file_order(e.flow);
    for (std::size_t k = 0; k < od.size(); ++k) {
      if (prior_[k] <= 0) continue;
      if (od[k] != prior_[k]) ++out.cells_adjusted;
      if (at_lower(k, od[k])) ++out.cells_at_lower;
      if (at_upper(k, od[k])) ++out.cells_at_upper;
    }
    out.od = std::move(od);
    return out;
  }

 private:
  std::vector<double> file_order(const std::vector<double>& internal) const {
    std::vector<double> f(internal.size());
    for (std::size_t p = 0; p < f.size(); ++p) f[p] = internal[static_cast<std::size_t>(net_.internal_link[p])];
    return f;
  }

  const traffic::Network& net_;
  const std::vector<double>& prior_;
  const std::vector<LinkCount>& counts_;
  std::vector<std::int32_t> counted_;
  const OdmeOptions& o_;
};

}  // namespace

OdmeResult estimate_od(const traffic::Network& net, const std::vector<double>& prior_od, const std::vector<LinkCount>& counts,
                       const OdmeOptions& options) {
  check_odme_options(options);
  check_prior(net, prior_od);
  std::vector<std::int32_t> counted = check_counts(net, counts);
  return Estimation(net, prior_od, counts, std::move(counted), options).run();
}

}  // namespace citytwin::calibration
