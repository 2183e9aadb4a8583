#pragma once
// Frank-Wolfe back ends whose link arrays live in host memory: the per-link
// terms of frank_wolfe_terms.hpp under TBB loops. Host back ends differ in
// their shortest paths and loading (load) and in how their sums are chunked:
// DijkstraBackend (traffic::assign's fw / cfw / bfw) sums serially in link
// order; gpu/'s host counterpart of the device iteration sums in the device's
// chunks, so that it and the kernels agree bit for bit.
#include <cstdint>
#include <vector>

#include "core/traffic/chunked_sum_host.hpp"
#include "core/traffic/frank_wolfe_backend.hpp"

namespace citytwin::traffic {

class HostFrankWolfeBackend : public FrankWolfeBackend {
 public:
  // sum_chunk: elements per chunk of every sum (chunked_sum.hpp); 0: one
  // chunk, a serial sum in link order.
  HostFrankWolfeBackend(const Network& net, std::int64_t sum_chunk);

  void start() override;
  GapMeasures costs_and_target() override;
  void restart() override;
  std::array<double, 2> conjugate_sums() override;
  void conjugate_update(double alpha, bool keep_previous) override;
  std::array<double, 4> biconjugate_sums(double tau) override;
  void biconjugate_update(double b0, double b1, double b2) override;
  std::array<double, 2> slope(double tau) override;
  void step(double tau) override;
  std::vector<double> flows() override { return x_; }

 protected:
  // All-or-nothing under `cost` into `flow` (one entry per link); returns SPTT.
  virtual double load(const std::vector<double>& cost, std::vector<double>& flow) = 0;

  const Network& network() const { return net_; }

  template <class Term>
  std::array<double, Term::N> sum(std::int64_t count, const Term& term) const {
    return chunked_sum_host(count, sum_chunk_, term);
  }

 private:
  template <class F>
  void for_links(F&& f);

  const Network& net_;
  std::int64_t sum_chunk_;
  std::vector<double> x_, y_, s1_, s2_, s_new_, cost_;
};

// traffic::assign's back end: a Dijkstra tree per origin and the
// deterministic all_or_nothing of shortest_path.hpp; serial sums unless
// sum_chunk says otherwise.
class DijkstraBackend final : public HostFrankWolfeBackend {
 public:
  DijkstraBackend(const Network& net, const OdDemand& demand, std::int64_t sum_chunk = 0)
      : HostFrankWolfeBackend(net, sum_chunk), demand_(demand) {}

 protected:
  double load(const std::vector<double>& cost, std::vector<double>& flow) override;

 private:
  const OdDemand& demand_;
};

}  // namespace citytwin::traffic
