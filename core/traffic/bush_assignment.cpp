// Algorithm B (R. B. Dial, "A path-based user-equilibrium traffic assignment
// algorithm that obviates path storage and enumeration", Transportation
// Research B 40, 2006): one acyclic bush per origin; flow moves from the
// longest used path to the shortest path between each node and the last node
// the two paths share, by a Newton step on the Beckmann objective.
//
// Deliberately sequential over origins (Gauss-Seidel): each origin sees the
// link costs its predecessors left, which is what makes the method converge
// fast, and it makes the result independent of the thread count. Only the
// initial trees and the convergence measure (per-origin SPTT) run in parallel.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/common/errors.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/bpr.hpp"
#include "core/traffic/iteration_record.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

namespace bush_detail {

// A bush link's end nodes, stored beside the link id so that the label sweeps
// read one contiguous array instead of chasing the network's.
struct Ends {
  std::int32_t tail;
  std::int32_t head;
};

struct Bush {
  std::int32_t origin = 0;
  std::vector<std::int32_t> links;  // bush links, sorted by the topological position of their head
  std::vector<Ends> ends;           // ends[p] = (tail, head) of links[p]
  std::vector<double> flow;         // this origin's flow on links[p]
  std::vector<std::int32_t> order;  // bush nodes in topological order; order[0] == origin
  double negligible = 0;  // flows at or below this count as unused (rounding residue)
};

}  // namespace bush_detail

struct BushState {
  // What the bushes were solved on: a warm start needs the same.
  std::int32_t node_count = 0, link_count = 0;
  std::vector<std::int32_t> tail, head;
  std::vector<std::int32_t> origin_node, destination_offset, destination_node;
  std::vector<double> destination_flow;
  std::vector<double> cost;  // link costs at the final flows
  std::vector<bush_detail::Bush> bushes;

  // Same nodes, links and origins: the bushes are valid DAGs of this network.
  bool same_network(const Network& net, const OdDemand& d) const {
    return node_count == net.node_count && link_count == net.link_count && tail == net.tail && head == net.head &&
           origin_node == d.origin_node;
  }
  // ... and the same demand: the bush flows are feasible as they are.
  bool same_demand(const OdDemand& d) const {
    return destination_offset == d.destination_offset && destination_node == d.destination_node && destination_flow == d.destination_flow;
  }
};

namespace {

using bush_detail::Bush;
using bush_detail::Ends;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Origin flows below this share of the origin's demand are rounding residue
// (a path emptied by a shift leaves ~1e-16 relative crumbs on its other
// links); they are treated as unused and dropped when the bush is updated.
constexpr double kNegligibleShare = 1e-13;


class BushSolver {
 public:
  BushSolver(const Network& net, const OdDemand& demand)
      : net_(net), demand_(demand), m_(static_cast<std::size_t>(net.link_count)),
        n_(static_cast<std::size_t>(net.node_count)) {
    x_.assign(m_, 0.0);
    cost_.resize(m_);
    deriv_.resize(m_);
    low_.assign(n_, kInf);
    high_.assign(n_, -kInf);
    min_pred_.assign(n_, -1);
    max_pred_.assign(n_, -1);
    pos_.assign(n_, -1);
    in_bush_.assign(m_, -1);
    indegree_.assign(n_, 0);
  }

  // Bushes are the free-flow shortest-path trees, loaded all-or-nothing.
  // Origins are independent here, so they run in parallel.
  void initialise() {
    for (std::size_t a = 0; a < m_; ++a) cost_[a] = bpr_cost(net_.coefficients[a], 0.0);
    bushes_.resize(demand_.origin_count());
    struct Scratch {
      ShortestPathTree tree;
      std::vector<double> node_flow;
    };
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bushes_.size(), 4), [&](const tbb::blocked_range<std::size_t>& r) {
      Scratch& s = scratch.local();
      s.node_flow.resize(n_, 0.0);
      for (std::size_t o = r.begin(); o != r.end(); ++o) initialise_bush(o, s.tree, s.node_flow);
    });
    resync();
  }

  void initialise_bush(std::size_t o, ShortestPathTree& tree, std::vector<double>& node_flow) {
    Bush& bush = bushes_[o];
    bush.origin = demand_.origin_node[o];
    shortest_path_tree(net_, cost_.data(), bush.origin, tree);
    bush.order = tree.settled;
    double origin_demand = 0;
    for (std::int32_t k = demand_.destination_offset[o]; k < demand_.destination_offset[o + 1]; ++k) {
      node_flow[demand_.destination_node[k]] += demand_.destination_flow[k];
      origin_demand += demand_.destination_flow[k];
    }
    bush.negligible = kNegligibleShare * origin_demand;
    bush.links.resize(bush.order.size() - 1);
    bush.ends.resize(bush.order.size() - 1);
    bush.flow.resize(bush.order.size() - 1);
    for (std::size_t i = bush.order.size(); i-- > 1;) {
      const std::int32_t v = bush.order[i];
      const std::int32_t a = tree.pred_link[v];
      bush.links[i - 1] = a;
      bush.ends[i - 1] = {net_.tail[a], v};
      bush.flow[i - 1] = node_flow[v];
      node_flow[net_.tail[a]] += node_flow[v];
      node_flow[v] = 0;
    }
    node_flow[bush.origin] = 0;
  }

  // The bushes of an earlier solve of this network and demand: flows are
  // feasible as they are, only the costs are new.
  void initialise_from(const BushState& state) {
    bushes_ = state.bushes;
    resync();
  }

  // The bushes of an earlier solve of this network for other demand (the
  // previous hour): each origin's new demand is loaded backwards over its old
  // bush with the old route-choice proportions at every node (the share of a
  // node's inflow each incoming bush link carried), and on the cheapest
  // incoming bush link where no flow arrived before. The bushes keep the links
  // the previous equilibrium used, so far fewer bush updates are needed than
  // from free-flow trees.
  void initialise_reloaded(const BushState& state) {
    bushes_ = state.bushes;
    struct Scratch {
      std::vector<double> node_flow, inflow, low;
      std::vector<std::int32_t> min_pred;
    };
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bushes_.size(), 4), [&](const tbb::blocked_range<std::size_t>& r) {
      Scratch& s = scratch.local();
      s.node_flow.resize(n_, 0.0);
      s.inflow.resize(n_, 0.0);
      s.low.resize(n_, kInf);
      s.min_pred.resize(n_, -1);
      for (std::size_t o = r.begin(); o != r.end(); ++o) reload_bush(o, state.cost, s.node_flow, s.inflow, s.low, s.min_pred);
    });
    resync();
  }

  void reload_bush(std::size_t o, const std::vector<double>& old_cost, std::vector<double>& node_flow, std::vector<double>& inflow,
                   std::vector<double>& low, std::vector<std::int32_t>& min_pred) {
    Bush& bush = bushes_[o];
    const std::size_t size = bush.links.size();
    for (const std::int32_t v : bush.order) inflow[v] = 0, low[v] = kInf, min_pred[v] = -1;
    low[bush.origin] = 0;
    for (std::size_t p = 0; p < size; ++p) {
      const auto [i, j] = bush.ends[p];
      inflow[j] += bush.flow[p];
      if (const double l = low[i] + old_cost[bush.links[p]]; l < low[j]) low[j] = l, min_pred[j] = static_cast<std::int32_t>(p);
    }
    double origin_demand = 0;
    for (std::int32_t k = demand_.destination_offset[o]; k < demand_.destination_offset[o + 1]; ++k) {
      node_flow[demand_.destination_node[k]] += demand_.destination_flow[k];
      origin_demand += demand_.destination_flow[k];
    }
    bush.negligible = kNegligibleShare * origin_demand;
    // Links are sorted by their head's topological position: walk the heads
    // from the last, each head's incoming links forming one run.
    for (std::size_t end = size; end > 0;) {
      const std::int32_t j = bush.ends[end - 1].head;
      std::size_t begin = end - 1;
      while (begin > 0 && bush.ends[begin - 1].head == j) --begin;
      const double f = node_flow[j];
      for (std::size_t p = begin; p < end; ++p) {
        // bush.flow[p] still holds the old flow here: each link is rewritten once, after it is read.
        const double share = inflow[j] > 0 ? bush.flow[p] / inflow[j] : (static_cast<std::int32_t>(p) == min_pred[j] ? 1.0 : 0.0);
        bush.flow[p] = f * share;
        node_flow[bush.ends[p].tail] += bush.flow[p];
      }
      node_flow[j] = 0;
      end = begin;
    }
    node_flow[bush.origin] = 0;
  }

  // The final state; the solver's bushes move into it (call last).
  std::shared_ptr<const BushState> take_state() {
    auto st = std::make_shared<BushState>();
    st->node_count = net_.node_count;
    st->link_count = net_.link_count;
    st->tail = net_.tail;
    st->head = net_.head;
    st->origin_node = demand_.origin_node;
    st->destination_offset = demand_.destination_offset;
    st->destination_node = demand_.destination_node;
    st->destination_flow = demand_.destination_flow;
    st->cost = cost_;
    st->bushes = std::move(bushes_);
    return st;
  }

  // Link flows as the sum of the bush flows (in origin order), and their costs.
  void resync() {
    std::fill(x_.begin(), x_.end(), 0.0);
    for (const Bush& bush : bushes_)
      for (std::size_t p = 0; p < bush.links.size(); ++p) x_[bush.links[p]] += bush.flow[p];
    for (std::size_t a = 0; a < m_; ++a) {
      cost_[a] = bpr_cost(net_.coefficients[a], x_[a]);
      deriv_[a] = bpr_derivative(net_.coefficients[a], x_[a]);
    }
  }

  std::size_t bush_count() const { return bushes_.size(); }

  // SPTT at the current costs. Per origin, the bush's shortest-path labels are
  // upper bounds that are nearly exact near equilibrium; a label-correcting
  // pass over the whole network (every bush node scanned once, then a FIFO of
  // improved nodes) turns them into exact shortest distances at a fraction of
  // a Dijkstra's cost. A pass that does too much work falls back to Dijkstra.
  // Origins run in parallel; each origin's sum is kept and added in origin
  // order, so the result does not depend on the thread count.
  double shortest_path_total() {
    per_origin_sptt_.assign(bushes_.size(), 0.0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bushes_.size(), 8),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        WarmScratch& s = warm_.local();
                        for (std::size_t o = r.begin(); o != r.end(); ++o) per_origin_sptt_[o] = origin_sptt(o, s);
                      });
    double sptt = 0;
    for (const double v : per_origin_sptt_) sptt += v;
    return sptt;
  }
  const std::vector<double>& flow() const { return x_; }
  const std::vector<double>& cost() const { return cost_; }

  void update_bush(std::size_t o) {
    Bush& bush = bushes_[o];
    set_positions(bush);
    labels(bush, false);
    // 1. Drop links without flow unless they carry the shortest path to their head.
    std::size_t kept = 0;
    for (std::size_t p = 0; p < bush.links.size(); ++p) {
      const std::int32_t a = bush.links[p];
      const bool used = bush.flow[p] > bush.negligible;
      if (used || min_pred_[net_.head[a]] == static_cast<std::int32_t>(p)) {
        bush.links[kept] = a;
        bush.ends[kept] = bush.ends[p];
        bush.flow[kept] = used ? bush.flow[p] : 0.0;
        ++kept;
      }
    }
    bush.links.resize(kept);
    bush.ends.resize(kept);
    bush.flow.resize(kept);
    // 2. Longest paths over every remaining bush link (a topological potential).
    for (const std::int32_t v : bush.order) high_[v] = -kInf;
    high_[bush.origin] = 0;
    for (std::size_t p = 0; p < kept; ++p) {
      const std::int32_t a = bush.links[p];
      const double u = high_[net_.tail[a]] + cost_[a];
      if (u > high_[net_.head[a]]) high_[net_.head[a]] = u;
    }
    for (std::size_t p = 0; p < kept; ++p) in_bush_[bush.links[p]] = static_cast<std::int32_t>(p);
    // 3. Add every link that is a shortcut for those longest paths. With
    //    non-negative costs high[tail] <= high[head] holds on every bush link and
    //    strictly on an added one, so no cycle can form.
    bool added = false;
    for (const std::int32_t i : bush.order) {
      if (net_.no_through[i] && i != bush.origin) continue;
      const double hi = high_[i];
      for (std::int32_t a = net_.out_offset[i]; a < net_.out_offset[i + 1]; ++a) {
        if (in_bush_[a] >= 0) continue;
        const std::int32_t j = net_.head[a];
        if (j == bush.origin) continue;
        if (hi + cost_[a] < high_[j]) {
          in_bush_[a] = static_cast<std::int32_t>(bush.links.size());
          bush.links.push_back(a);
          bush.ends.push_back({i, j});
          bush.flow.push_back(0.0);
          added = true;
        }
      }
    }
    if (added) sort_topologically(bush);
    for (const std::int32_t a : bush.links) in_bush_[a] = -1;
  }

  // One sweep of Newton flow shifts over the bush, from the last node back.
  void shift_flows(std::size_t o) {
    Bush& bush = bushes_[o];
    set_positions(bush);
    labels(bush, true);
    const std::int32_t* links = bush.links.data();
    const Ends* ends = bush.ends.data();
    double* flow = bush.flow.data();
    for (std::size_t k = bush.order.size(); k-- > 1;) {
      const std::int32_t j = bush.order[k];
      if (max_pred_[j] < 0 || max_pred_[j] == min_pred_[j]) continue;
      seg_min_.clear();
      seg_max_.clear();
      // Walk both paths back from j until they meet at the divergence node.
      std::int32_t u = j, v = j;
      seg_min_.push_back(min_pred_[u]);
      u = ends[min_pred_[u]].tail;
      seg_max_.push_back(max_pred_[v]);
      v = ends[max_pred_[v]].tail;
      while (u != v) {
        if (pos_[u] > pos_[v]) {
          seg_min_.push_back(min_pred_[u]);
          u = ends[min_pred_[u]].tail;
        } else {
          seg_max_.push_back(max_pred_[v]);
          v = ends[max_pred_[v]].tail;
        }
      }
      double g_min = 0, g_max = 0, h = 0, room = kInf;
      std::int32_t bottleneck = -1;
      for (const std::int32_t p : seg_min_) {
        g_min += cost_[links[p]];
        h += deriv_[links[p]];
      }
      for (const std::int32_t p : seg_max_) {
        g_max += cost_[links[p]];
        h += deriv_[links[p]];
        if (flow[p] < room) {
          room = flow[p];
          bottleneck = p;
        }
      }
      const double diff = g_max - g_min;
      if (!(diff > 0) || room <= 0) continue;
      double dx = h > 0 ? diff / h : room;
      const bool empties = dx >= room;
      if (empties) dx = room;
      for (const std::int32_t p : seg_max_) {
        flow[p] -= dx;
        move(links[p], -dx);
      }
      if (empties) flow[bottleneck] = 0.0;
      for (const std::int32_t p : seg_min_) {
        flow[p] += dx;
        move(links[p], dx);
      }
    }
  }

 private:
  struct WarmScratch {
    std::vector<double> dist;
    std::vector<std::uint8_t> queued;
    std::vector<std::int32_t> queue;
    ShortestPathTree tree;
  };

  double origin_sptt(std::size_t o, WarmScratch& s) const {
    const Bush& bush = bushes_[o];
    s.dist.assign(n_, kInf);
    s.queued.assign(n_, 0);
    double* dist = s.dist.data();
    const std::int32_t* tail = net_.tail.data();
    const std::int32_t* head = net_.head.data();
    const double* cost = cost_.data();
    dist[bush.origin] = 0;
    for (const std::int32_t a : bush.links) {
      const double d = dist[tail[a]] + cost[a];
      if (d < dist[head[a]]) dist[head[a]] = d;
    }
    const std::int32_t origin = bush.origin;
    std::size_t work = 0;
    const std::size_t budget = 8 * m_ + 1024;
    s.queue.clear();
    auto scan = [&](std::int32_t u) {
      if (net_.no_through[u] && u != origin) return;
      const double du = dist[u];
      for (std::int32_t a = net_.out_offset[u]; a < net_.out_offset[u + 1]; ++a) {
        const std::int32_t v = head[a];
        const double d = du + cost[a];
        if (d < dist[v]) {
          dist[v] = d;
          if (!s.queued[v]) {
            s.queued[v] = 1;
            s.queue.push_back(v);
          }
        }
      }
      work += static_cast<std::size_t>(net_.out_offset[u + 1] - net_.out_offset[u]);
    };
    for (const std::int32_t u : bush.order) scan(u);
    for (std::size_t front = 0; front < s.queue.size() && work <= budget; ++front) {
      const std::int32_t u = s.queue[front];
      s.queued[u] = 0;
      scan(u);
    }
    if (work > budget) {
      shortest_path_tree(net_, cost, origin, s.tree);
      dist = s.tree.distance.data();
    }
    double sptt = 0;
    for (std::int32_t k = demand_.destination_offset[o]; k < demand_.destination_offset[o + 1]; ++k)
      sptt += demand_.destination_flow[k] * dist[demand_.destination_node[k]];
    return sptt;
  }

  void move(std::int32_t a, double dx) {
    double f = x_[a] + dx;
    if (f < 0) f = 0;
    x_[a] = f;
    cost_[a] = bpr_cost(net_.coefficients[a], f);
    deriv_[a] = bpr_derivative(net_.coefficients[a], f);
  }

  // Topological positions of the bush's nodes. Every node reachable from the
  // origin is in bush.order, so entries left from other bushes are never read.
  void set_positions(const Bush& bush) {
    for (std::size_t k = 0; k < bush.order.size(); ++k) pos_[bush.order[k]] = static_cast<std::int32_t>(k);
  }

  // Shortest (low_, min_pred_) and, when `used_only`, longest used (high_,
  // max_pred_) path labels over the bush, in topological order.
  void labels(const Bush& bush, bool with_max) {
    for (const std::int32_t v : bush.order) {
      low_[v] = kInf;
      high_[v] = -kInf;
      min_pred_[v] = -1;
      max_pred_[v] = -1;
    }
    low_[bush.origin] = 0;
    high_[bush.origin] = 0;
    const std::size_t size = bush.links.size();
    const std::int32_t* links = bush.links.data();
    const Ends* ends = bush.ends.data();
    const double* flow = bush.flow.data();
    const double* cost = cost_.data();
    const double negligible = bush.negligible;
    for (std::size_t p = 0; p < size; ++p) {
      const std::int32_t i = ends[p].tail;
      const std::int32_t j = ends[p].head;
      const double c = cost[links[p]];
      const double l = low_[i] + c;
      if (l < low_[j]) {
        low_[j] = l;
        min_pred_[j] = static_cast<std::int32_t>(p);
      }
      if (with_max && flow[p] > negligible) {
        const double u = high_[i] + c;
        if (u > high_[j]) {
          high_[j] = u;
          max_pred_[j] = static_cast<std::int32_t>(p);
        }
      }
    }
  }

  // Kahn's algorithm over the bush links (marked in in_bush_), then a counting
  // sort of the links by the position of their head.
  void sort_topologically(Bush& bush) {
    for (const std::int32_t v : bush.order) indegree_[v] = 0;
    for (const std::int32_t a : bush.links) ++indegree_[net_.head[a]];
    order_.clear();
    order_.push_back(bush.origin);
    for (std::size_t front = 0; front < order_.size(); ++front) {
      const std::int32_t u = order_[front];
      for (std::int32_t a = net_.out_offset[u]; a < net_.out_offset[u + 1]; ++a) {
        if (in_bush_[a] < 0) continue;
        const std::int32_t j = net_.head[a];
        if (--indegree_[j] == 0) order_.push_back(j);
      }
    }
    if (order_.size() != bush.order.size())
      throw NotConverged("internal error: a bush became cyclic (Algorithm B bush update)");
    bush.order.swap(order_);
    set_positions(bush);
    const std::size_t nodes = bush.order.size();
    bucket_.assign(nodes + 1, 0);
    for (const std::int32_t a : bush.links) ++bucket_[pos_[net_.head[a]] + 1];
    for (std::size_t k = 0; k < nodes; ++k) bucket_[k + 1] += bucket_[k];
    sorted_links_.resize(bush.links.size());
    sorted_ends_.resize(bush.links.size());
    sorted_flow_.resize(bush.links.size());
    for (std::size_t p = 0; p < bush.links.size(); ++p) {
      const std::int32_t slot = bucket_[pos_[bush.ends[p].head]]++;
      sorted_links_[slot] = bush.links[p];
      sorted_ends_[slot] = bush.ends[p];
      sorted_flow_[slot] = bush.flow[p];
    }
    bush.links.swap(sorted_links_);
    bush.ends.swap(sorted_ends_);
    bush.flow.swap(sorted_flow_);
  }

  const Network& net_;
  const OdDemand& demand_;
  std::size_t m_, n_;
  std::vector<double> x_, cost_, deriv_;
  std::vector<Bush> bushes_;
  // Scratch.
  std::vector<double> low_, high_;
  std::vector<std::int32_t> min_pred_, max_pred_, pos_, in_bush_, indegree_, order_, bucket_, sorted_links_;
  std::vector<double> sorted_flow_;
  std::vector<Ends> sorted_ends_;
  std::vector<std::int32_t> seg_min_, seg_max_;
  std::vector<double> per_origin_sptt_;
  tbb::enumerable_thread_specific<WarmScratch> warm_;
};

}  // namespace

AssignmentResult solve_bush(const Network& net, const OdDemand& demand, const AssignmentOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };

  BushSolver solver(net, demand);
  AssignmentResult result;
  if (options.warm_start && options.warm_start->same_network(net, demand)) {
    if (options.warm_start->same_demand(demand)) solver.initialise_from(*options.warm_start);
    else solver.initialise_reloaded(*options.warm_start);
    result.warm_started = true;
  } else {
    solver.initialise();
  }
  // Flow-shift sweeps per iteration, after the sweep that updates the bushes:
  // few while the bushes still change a lot, more once they have settled.
  // (Tuned on Chicago-Sketch; see benchmarks/RESULTS.md.)
  constexpr int kFirstSweeps = 2, kSweepGrowth = 3, kMaxSweeps = 10, kYoungIterations = 2;
  for (std::int32_t k = 0;; ++k) {
    const double sptt = solver.shortest_path_total();
    if (record_iteration(result, options, {k, elapsed(), gap_measures(net, demand, solver.flow(), solver.cost(), sptt)})) break;

    for (std::size_t o = 0; o < solver.bush_count(); ++o) {
      solver.shift_flows(o);
      solver.update_bush(o);
      solver.shift_flows(o);
    }
    const int sweeps = std::min(kMaxSweeps, kFirstSweeps + kSweepGrowth * k);
    // While the bushes are young, also update them every second sweep.
    const bool young = k < kYoungIterations;
    for (int sweep = 0; sweep < sweeps; ++sweep)
      for (std::size_t o = 0; o < solver.bush_count(); ++o) {
        if (young && sweep % 2 == 1) solver.update_bush(o);
        solver.shift_flows(o);
      }
    solver.resync();
  }
  result.flow = solver.flow();
  result.cost = solver.cost();
  if (options.keep_bushes) result.bushes = solver.take_state();
  result.seconds = elapsed();
  return result;
}

}  // namespace citytwin::traffic
