#pragma once
// One origin's bush as Algorithm B stores it for every origin, and keeps
// across hours for warm starts: the part of the solver that grows as
// zones x network, so it holds only what the network's own arrays cannot
// give back.
//
// Per bush link: its link id (4 bytes) and this origin's flow on it (8 bytes).
// Nothing per node: the links are sorted by the topological position of their
// head, so the bush's nodes in topological order are the origin followed by
// each head the first time it appears, and a link's tail and head come from
// the network's global tail/head arrays.
//
// Flows stay double. Measured with 32-bit flows on Chicago-Sketch: the gap
// stalls at 7.9e-7 (162 iterations, never 1e-8), the objective sits 8.6e-7
// above the best known (double: 2.4e-10) and a link's flow is up to 6 % off
// the best-known flows (double: 0.34 % at gap 1e-6): a Newton shift near
// equilibrium is below a float's resolution of the flows it moves between.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace citytwin::traffic::bush_detail {

using BushFlow = double;  // see above

struct Bush {
  std::int32_t origin = 0;
  double negligible = 0;            // flows at or below this count as unused (rounding residue)
  std::vector<std::int32_t> links;  // bush links, sorted by the topological position of their head
  std::vector<BushFlow> flow;       // this origin's flow on links[p]

  // Heap and header bytes this bush holds (capacity, not size: what the
  // allocator really gave it).
  std::size_t bytes() const {
    return sizeof(Bush) + links.capacity() * sizeof(std::int32_t) + flow.capacity() * sizeof(BushFlow);
  }
};

// Calls visit(node) for the bush's nodes in topological order: the origin,
// then each link head the first time it appears.
template <class Visit>
void for_each_bush_node(const Bush& bush, const std::int32_t* head, Visit&& visit) {
  visit(bush.origin);
  std::int32_t last = -1;
  for (const std::int32_t a : bush.links)
    if (head[a] != last) {
      last = head[a];
      visit(last);
    }
}

}  // namespace citytwin::traffic::bush_detail
