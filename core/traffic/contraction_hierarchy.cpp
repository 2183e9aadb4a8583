#include "core/traffic/contraction_hierarchy.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>

#include "core/traffic/phast_sweep.hpp"

namespace citytwin::traffic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kWitnessSettleLimit = 64;

// A binary min-heap of (distance, node) with lazy deletion: stale entries are
// skipped when popped.
struct LazyHeap {
  std::vector<std::pair<double, std::int32_t>>& items;
  static bool later(const std::pair<double, std::int32_t>& a, const std::pair<double, std::int32_t>& b) {
    return a.first > b.first;
  }
  bool empty() const { return items.empty(); }
  void push(double d, std::int32_t v) {
    items.push_back({d, v});
    std::push_heap(items.begin(), items.end(), later);
  }
  std::pair<double, std::int32_t> pop() {
    std::pop_heap(items.begin(), items.end(), later);
    const auto top = items.back();
    items.pop_back();
    return top;
  }
};

struct Arc {
  std::int32_t node;
  double weight;
};

class Contractor {
 public:
  Contractor(const Network& net, const std::vector<double>& cost)
      : n_(net.node_count), out_(static_cast<std::size_t>(n_)), in_(static_cast<std::size_t>(n_)),
        contracted_(static_cast<std::size_t>(n_), 0), depth_(static_cast<std::size_t>(n_), 0),
        dist_(static_cast<std::size_t>(n_), kInf) {
    for (std::int32_t a = 0; a < net.link_count; ++a) add_arc(net.tail[a], net.head[a], cost[a]);
  }

  ContractionHierarchy run() {
    using Entry = std::pair<std::int64_t, std::int32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (std::int32_t v = 0; v < n_; ++v) queue.push({priority(v), v});
    std::vector<std::int32_t> order;
    order.reserve(static_cast<std::size_t>(n_));
    up_.resize(static_cast<std::size_t>(n_));
    down_.resize(static_cast<std::size_t>(n_));
    while (!queue.empty()) {
      const auto [p, v] = queue.top();
      queue.pop();
      if (contracted_[v]) continue;
      const std::int64_t now = priority(v);
      if (!queue.empty() && now > queue.top().first) {
        queue.push({now, v});
        continue;
      }
      contract(v);
      order.push_back(v);
    }
    // Sweep order (PHAST): by level, where a node's level is one more than the
    // highest level among the higher-ranked tails of its downward edges, so
    // every tail comes before its heads; within a level by network id (the
    // breadth-first numbering), which keeps the labels a sweep reads together
    // close in memory.
    std::vector<std::int32_t> level(static_cast<std::size_t>(n_), 0);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      for (const Arc& e : down_[*it]) level[*it] = std::max(level[*it], level[e.node] + 1);
    ContractionHierarchy ch;
    ch.node_count = n_;
    ch.shortcuts = shortcuts_;
    ch.node_at.resize(static_cast<std::size_t>(n_));
    std::iota(ch.node_at.begin(), ch.node_at.end(), 0);
    std::stable_sort(ch.node_at.begin(), ch.node_at.end(),
                     [&](std::int32_t a, std::int32_t b) { return level[a] < level[b]; });
    ch.sweep_id.assign(static_cast<std::size_t>(n_), 0);
    for (std::int32_t s = 0; s < n_; ++s) ch.sweep_id[ch.node_at[s]] = s;
    ch.up_offset.assign(1, 0);
    ch.down_offset.assign(1, 0);
    for (std::int32_t s = 0; s < n_; ++s) {
      const std::int32_t v = ch.node_at[s];
      for (const Arc& e : up_[v]) {
        ch.up_head.push_back(ch.sweep_id[e.node]);
        ch.up_weight.push_back(e.weight);
      }
      ch.up_offset.push_back(static_cast<std::int32_t>(ch.up_head.size()));
      for (const Arc& e : down_[v]) {
        ch.down_tail.push_back(ch.sweep_id[e.node]);
        ch.down_weight.push_back(e.weight);
      }
      ch.down_offset.push_back(static_cast<std::int32_t>(ch.down_tail.size()));
    }
    return ch;
  }

 private:
  void add_arc(std::int32_t u, std::int32_t w, double weight) {
    for (Arc& e : out_[u])
      if (e.node == w) {
        if (weight < e.weight) {
          e.weight = weight;
          for (Arc& r : in_[w])
            if (r.node == u) r.weight = weight;
        }
        return;
      }
    out_[u].push_back({w, weight});
    in_[w].push_back({u, weight});
  }

  // Live neighbours (not yet contracted).
  void live(const std::vector<Arc>& arcs, std::vector<Arc>& into) const {
    into.clear();
    for (const Arc& e : arcs)
      if (!contracted_[e.node]) into.push_back(e);
  }

  // Bounded Dijkstra from u avoiding `skip`; stops past `limit` or after the settle budget.
  void witness_search(std::int32_t u, std::int32_t skip, double limit) {
    for (const std::int32_t t : touched_) dist_[t] = kInf;
    touched_.clear();
    heap_.clear();
    LazyHeap heap{heap_};
    dist_[u] = 0;
    touched_.push_back(u);
    heap.push(0.0, u);
    int settled = 0;
    while (!heap.empty() && settled < kWitnessSettleLimit) {
      const auto [d, x] = heap.pop();
      if (d > dist_[x]) continue;
      if (d > limit) break;
      ++settled;
      for (const Arc& e : out_[x]) {
        if (contracted_[e.node] || e.node == skip) continue;
        const double nd = d + e.weight;
        if (nd < dist_[e.node]) {
          if (dist_[e.node] == kInf) touched_.push_back(e.node);
          dist_[e.node] = nd;
          heap.push(nd, e.node);
        }
      }
    }
  }

  // Shortcuts contracting v would need; added when `apply`.
  std::int64_t shortcuts_for(std::int32_t v, bool apply) {
    live(in_[v], ins_);
    live(out_[v], outs_);
    std::int64_t count = 0;
    double max_out = 0;
    for (const Arc& o : outs_) max_out = std::max(max_out, o.weight);
    for (const Arc& i : ins_) {
      witness_search(i.node, v, i.weight + max_out);
      for (const Arc& o : outs_) {
        if (o.node == i.node) continue;
        const double via = i.weight + o.weight;
        if (dist_[o.node] <= via) continue;
        ++count;
        if (apply) pending_.push_back({i.node, o.node, via});
      }
    }
    return count;
  }

  std::int64_t priority(std::int32_t v) {
    const std::int64_t added = shortcuts_for(v, false);
    return 4 * (added - static_cast<std::int64_t>(ins_.size() + outs_.size())) + 2 * depth_[v] +
           static_cast<std::int64_t>(ins_.size() + outs_.size()) / 2;
  }

  void contract(std::int32_t v) {
    pending_.clear();
    shortcuts_for(v, true);
    live(in_[v], ins_);
    live(out_[v], outs_);
    up_[v] = outs_;   // to higher-ranked nodes
    down_[v] = ins_;  // from higher-ranked nodes
    contracted_[v] = 1;
    for (const Arc& e : ins_) depth_[e.node] = std::max(depth_[e.node], depth_[v] + 1);
    for (const Arc& e : outs_) depth_[e.node] = std::max(depth_[e.node], depth_[v] + 1);
    for (const Shortcut& s : pending_) add_arc(s.from, s.to, s.weight);
    shortcuts_ += static_cast<std::int64_t>(pending_.size());
    // The contracted node's arcs are no longer needed in the working graph.
    std::vector<Arc>().swap(out_[v]);
    std::vector<Arc>().swap(in_[v]);
  }

  struct Shortcut {
    std::int32_t from, to;
    double weight;
  };

  std::int32_t n_;
  std::vector<std::vector<Arc>> out_, in_, up_, down_;
  std::vector<std::uint8_t> contracted_;
  std::vector<std::int32_t> depth_;
  std::vector<double> dist_;
  std::vector<std::int32_t> touched_;
  std::vector<std::pair<double, std::int32_t>> heap_;
  std::vector<Arc> ins_, outs_;
  std::vector<Shortcut> pending_;
  std::int64_t shortcuts_ = 0;
};

}  // namespace

ContractionHierarchy build_contraction_hierarchy(const Network& net, const std::vector<double>& cost) {
  return Contractor(net, cost).run();
}

namespace {

// Upward search: Dijkstra over edges to higher-ranked nodes, labels at dist[id * stride].
void upward_search(const ContractionHierarchy& ch, std::int32_t source, double* dist, int stride,
                   std::vector<std::pair<double, std::int32_t>>& items) {
  items.clear();
  LazyHeap heap{items};
  const std::int32_t s0 = ch.sweep_id[source];
  dist[static_cast<std::int64_t>(s0) * stride] = 0;
  heap.push(0.0, s0);
  while (!heap.empty()) {
    const auto [d, x] = heap.pop();
    if (d > dist[static_cast<std::int64_t>(x) * stride]) continue;
    for (std::int32_t e = ch.up_offset[x]; e < ch.up_offset[x + 1]; ++e) {
      const std::int32_t y = ch.up_head[e];
      const double nd = d + ch.up_weight[e];
      double& dy = dist[static_cast<std::int64_t>(y) * stride];
      if (nd < dy) {
        dy = nd;
        heap.push(nd, y);
      }
    }
  }
}

}  // namespace

void phast_tree(const ContractionHierarchy& ch, std::int32_t source, PhastScratch& scratch) {
  std::vector<double>& dist = scratch.dist;
  dist.assign(static_cast<std::size_t>(ch.node_count), kInf);
  upward_search(ch, source, dist.data(), 1, scratch.heap);
  // Linear sweep from the top of the hierarchy down.
  const std::int32_t* tails = ch.down_tail.data();
  const double* weights = ch.down_weight.data();
  double* d = dist.data();
  for (std::int32_t s = 0; s < ch.node_count; ++s)
    d[s] = phast_settle(d[s], tails, weights, ch.down_offset[s], ch.down_offset[s + 1], d);
}

void phast_trees(const ContractionHierarchy& ch, const std::int32_t* sources, PhastScratch& scratch) {
  constexpr int K = kPhastBatch;
  std::vector<double>& dist = scratch.dist;
  dist.assign(static_cast<std::size_t>(ch.node_count) * K, kInf);
  for (int i = 0; i < K; ++i) upward_search(ch, sources[i], dist.data() + i, K, scratch.heap);
  const std::int32_t* tails = ch.down_tail.data();
  const double* weights = ch.down_weight.data();
  double* d = dist.data();
  for (std::int32_t s = 0; s < ch.node_count; ++s)
    phast_settle_batch<K>(d + static_cast<std::int64_t>(s) * K, tails, weights, ch.down_offset[s],
                          ch.down_offset[s + 1], d);
}

}  // namespace citytwin::traffic
