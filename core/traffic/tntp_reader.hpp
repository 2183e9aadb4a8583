#pragma once
// Readers for the TNTP formats (https://github.com/bstabler/TransportationNetworks):
// network (*_net.tntp), trips (*_trips.tntp), best-known flows (*_flow.tntp) and
// node coordinates (*_node.tntp). Metadata tags (<NUMBER OF ZONES>, <FIRST THRU NODE>, ...),
// `~` comments, blank lines and `;` terminators are understood. Malformed input
// throws citytwin::InvalidInput naming the file and line; a missing file throws IoError.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace citytwin::traffic {

struct TntpLink {
  std::int32_t tail = 0;  // 1-based TNTP node ids
  std::int32_t head = 0;
  double capacity = 0;
  double length = 0;
  double free_flow_time = 0;
  double b = 0;
  double power = 0;
  double speed = 0;
  double toll = 0;
  std::int32_t type = 0;
  std::int64_t line = 0;  // where it was read (for later error messages)
};

struct TntpNetwork {
  std::string file;
  std::int32_t zones = 0;
  std::int32_t nodes = 0;
  std::int32_t first_thru_node = 1;
  std::vector<TntpLink> links;
  std::vector<std::string> warnings;
};

struct TntpOdEntry {
  std::int32_t origin = 0;  // 1-based zone ids
  std::int32_t destination = 0;
  double flow = 0;
  std::int64_t line = 0;
};

struct TntpTrips {
  std::string file;
  std::int32_t zones = 0;
  double declared_total = -1;  // <TOTAL OD FLOW>, -1 if absent
  double total = 0;            // sum of the entries read
  std::vector<TntpOdEntry> entries;  // in file order, zero flows dropped
  std::vector<std::string> warnings;
};

struct TntpFlow {
  std::int32_t tail = 0;
  std::int32_t head = 0;
  double volume = 0;
  double cost = 0;
};

struct TntpNode {
  std::int32_t id = 0;
  double x = 0;
  double y = 0;
};

TntpNetwork read_tntp_network(const std::filesystem::path& path);
TntpTrips read_tntp_trips(const std::filesystem::path& path);
std::vector<TntpFlow> read_tntp_flows(const std::filesystem::path& path);
std::vector<TntpNode> read_tntp_nodes(const std::filesystem::path& path);

// The same readers over text already in memory (`name` is used in messages).
TntpNetwork parse_tntp_network(const std::string& text, const std::string& name);
TntpTrips parse_tntp_trips(const std::string& text, const std::string& name);
std::vector<TntpFlow> parse_tntp_flows(const std::string& text, const std::string& name);

}  // namespace citytwin::traffic
