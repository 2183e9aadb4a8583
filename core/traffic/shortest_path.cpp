#include "core/traffic/shortest_path.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace citytwin::traffic {

namespace {

// Indexed binary min-heap whose entries carry their key (no indirection on
// the hot comparisons); pos[v] is v's slot, -1 if never queued, -2 once settled.
struct Heap {
  std::vector<HeapEntry>& items;
  std::int32_t* pos;

  void sift_up(std::size_t i, HeapEntry e) {
    while (i > 0) {
      const std::size_t parent = (i - 1) >> 1;
      if (items[parent].key <= e.key) break;
      items[i] = items[parent];
      pos[items[i].node] = static_cast<std::int32_t>(i);
      i = parent;
    }
    items[i] = e;
    pos[e.node] = static_cast<std::int32_t>(i);
  }
  void sift_down(std::size_t i, HeapEntry e) {
    const std::size_t size = items.size();
    while (true) {
      std::size_t child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && items[child + 1].key < items[child].key) ++child;
      if (items[child].key >= e.key) break;
      items[i] = items[child];
      pos[items[i].node] = static_cast<std::int32_t>(i);
      i = child;
    }
    items[i] = e;
    pos[e.node] = static_cast<std::int32_t>(i);
  }
  void push_or_decrease(std::int32_t v, double key) {
    if (pos[v] < 0) {
      items.push_back({key, v});
      sift_up(items.size() - 1, {key, v});
    } else {
      sift_up(static_cast<std::size_t>(pos[v]), {key, v});
    }
  }
  std::int32_t pop() {
    const std::int32_t top = items.front().node;
    pos[top] = -2;
    const HeapEntry last = items.back();
    items.pop_back();
    if (!items.empty()) sift_down(0, last);
    return top;
  }
};

}  // namespace

void shortest_path_tree(const Network& net, const double* cost, std::int32_t origin, ShortestPathTree& tree) {
  const auto n = static_cast<std::size_t>(net.node_count);
  tree.distance.assign(n, kUnreached);
  tree.pred_link.assign(n, -1);
  tree.heap_pos.assign(n, -1);
  tree.settled.clear();
  tree.heap.clear();
  Heap heap{tree.heap, tree.heap_pos.data()};
  tree.distance[origin] = 0;
  heap.push_or_decrease(origin, 0.0);
  const std::int32_t* out_offset = net.out_offset.data();
  const std::int32_t* head = net.head.data();
  const std::uint8_t* no_through = net.no_through.data();
  double* dist = tree.distance.data();
  std::int32_t* pred = tree.pred_link.data();
  const std::int32_t* hpos = tree.heap_pos.data();
  while (!tree.heap.empty()) {
    const std::int32_t u = heap.pop();
    tree.settled.push_back(u);
    if (no_through[u] && u != origin) continue;
    const double du = dist[u];
    for (std::int32_t a = out_offset[u]; a < out_offset[u + 1]; ++a) {
      const std::int32_t v = head[a];
      const double dv = du + cost[a];
      if (dv < dist[v] && hpos[v] != -2) {
        dist[v] = dv;
        pred[v] = a;
        heap.push_or_decrease(v, dv);
      }
    }
  }
}

namespace {

constexpr std::size_t kMaxBlocks = 64;

// Runs per_block(b) for b in [0, blocks), blocks in parallel.
template <class PerBlock>
void for_blocks(std::size_t blocks, PerBlock&& per_block) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t b = r.begin(); b != r.end(); ++b) per_block(b);
                    });
}

}  // namespace

double all_or_nothing(const Network& net, const OdDemand& demand, const std::vector<double>& cost,
                      std::vector<double>& flow) {
  const std::size_t origins = demand.origin_count();
  const auto m = static_cast<std::size_t>(net.link_count);
  const auto n = static_cast<std::size_t>(net.node_count);
  flow.assign(m, 0.0);
  if (origins == 0) return 0.0;
  const std::size_t blocks = std::min(kMaxBlocks, origins);
  std::vector<std::vector<double>> partial(blocks);
  std::vector<double> block_sptt(blocks, 0.0);
  tbb::enumerable_thread_specific<ShortestPathTree> trees;
  tbb::enumerable_thread_specific<std::vector<double>> node_flows;
  for_blocks(blocks, [&](std::size_t b) {
    ShortestPathTree& tree = trees.local();
    std::vector<double>& node_flow = node_flows.local();
    std::vector<double>& out = partial[b];
    out.assign(m, 0.0);
    double sptt = 0;
    const std::size_t first = b * origins / blocks;
    const std::size_t last = (b + 1) * origins / blocks;
    for (std::size_t o = first; o < last; ++o) {
      shortest_path_tree(net, cost.data(), demand.origin_node[o], tree);
      node_flow.assign(n, 0.0);
      for (std::int32_t k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k) {
        const std::int32_t d = demand.destination_node[k];
        node_flow[d] += demand.destination_flow[k];
        sptt += demand.destination_flow[k] * tree.distance[d];
      }
      for (std::size_t i = tree.settled.size(); i-- > 1;) {
        const std::int32_t v = tree.settled[i];
        const double f = node_flow[v];
        if (f == 0.0) continue;
        const std::int32_t a = tree.pred_link[v];
        out[a] += f;
        node_flow[net.tail[a]] += f;
      }
    }
    block_sptt[b] = sptt;
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t a = r.begin(); a != r.end(); ++a) {
      double s = 0;
      for (std::size_t b = 0; b < blocks; ++b) s += partial[b][a];
      flow[a] = s;
    }
  });
  double sptt = 0;
  for (double s : block_sptt) sptt += s;
  return sptt;
}

double shortest_path_total(const Network& net, const OdDemand& demand, const std::vector<double>& cost) {
  const std::size_t origins = demand.origin_count();
  if (origins == 0) return 0.0;
  const std::size_t blocks = std::min(kMaxBlocks, origins);
  std::vector<double> block_sptt(blocks, 0.0);
  tbb::enumerable_thread_specific<ShortestPathTree> trees;
  for_blocks(blocks, [&](std::size_t b) {
    ShortestPathTree& tree = trees.local();
    double sptt = 0;
    for (std::size_t o = b * origins / blocks; o < (b + 1) * origins / blocks; ++o) {
      shortest_path_tree(net, cost.data(), demand.origin_node[o], tree);
      for (std::int32_t k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k)
        sptt += demand.destination_flow[k] * tree.distance[demand.destination_node[k]];
    }
    block_sptt[b] = sptt;
  });
  double sptt = 0;
  for (double s : block_sptt) sptt += s;
  return sptt;
}

}  // namespace citytwin::traffic
