// TNTP readers: the shared files, and every kind of bad input named in the issue.
#include <gtest/gtest.h>

#include <string>

#include "core/common/errors.hpp"
#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/core/traffic/test_networks.hpp"

namespace citytwin::traffic {
namespace {

std::string tntp(const std::string& file) { return std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/" + file; }

TEST(TntpReader, ReadsTheSharedNetworks) {
  const TntpNetwork sioux = read_tntp_network(tntp("SiouxFalls/SiouxFalls_net.tntp"));
  EXPECT_EQ(sioux.zones, 24);
  EXPECT_EQ(sioux.nodes, 24);
  EXPECT_EQ(sioux.links.size(), 76u);
  EXPECT_EQ(sioux.first_thru_node, 1);
  EXPECT_DOUBLE_EQ(sioux.links[0].capacity, 25900.20064);
  const TntpNetwork anaheim = read_tntp_network(tntp("Anaheim/Anaheim_net.tntp"));
  EXPECT_EQ(anaheim.first_thru_node, 39);
  EXPECT_EQ(anaheim.links.size(), 914u);
  const TntpNetwork chicago = read_tntp_network(tntp("Chicago-Sketch/ChicagoSketch_net.tntp"));
  EXPECT_EQ(chicago.links.size(), 2950u);
  EXPECT_EQ(chicago.zones, 387);
}

TEST(TntpReader, ReadsTripsFlowsAndNodes) {
  const TntpTrips trips = read_tntp_trips(tntp("Chicago-Sketch/ChicagoSketch_trips.tntp"));
  EXPECT_EQ(trips.zones, 387);
  EXPECT_NEAR(trips.total, 1260907.44, 1e-3);
  EXPECT_TRUE(trips.warnings.empty());
  const TntpTrips sioux = read_tntp_trips(tntp("SiouxFalls/SiouxFalls_trips.tntp"));
  EXPECT_DOUBLE_EQ(sioux.total, 360600.0);
  EXPECT_EQ(sioux.entries.size(), 528u);  // zero entries are dropped
  const auto flows = read_tntp_flows(tntp("SiouxFalls/SiouxFalls_flow.tntp"));
  ASSERT_EQ(flows.size(), 76u);
  EXPECT_EQ(flows[0].tail, 1);
  EXPECT_EQ(flows[0].head, 2);
  EXPECT_NEAR(flows[0].volume, 4494.6576464564205, 1e-9);
  const auto nodes = read_tntp_nodes(tntp("SiouxFalls/SiouxFalls_node.tntp"));
  ASSERT_EQ(nodes.size(), 24u);
  EXPECT_NEAR(nodes[0].x, -96.77041974, 1e-9);
}

TEST(TntpReader, CommentsBlankLinesAndTerminatorsAreOptional) {
  const std::string text =
      "~ a comment before the metadata\n<NUMBER OF ZONES> 2\n\n<NUMBER OF NODES> 2 ~ trailing\n"
      "<NUMBER OF LINKS> 2\n<END OF METADATA>\n\n~ init term ...\n\t1\t2\t1\t0\t1\t0.15\t4\t;\n"
      "2 1 1 0 1 0.15 4 0 0 1\n";
  const TntpNetwork net = parse_tntp_network(text, "inline");
  ASSERT_EQ(net.links.size(), 2u);
  EXPECT_EQ(net.links[1].tail, 2);
  EXPECT_EQ(net.links[0].line, 9);
}

// Expects InvalidInput whose message names the file, the line and `words`.
void expect_invalid(const std::function<void()>& f, const std::string& file, std::int64_t line,
                    const std::string& words) {
  try {
    f();
    ADD_FAILURE() << "no error for: " << words;
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().file, file) << e.what();
    if (line > 0) {
      ASSERT_TRUE(e.where().line.has_value()) << e.what();
      EXPECT_EQ(*e.where().line, line) << e.what();
    }
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

const std::string kHeader = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n";

TEST(TntpReaderErrors, ZeroOrNegativeCapacity) {
  expect_invalid([] { parse_tntp_network(kHeader + "1 3 0 1 1 0.15 4 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "capacity must be positive");
  expect_invalid([] { parse_tntp_network(kHeader + "1 3 -5 1 1 0.15 4 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "capacity must be positive");
}

TEST(TntpReaderErrors, LinkToUnknownNode) {
  expect_invalid([] { parse_tntp_network(kHeader + "1 7 10 1 1 0.15 4 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "term_node 7 is not a node");
}

TEST(TntpReaderErrors, NotANumber) {
  expect_invalid([] { parse_tntp_network(kHeader + "1 3 nan 1 1 0.15 4 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "not a finite number");
  expect_invalid([] { parse_tntp_network(kHeader + "1 3 10 1 abc 0.15 4 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "free_flow_time");
  expect_invalid([] { parse_tntp_trips("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : NaN ;\n", "t"); },
                 "t", 4, "not a finite number");
}

TEST(TntpReaderErrors, MalformedMetadata) {
  expect_invalid([] { parse_tntp_network("<NUMBER OF ZONES 2\n", "bad.tntp"); }, "bad.tntp", 1, "closing '>'");
  expect_invalid([] { parse_tntp_network("<NUMBER OF ZONES> two\n<END OF METADATA>\n", "bad.tntp"); }, "bad.tntp",
                 1, "not an integer");
  expect_invalid([] { parse_tntp_network("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n", "bad.tntp"); }, "bad.tntp",
                 2, "missing <END OF METADATA>");
  expect_invalid([] { parse_tntp_network("<NUMBER OF ZONES> 2\n<END OF METADATA>\n", "bad.tntp"); }, "bad.tntp", 0,
                 "missing metadata tag <NUMBER OF NODES>");
  expect_invalid([] { parse_tntp_network("1 2 3\n", "bad.tntp"); }, "bad.tntp", 1, "expected a metadata tag");
}

TEST(TntpReaderErrors, LinkCountAndFieldCount) {
  expect_invalid([] { parse_tntp_network(kHeader, "bad.tntp"); }, "bad.tntp", 0, "<NUMBER OF LINKS> is 1");
  expect_invalid([] { parse_tntp_network(kHeader + "1 3 10 1 ;\n", "bad.tntp"); }, "bad.tntp", 5,
                 "at least 7 fields");
}

TEST(TntpReaderErrors, OdToUnknownZone) {
  expect_invalid([] { parse_tntp_trips("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 5 : 1 ;\n", "t"); },
                 "t", 4, "destination zone 5 is not a zone");
  expect_invalid([] { parse_tntp_trips("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 9\n", "t"); }, "t", 3,
                 "origin zone 9");
  expect_invalid([] { parse_tntp_trips("<NUMBER OF ZONES> 2\n<END OF METADATA>\n 2 : 1 ;\n", "t"); }, "t", 3,
                 "before the first 'Origin");
  // A trips file for another network.
  const Network net = build_network(parse_tntp_network(testing::kPigouNet, "pigou"), {});
  expect_invalid([&] { build_demand(net, parse_tntp_trips("<NUMBER OF ZONES> 3\n<END OF METADATA>\n", "t")); },
                 "t", 0, "declares 3 zones");
}

TEST(TntpReaderErrors, TotalMismatchIsAWarning) {
  const TntpTrips trips =
      parse_tntp_trips("<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 5\n<END OF METADATA>\nOrigin 1\n 2 : 1 ;\n", "t");
  ASSERT_EQ(trips.warnings.size(), 1u);
  EXPECT_NE(trips.warnings[0].find("TOTAL OD FLOW"), std::string::npos);
}

TEST(TntpReaderErrors, MissingFileIsAnIoError) {
  EXPECT_THROW(read_tntp_network("/nonexistent/x_net.tntp"), IoError);
}

TEST(Network, RenumbersButKeepsTheFileOrderMaps) {
  const TntpNetwork file = read_tntp_network(tntp("Anaheim/Anaheim_net.tntp"));
  const Network net = build_network(file, {});
  ASSERT_EQ(net.link_count, 914);
  for (std::size_t k = 0; k < file.links.size(); ++k) {
    const std::int32_t a = net.internal_link[k];
    EXPECT_EQ(net.file_link[a], static_cast<std::int32_t>(k));
    EXPECT_EQ(net.tntp_node[net.tail[a]], file.links[k].tail);
    EXPECT_EQ(net.tntp_node[net.head[a]], file.links[k].head);
  }
  for (std::int32_t u = 0; u < net.node_count; ++u)
    for (std::int32_t a = net.out_offset[u]; a < net.out_offset[u + 1]; ++a) EXPECT_EQ(net.tail[a], u);
  int centroids = 0;
  for (const auto c : net.no_through) centroids += c;
  EXPECT_EQ(centroids, 38);
}

}  // namespace
}  // namespace citytwin::traffic
