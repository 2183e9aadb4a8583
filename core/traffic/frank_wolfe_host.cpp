#include "core/traffic/frank_wolfe_host.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/traffic/frank_wolfe_terms.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

HostFrankWolfeBackend::HostFrankWolfeBackend(const Network& net, std::int64_t sum_chunk)
    : net_(net), sum_chunk_(sum_chunk) {
  const auto m = static_cast<std::size_t>(net.link_count);
  for (std::vector<double>* v : {&x_, &y_, &s1_, &s2_, &s_new_, &cost_}) v->assign(m, 0.0);
}

// Link updates are independent: any schedule gives the same arrays.
template <class F>
void HostFrankWolfeBackend::for_links(F&& f) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x_.size(), 2048), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t a = r.begin(); a != r.end(); ++a) f(a);
  });
}

void HostFrankWolfeBackend::start() {
  for_links([&](std::size_t a) { cost_[a] = bpr_cost(net_.coefficients[a], 0.0); });
  load(cost_, x_);
}

GapMeasures HostFrankWolfeBackend::costs_and_target() {
  for_links([&](std::size_t a) { cost_[a] = bpr_cost(net_.coefficients[a], x_[a]); });
  GapMeasures m;
  m.sptt = load(cost_, y_);
  const auto g = sum(net_.link_count, GapTerm{net_.coefficients.data(), x_.data(), cost_.data()});
  m.tstt = g[0];
  m.total_travel_time = g[1];
  m.objective = g[2];
  return m;
}

void HostFrankWolfeBackend::restart() { s1_ = y_; }

std::array<double, 2> HostFrankWolfeBackend::conjugate_sums() {
  return sum(net_.link_count, ConjugateTerm{net_.coefficients.data(), x_.data(), y_.data(), s1_.data()});
}

void HostFrankWolfeBackend::conjugate_update(double alpha, bool keep_previous) {
  if (keep_previous) s2_ = s1_;
  for_links([&](std::size_t a) { s1_[a] = conjugate_mix(s1_[a], y_[a], alpha); });
}

std::array<double, 4> HostFrankWolfeBackend::biconjugate_sums(double tau) {
  return sum(net_.link_count, BiconjugateTerm{net_.coefficients.data(), x_.data(), y_.data(), s1_.data(), s2_.data(), tau});
}

void HostFrankWolfeBackend::biconjugate_update(double b0, double b1, double b2) {
  for_links([&](std::size_t a) { s_new_[a] = biconjugate_mix(y_[a], s1_[a], s2_[a], b0, b1, b2); });
  s2_.swap(s1_);
  s1_.swap(s_new_);
}

std::array<double, 2> HostFrankWolfeBackend::slope(double tau) {
  return sum(net_.link_count, SlopeTerm{net_.coefficients.data(), x_.data(), s1_.data(), tau});
}

void HostFrankWolfeBackend::step(double tau) {
  for_links([&](std::size_t a) { x_[a] = fw_step(x_[a], s1_[a], tau); });
}

double DijkstraBackend::load(const std::vector<double>& cost, std::vector<double>& flow) {
  return all_or_nothing(network(), demand_, cost, flow);
}

}  // namespace citytwin::traffic
