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
#include "core/traffic/bush_layout.hpp"
#include "core/traffic/iteration_record.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

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
using bush_detail::BushFlow;
using bush_detail::for_each_bush_node;

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
    const std::vector<std::int32_t>& order = tree.settled;  // topological for the tree
    double origin_demand = 0;
    for (std::int32_t k = demand_.destination_offset[o]; k < demand_.destination_offset[o + 1]; ++k) {
      node_flow[demand_.destination_node[k]] += demand_.destination_flow[k];
      origin_demand += demand_.destination_flow[k];
    }
    bush.negligible = kNegligibleShare * origin_demand;
    bush.links.resize(order.size() - 1);
    bush.flow.resize(order.size() - 1);
    for (std::size_t i = order.size(); i-- > 1;) {
      const std::int32_t v = order[i];
      const std::int32_t a = tree.pred_link[v];
      bush.links[i - 1] = a;
      bush.flow[i - 1] = static_cast<BushFlow>(node_flow[v]);
      node_flow[net_.tail[a]] += node_flow[v];
      node_flow[v] = 0;
    }
    node_flow[bush.origin] = 0;
  }

  // The bushes of an earlier solve of this network and demand: flows are
  // feasible as they are, only the costs are new.
  void initialise_from(const BushState& state, bool take) {
    adopt(state, take);
    resync();
  }

  // The bushes of an earlier solve of this network for other demand (the
  // previous hour): each origin's new demand is loaded backwards over its old
  // bush with the old route-choice proportions at every node (the share of a
  // node's inflow each incoming bush link carried), and on the cheapest
  // incoming bush link where no flow arrived before. The bushes keep the links
  // the previous equilibrium used, so far fewer bush updates are needed than
  // from free-flow trees.
  void initialise_reloaded(const BushState& state, bool take) {
    adopt(state, take);
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

  // The bushes of `state`: moved out when the caller handed it over
  // (take_warm_start, and the options hold it alone, so no one else can read
  // it after), else copied. The
  // bushes are the solve's largest allocation; copying them kept two sets
  // alive through every warm-started solve of a coupled run. BushState is
  // only ever created non-const (take_state), so the const_cast is defined;
  // the emptied state no longer matches any network, so a later warm start
  // from it would be a cold start, never a wrong one.
  void adopt(const BushState& state, bool take) {
    if (!take) {
      bushes_ = state.bushes;
      return;
    }
    auto& owned = const_cast<BushState&>(state);
    bushes_ = std::move(owned.bushes);
    owned.bushes.clear();
    owned.node_count = -1;
  }

  void reload_bush(std::size_t o, const std::vector<double>& old_cost, std::vector<double>& node_flow, std::vector<double>& inflow,
                   std::vector<double>& low, std::vector<std::int32_t>& min_pred) {
    Bush& bush = bushes_[o];
    const std::size_t size = bush.links.size();
    const std::int32_t* links = bush.links.data();
    const std::int32_t* tail = net_.tail.data();
    const std::int32_t* head = net_.head.data();
    // A head's labels are reset when its run of incoming links starts; every
    // tail is the origin or the head of an earlier run, so already final.
    inflow[bush.origin] = 0, low[bush.origin] = 0, min_pred[bush.origin] = -1;
    std::int32_t last = -1;
    for (std::size_t p = 0; p < size; ++p) {
      const std::int32_t i = tail[links[p]], j = head[links[p]];
      if (j != last) inflow[j] = 0, low[j] = kInf, min_pred[j] = -1, last = j;
      inflow[j] += bush.flow[p];
      if (const double l = low[i] + old_cost[links[p]]; l < low[j]) low[j] = l, min_pred[j] = static_cast<std::int32_t>(p);
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
      const std::int32_t j = head[links[end - 1]];
      std::size_t begin = end - 1;
      while (begin > 0 && head[links[begin - 1]] == j) --begin;
      const double f = node_flow[j];
      for (std::size_t p = begin; p < end; ++p) {
        // bush.flow[p] still holds the old flow here: each link is rewritten once, after it is read.
        const double share = inflow[j] > 0 ? bush.flow[p] / inflow[j] : (static_cast<std::int32_t>(p) == min_pred[j] ? 1.0 : 0.0);
        bush.flow[p] = static_cast<BushFlow>(f * share);
        node_flow[tail[links[p]]] += bush.flow[p];
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

  // What the solver holds now: the bushes (allocated capacity) and the arrays
  // sized by the network. The per-thread scratch of the parallel sections
  // (a Dijkstra tree and a few node arrays per thread) is not counted.
  BushMemory memory() const {
    BushMemory m;
    m.origins = static_cast<std::int64_t>(bushes_.size());
    std::size_t bytes = 0, links = 0;
    for (const Bush& bush : bushes_) {
      bytes += bush.bytes();
      links += bush.links.size();
    }
    m.bush_links = static_cast<std::int64_t>(links);
    m.bush_bytes = static_cast<std::int64_t>(bytes);
    const auto held = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    m.network_bytes = static_cast<std::int64_t>(
        held(x_) + held(cost_) + held(deriv_) + held(low_) + held(high_) + held(min_pred_) + held(max_pred_) + held(pos_) +
        held(in_bush_) + held(indegree_) + held(order_) + held(bucket_) + held(sorted_links_) + held(added_) + held(sorted_flow_) +
        held(seg_min_) + held(seg_max_) + held(per_origin_sptt_));
    return m;
  }

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
    const std::int32_t* tail = net_.tail.data();
    const std::int32_t* head = net_.head.data();
    const std::size_t nodes = labels(bush, false);
    // 1. Drop links without flow unless they carry the shortest path to their
    //    head (so every node keeps an incoming link and the node order holds).
    std::size_t kept = 0;
    for (std::size_t p = 0; p < bush.links.size(); ++p) {
      const std::int32_t a = bush.links[p];
      const bool used = bush.flow[p] > bush.negligible;
      if (used || min_pred_[head[a]] == static_cast<std::int32_t>(p)) {
        bush.links[kept] = a;
        bush.flow[kept] = used ? bush.flow[p] : BushFlow{0};
        ++kept;
      }
    }
    bush.links.resize(kept);
    bush.flow.resize(kept);
    // 2. Longest paths over every remaining bush link (a topological potential);
    //    heads are reset when their run of incoming links starts.
    high_[bush.origin] = 0;
    std::int32_t last = -1;
    for (std::size_t p = 0; p < kept; ++p) {
      const std::int32_t a = bush.links[p];
      if (head[a] != last) last = head[a], high_[last] = -kInf;
      const double u = high_[tail[a]] + cost_[a];
      if (u > high_[head[a]]) high_[head[a]] = u;
    }
    for (std::size_t p = 0; p < kept; ++p) in_bush_[bush.links[p]] = static_cast<std::int32_t>(p);
    // 3. Add every link that is a shortcut for those longest paths. With
    //    non-negative costs high[tail] <= high[head] holds on every bush link and
    //    strictly on an added one, so no cycle can form.
    added_.clear();
    for_each_bush_node(bush, head, [&](const std::int32_t i) {
      if (net_.no_through[i] && i != bush.origin) return;
      const double hi = high_[i];
      for (std::int32_t a = net_.out_offset[i]; a < net_.out_offset[i + 1]; ++a) {
        if (in_bush_[a] >= 0) continue;
        const std::int32_t j = head[a];
        if (j == bush.origin) continue;
        if (hi + cost_[a] < high_[j]) {
          in_bush_[a] = static_cast<std::int32_t>(kept + added_.size());
          added_.push_back(a);
        }
      }
    });
    if (!added_.empty()) sort_topologically(bush, nodes);
    for (const std::int32_t a : bush.links) in_bush_[a] = -1;
    // Bushes shrink as well as grow: give back capacity a dropped quarter left.
    if (const std::size_t size = bush.links.size(); bush.links.capacity() > size + size / 4 + 16) {
      bush.links.shrink_to_fit();
      bush.flow.shrink_to_fit();
    }
  }

  // One sweep of Newton flow shifts over the bush, from the last node back.
  void shift_flows(std::size_t o) {
    Bush& bush = bushes_[o];
    labels(bush, true);
    const std::int32_t* links = bush.links.data();
    const std::int32_t* tail = net_.tail.data();
    const std::int32_t* head = net_.head.data();
    BushFlow* flow = bush.flow.data();
    // The nodes from the last back: each head's incoming links form one run.
    std::int32_t last = -1;
    for (std::size_t q = bush.links.size(); q-- > 0;) {
      const std::int32_t j = head[links[q]];
      if (j == last) continue;
      last = j;
      if (max_pred_[j] < 0 || max_pred_[j] == min_pred_[j]) continue;
      seg_min_.clear();
      seg_max_.clear();
      // Walk both paths back from j until they meet at the divergence node.
      std::int32_t u = j, v = j;
      seg_min_.push_back(min_pred_[u]);
      u = tail[links[min_pred_[u]]];
      seg_max_.push_back(max_pred_[v]);
      v = tail[links[max_pred_[v]]];
      while (u != v) {
        if (pos_[u] > pos_[v]) {
          seg_min_.push_back(min_pred_[u]);
          u = tail[links[min_pred_[u]]];
        } else {
          seg_max_.push_back(max_pred_[v]);
          v = tail[links[max_pred_[v]]];
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
        flow[p] = static_cast<BushFlow>(flow[p] - dx);
        move(links[p], -dx);
      }
      if (empties) flow[bottleneck] = 0;
      for (const std::int32_t p : seg_min_) {
        flow[p] = static_cast<BushFlow>(flow[p] + dx);
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
    for_each_bush_node(bush, head, scan);
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

  // In one pass over the bush's links: the topological positions of its
  // nodes (pos_), the shortest-path labels (low_, min_pred_) and, with
  // `with_max`, the longest *used* path labels (high_, max_pred_). A head's
  // labels are reset when its run of incoming links starts; every tail is the
  // origin or an earlier head, so its labels are final by then (and entries
  // left by other bushes are never read). Returns the bush's node count.
  std::size_t labels(const Bush& bush, bool with_max) {
    const std::int32_t origin = bush.origin;
    low_[origin] = 0;
    high_[origin] = 0;
    min_pred_[origin] = -1;
    max_pred_[origin] = -1;
    pos_[origin] = 0;
    std::int32_t nodes = 1, last = -1;
    const std::size_t size = bush.links.size();
    const std::int32_t* links = bush.links.data();
    const std::int32_t* tail = net_.tail.data();
    const std::int32_t* head = net_.head.data();
    const BushFlow* flow = bush.flow.data();
    const double* cost = cost_.data();
    const double negligible = bush.negligible;
    for (std::size_t p = 0; p < size; ++p) {
      const std::int32_t a = links[p];
      const std::int32_t i = tail[a];
      const std::int32_t j = head[a];
      if (j != last) {
        last = j;
        low_[j] = kInf;
        high_[j] = -kInf;
        min_pred_[j] = -1;
        max_pred_[j] = -1;
        pos_[j] = nodes++;
      }
      const double c = cost[a];
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
    return static_cast<std::size_t>(nodes);
  }

  // Kahn's algorithm over the bush links and the added ones (all marked in
  // in_bush_), then a counting sort of both by the position of their head,
  // written back into the bush's own arrays (the added links with no flow).
  void sort_topologically(Bush& bush, std::size_t nodes) {
    const std::int32_t* head = net_.head.data();
    for (const std::int32_t a : bush.links) indegree_[head[a]] = 0;
    for (const std::int32_t a : added_) indegree_[head[a]] = 0;
    for (const std::int32_t a : bush.links) ++indegree_[head[a]];
    for (const std::int32_t a : added_) ++indegree_[head[a]];
    order_.clear();
    order_.push_back(bush.origin);
    for (std::size_t front = 0; front < order_.size(); ++front) {
      const std::int32_t u = order_[front];
      for (std::int32_t a = net_.out_offset[u]; a < net_.out_offset[u + 1]; ++a) {
        if (in_bush_[a] < 0) continue;
        const std::int32_t j = head[a];
        if (--indegree_[j] == 0) order_.push_back(j);
      }
    }
    if (order_.size() != nodes) throw NotConverged("internal error: a bush became cyclic (Algorithm B bush update)");
    for (std::size_t k = 0; k < nodes; ++k) pos_[order_[k]] = static_cast<std::int32_t>(k);
    bucket_.assign(nodes + 1, 0);
    for (const std::int32_t a : bush.links) ++bucket_[pos_[head[a]] + 1];
    for (const std::int32_t a : added_) ++bucket_[pos_[head[a]] + 1];
    for (std::size_t k = 0; k < nodes; ++k) bucket_[k + 1] += bucket_[k];
    const std::size_t total = bush.links.size() + added_.size();
    sorted_links_.resize(total);
    sorted_flow_.resize(total);
    for (std::size_t p = 0; p < bush.links.size(); ++p) {
      const std::int32_t slot = bucket_[pos_[head[bush.links[p]]]]++;
      sorted_links_[slot] = bush.links[p];
      sorted_flow_[slot] = bush.flow[p];
    }
    for (const std::int32_t a : added_) {
      const std::int32_t slot = bucket_[pos_[head[a]]]++;
      sorted_links_[slot] = a;
      sorted_flow_[slot] = 0;
    }
    // Copied, not swapped: a swap would hand this bush the scratch's capacity
    // (the largest bush seen so far).
    bush.links.assign(sorted_links_.begin(), sorted_links_.end());
    bush.flow.assign(sorted_flow_.begin(), sorted_flow_.end());
  }

  const Network& net_;
  const OdDemand& demand_;
  std::size_t m_, n_;
  std::vector<double> x_, cost_, deriv_;
  std::vector<Bush> bushes_;
  // Scratch.
  std::vector<double> low_, high_;
  std::vector<std::int32_t> min_pred_, max_pred_, pos_, in_bush_, indegree_, order_, bucket_, sorted_links_, added_;
  std::vector<BushFlow> sorted_flow_;
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
    const bool take = options.take_warm_start && options.warm_start.use_count() == 1;
    if (options.warm_start->same_demand(demand)) solver.initialise_from(*options.warm_start, take);
    else solver.initialise_reloaded(*options.warm_start, take);
    result.warm_started = true;
  } else {
    solver.initialise();
  }
  // The storage at its largest (the bushes grow while young, then shrink).
  const auto note_memory = [&] {
    const BushMemory now = solver.memory();
    if (now.bush_bytes > result.bush_memory.bush_bytes) result.bush_memory = now;
  };
  note_memory();
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
    note_memory();
  }
  result.flow = solver.flow();
  result.cost = solver.cost();
  if (options.keep_bushes) result.bushes = solver.take_state();
  result.seconds = elapsed();
  return result;
}

}  // namespace citytwin::traffic
