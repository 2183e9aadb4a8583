// Skim matrices: zone-to-zone times equal the shortest-path costs of the
// equilibrium link costs, checked against Boost Graph's Dijkstra over the TNTP
// file's links (not the solver's CSR); a hand-calculated toy; bad input.
#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/skims.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/core/traffic/test_networks.hpp"

namespace citytwin::traffic {
namespace {

std::string data(const std::string& folder, const std::string& file) {
  return std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/" + folder + "/" + file;
}

// The TNTP file's links as a Boost graph on TNTP node ids (vertex 0 unused).
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    boost::property<boost::edge_index_t, std::size_t>>;

struct BoostPaths {
  std::vector<double> distance;
  std::vector<Graph::vertex_descriptor> pred;
};

// Dijkstra from TNTP node `origin` with weight[k] on file link k; links leaving
// a zone below <FIRST THRU NODE> other than the origin are closed (the
// solver's rule that centroids are never passed through).
BoostPaths boost_dijkstra(const TntpNetwork& tntp, const Graph& g, const std::vector<double>& weight, int origin) {
  std::vector<double> w(weight);
  for (std::size_t k = 0; k < tntp.links.size(); ++k) {
    const int tail = tntp.links[k].tail;
    if (tail != origin && tail < tntp.first_thru_node && tail <= tntp.zones) w[k] = std::numeric_limits<double>::max();
  }
  BoostPaths p;
  p.distance.assign(boost::num_vertices(g), 0);
  p.pred.assign(boost::num_vertices(g), 0);
  boost::dijkstra_shortest_paths(
      g, static_cast<Graph::vertex_descriptor>(origin),
      boost::weight_map(boost::make_iterator_property_map(w.begin(), boost::get(boost::edge_index, g)))
          .distance_map(boost::make_iterator_property_map(p.distance.begin(), boost::get(boost::vertex_index, g)))
          .predecessor_map(boost::make_iterator_property_map(p.pred.begin(), boost::get(boost::vertex_index, g))));
  return p;
}

Graph boost_graph(const TntpNetwork& tntp) {
  Graph g(static_cast<std::size_t>(tntp.nodes) + 1);
  for (std::size_t k = 0; k < tntp.links.size(); ++k)
    boost::add_edge(static_cast<std::size_t>(tntp.links[k].tail), static_cast<std::size_t>(tntp.links[k].head), k, g);
  return g;
}

struct Case {
  std::string folder, prefix;
  CostWeights weights;
  double km_per_length_unit;
};

// Assigns the network, skims it, and checks every OD pair against Boost.
void check_against_boost(const Case& c) {
  const TntpNetwork tntp = read_tntp_network(data(c.folder, c.prefix + "_net.tntp"));
  const Network net = build_network(tntp, c.weights);
  const OdDemand demand = build_demand(net, read_tntp_trips(data(c.folder, c.prefix + "_trips.tntp")));
  AssignmentOptions options;
  options.target_gap = 1e-5;  // any flows do: the skims are exact for the costs they are given
  const AssignmentResult r = assign(net, demand, options);
  ASSERT_LE(r.measures.relative_gap, 1e-5);

  const SkimCostParameters p{.value_of_time_per_h = 15, .cost_per_km = 0.3};
  const SkimMatrices s = compute_skims(net, assignment_link_costs(net, r, c.km_per_length_unit), p);
  const auto Z = static_cast<std::size_t>(tntp.zones);
  ASSERT_EQ(s.zones, tntp.zones);
  ASSERT_EQ(s.time_min.size(), Z * Z);

  // File-order link costs, times, lengths and tolls from the assignment result.
  const std::size_t m = tntp.links.size();
  std::vector<double> route(m), time(m), length(m), toll(m);
  for (std::size_t k = 0; k < m; ++k) {
    const std::int32_t a = net.internal_link[k];
    route[k] = r.cost[a];
    time[k] = bpr_time(net.coefficients[a], r.flow[a]);
    length[k] = tntp.links[k].length * c.km_per_length_unit;
    toll[k] = tntp.links[k].toll;
  }
  const Graph g = boost_graph(tntp);
  double sptt = 0;
  std::size_t reached = 0;
  for (std::size_t i = 0; i < Z; ++i) {
    const int origin = static_cast<int>(i + 1);
    const BoostPaths bp = boost_dijkstra(tntp, g, route, origin);
    for (std::size_t j = 0; j < Z; ++j) {
      const int dest = static_cast<int>(j + 1);
      const std::size_t ij = i * Z + j;
      if (bp.distance[dest] == std::numeric_limits<double>::max()) {
        EXPECT_TRUE(std::isinf(s.time_min[ij])) << origin << "->" << dest;
        continue;
      }
      ++reached;
      // Walk Boost's path: its time, length and toll (no ties at congested costs).
      double t = 0, d = 0, toll_sum = 0;
      for (int v = dest; v != origin;) {
        const int u = static_cast<int>(bp.pred[v]);
        std::size_t best = m;
        for (auto [e, end] = boost::out_edges(u, g); e != end; ++e)
          if (static_cast<int>(boost::target(*e, g)) == v) {
            const std::size_t k = boost::get(boost::edge_index, g, *e);
            if (best == m || route[k] < route[best]) best = k;
          }
        t += time[best];
        d += length[best];
        toll_sum += toll[best];
        v = u;
      }
      const double tol = 1e-9 * std::max(1.0, bp.distance[dest]);
      // The route cost along the skim's tree, rebuilt from the three skims.
      const double skim_toll = s.cost[ij] - p.value_of_time_per_h * s.time_min[ij] / 60 - p.cost_per_km * s.distance_km[ij];
      const double skim_route = s.time_min[ij] + c.weights.toll_factor * skim_toll +
                                c.weights.distance_factor * s.distance_km[ij] / c.km_per_length_unit;
      EXPECT_NEAR(skim_route, bp.distance[dest], tol) << origin << "->" << dest;
      EXPECT_NEAR(s.time_min[ij], t, tol) << origin << "->" << dest;
      EXPECT_NEAR(s.distance_km[ij], d, tol) << origin << "->" << dest;
      EXPECT_NEAR(skim_toll, toll_sum, 1e-6) << origin << "->" << dest;
      if (c.weights.toll_factor == 0 && c.weights.distance_factor == 0) {
        EXPECT_NEAR(s.time_min[ij], bp.distance[dest], tol) << "times are the shortest-path costs: " << origin << "->" << dest;
      }
    }
    for (std::size_t o = 0; o < demand.origin_count(); ++o)
      if (net.tntp_node[demand.origin_node[o]] == origin)
        for (std::int32_t k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k)
          sptt += demand.destination_flow[k] * bp.distance[net.tntp_node[demand.destination_node[k]]];
  }
  EXPECT_GT(reached, Z * (Z - 1) / 2);
  // Demand times the skimmed route costs is the assignment's own SPTT.
  EXPECT_NEAR(sptt, r.measures.sptt, 1e-9 * r.measures.sptt);
}

TEST(Skims, SiouxFallsTimesAreTheShortestPathCostsOfTheEquilibrium) {
  check_against_boost({"SiouxFalls", "SiouxFalls", {}, 1.0});
}

// Chicago-Sketch: centroids are never passed through, and the equilibrium's
// generalised cost has toll and distance terms (README: 0.02, 0.04), so the
// trees minimise that cost, not time; lengths in miles.
TEST(Skims, ChicagoSketchFollowsTheGeneralisedCostAndSkipsCentroids) {
  check_against_boost({"Chicago-Sketch", "ChicagoSketch", {0.02, 0.04}, 1.609344});
}

// Hand calculation on the Pigou network with demand 0.5 (below the point where
// the constant link is used): all flow on link 2, time 1 + 0.5^4 = 1.0625.
TEST(Skims, PigouNetworkByHand) {
  std::string net_text = testing::kPigouNet;
  // link 1: length 3, toll 0; link 2: length 1, toll 0.5
  net_text.replace(net_text.find("1 2 1 0 2 0 4 0 0 1"), 19, "1 2 1 3 2 0 4 0 0 1");
  net_text.replace(net_text.find("1 2 1 0 1 1 4 0 0 1"), 19, "1 2 1 1 1 1 4 0 0.5 1");
  const Network net = build_network(parse_tntp_network(net_text, "pigou"), {});
  std::string trips = testing::kPigouTrips;
  trips.replace(trips.find("3.0;"), 4, "0.5;");
  trips.replace(trips.find("<TOTAL OD FLOW> 3.0"), 19, "<TOTAL OD FLOW> 0.5");
  const OdDemand demand = build_demand(net, parse_tntp_trips(trips, "pigou"));
  AssignmentOptions options;
  options.target_gap = 1e-12;
  const AssignmentResult r = assign(net, demand, options);
  const SkimMatrices s = compute_skims(net, assignment_link_costs(net, r), {.value_of_time_per_h = 12, .cost_per_km = 0.2});
  ASSERT_EQ(s.zones, 2);
  EXPECT_NEAR(s.time_min[1], 1.0625, 1e-9);  // 1 -> 2
  EXPECT_NEAR(s.distance_km[1], 1.0, 1e-12);
  EXPECT_NEAR(s.cost[1], 12 * 1.0625 / 60 + 0.2 * 1 + 0.5, 1e-9);
  EXPECT_EQ(s.time_min[0], 0);  // the diagonal
  EXPECT_TRUE(std::isinf(s.time_min[2]) && std::isinf(s.distance_km[2]) && std::isinf(s.cost[2]));  // 2 -> 1: no link
}

TEST(Skims, MatrixNamesFollowTheKeyDoubleUnderscorePeriodConvention) {
  SkimTable t;
  EXPECT_EQ(skim_matrix_name(kSkimQuantities[0], t), "time_min");
  t.hour = 8;
  EXPECT_EQ(skim_matrix_name(kSkimQuantities[0], t), "time_min__h08");
  EXPECT_EQ(skim_matrix_name(kSkimQuantities[1], t), "distance_km__h08");
  t.vehicle_class = "truck";
  t.hour = 17;
  EXPECT_EQ(skim_matrix_name(kSkimQuantities[2], t), "truck_cost__h17");
}

TEST(Skims, BadLinkCostsAreRejectedNamingTheField) {
  const Network net = build_network(parse_tntp_network(testing::kBraessNet, "braess"), {});
  SkimLinkCosts c;
  c.route_cost.assign(5, 1.0);
  c.time_min.assign(5, 1.0);
  c.length_km.assign(4, 1.0);
  try {
    compute_skims(net, c, {});
    ADD_FAILURE() << "expected an error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("length_km"), std::string::npos) << e.what();
  }
  c.length_km.assign(5, 1.0);
  c.route_cost[2] = -1;
  try {
    compute_skims(net, c, {});
    ADD_FAILURE() << "expected an error";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("route_cost"), std::string::npos) << e.what();
  }
  c.route_cost[2] = 1;
  EXPECT_THROW(compute_skims(net, c, {.value_of_time_per_h = std::nan(""), .cost_per_km = 0}), InvalidInput);
}

}  // namespace
}  // namespace citytwin::traffic
