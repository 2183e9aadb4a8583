#include "core/traffic/tntp_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"
#include "core/traffic/numeric_guards.hpp"

namespace citytwin::traffic {
namespace {

std::string read_file(const std::filesystem::path& path) {
  require_regular_file(path, "the TNTP file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open TNTP file", SourceLocation{.file = path.string()});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read TNTP file", SourceLocation{.file = path.string()});
  return buffer.str();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Walks a text line by line, keeping the 1-based line number for messages.
class LineReader {
 public:
  LineReader(const std::string& text, std::string name) : text_(text), name_(std::move(name)) {}

  bool next(std::string_view& line) {
    if (offset_ >= text_.size()) return false;
    const std::size_t end = text_.find('\n', offset_);
    const std::size_t stop = end == std::string::npos ? text_.size() : end;
    line = std::string_view(text_).substr(offset_, stop - offset_);
    offset_ = stop + 1;
    ++line_;
    return true;
  }
  std::int64_t line() const { return line_; }
  const std::string& name() const { return name_; }

  [[noreturn]] void fail(const std::string& message) const {
    throw InvalidInput(message, SourceLocation{.file = name_, .line = line_});
  }

 private:
  const std::string& text_;
  std::string name_;
  std::size_t offset_ = 0;
  std::int64_t line_ = 0;
};

// Removes a `~` comment and surrounding blanks.
std::string_view strip_comment(std::string_view line) {
  const std::size_t tilde = line.find('~');
  if (tilde != std::string_view::npos) line = line.substr(0, tilde);
  return trim(line);
}

// Splits on blanks and ';' (the TNTP record terminator).
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (is_space(line[i]) || line[i] == ';')) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != ';') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

double to_double(const LineReader& reader, std::string_view token, const char* what) {
  double value = 0;
  const char* first = token.data();
  const char* last = token.data() + token.size();
  if (!token.empty() && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last)
    reader.fail(std::string("cannot read ") + what + " from '" + std::string(token) + "'");
  if (!std::isfinite(value))
    reader.fail(std::string(what) + " is not a finite number ('" + std::string(token) + "')");
  return value;
}

void at_most(const LineReader& reader, double value, double bound, const char* what) {
  if (value > bound) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " is %g, above the largest accepted %g", value, bound);
    reader.fail(std::string(what) + buf);
  }
}

std::int32_t to_int(const LineReader& reader, std::string_view token, const char* what) {
  const double value = to_double(reader, token, what);
  if (value != std::floor(value) || value < -2147483648.0 || value > 2147483647.0)
    reader.fail(std::string(what) + " must be an integer, got '" + std::string(token) + "'");
  return static_cast<std::int32_t>(value);
}

// Reads `<TAG> value` lines up to <END OF METADATA>. Returns tag -> (value, line).
struct Metadata {
  std::map<std::string, std::pair<std::string, std::int64_t>> tags;
  bool ended = false;
};

Metadata read_metadata(LineReader& reader) {
  Metadata meta;
  std::string_view raw;
  while (reader.next(raw)) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '~') continue;
    if (line.front() != '<') reader.fail("expected a metadata tag like <NUMBER OF NODES> or <END OF METADATA>");
    const std::size_t close = line.find('>');
    if (close == std::string_view::npos) reader.fail("malformed metadata tag (no closing '>')");
    std::string tag(trim(line.substr(1, close - 1)));
    for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (tag == "END OF METADATA") {
      meta.ended = true;
      return meta;
    }
    if (tag.empty()) reader.fail("empty metadata tag '<>'");
    meta.tags[tag] = {std::string(strip_comment(line.substr(close + 1))), reader.line()};
  }
  reader.fail("missing <END OF METADATA>");
}

// A required or optional integer tag.
std::optional<std::int32_t> int_tag(const LineReader& reader, const Metadata& meta, const std::string& tag,
                                    bool required) {
  const auto it = meta.tags.find(tag);
  if (it == meta.tags.end()) {
    if (required)
      throw InvalidInput("missing metadata tag <" + tag + ">", SourceLocation{.file = reader.name()});
    return std::nullopt;
  }
  const auto parts = fields(it->second.first);
  SourceLocation where{.file = reader.name(), .line = it->second.second};
  if (parts.size() != 1) throw InvalidInput("metadata <" + tag + "> needs one integer value", where);
  int value = 0;
  const auto [ptr, ec] = std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), value);
  if (ec != std::errc() || ptr != parts[0].data() + parts[0].size())
    throw InvalidInput("metadata <" + tag + "> is not an integer: '" + std::string(parts[0]) + "'", where);
  if (value < 0) throw InvalidInput("metadata <" + tag + "> is negative", where);
  return value;
}

}  // namespace

TntpNetwork parse_tntp_network(const std::string& text, const std::string& name) {
  LineReader reader(text, name);
  const Metadata meta = read_metadata(reader);
  TntpNetwork net;
  net.file = name;
  net.zones = *int_tag(reader, meta, "NUMBER OF ZONES", true);
  net.nodes = *int_tag(reader, meta, "NUMBER OF NODES", true);
  const std::int32_t declared_links = *int_tag(reader, meta, "NUMBER OF LINKS", true);
  net.first_thru_node = int_tag(reader, meta, "FIRST THRU NODE", false).value_or(1);
  if (net.nodes <= 0) throw InvalidInput("<NUMBER OF NODES> must be positive", SourceLocation{.file = name});
  if (net.zones > net.nodes)
    throw InvalidInput("<NUMBER OF ZONES> exceeds <NUMBER OF NODES>", SourceLocation{.file = name});
  net.links.reserve(static_cast<std::size_t>(declared_links));

  std::string_view raw;
  while (reader.next(raw)) {
    const std::string_view line = strip_comment(raw);
    if (line.empty()) continue;
    const auto f = fields(line);
    if (f.empty()) continue;
    if (f.size() < 7)
      reader.fail("a link needs at least 7 fields (init_node term_node capacity length free_flow_time b power), got " +
                  std::to_string(f.size()));
    if (f.size() > 10) reader.fail("a link has at most 10 fields, got " + std::to_string(f.size()));
    TntpLink link;
    link.line = reader.line();
    link.tail = to_int(reader, f[0], "init_node");
    link.head = to_int(reader, f[1], "term_node");
    link.capacity = to_double(reader, f[2], "capacity");
    link.length = to_double(reader, f[3], "length");
    link.free_flow_time = to_double(reader, f[4], "free_flow_time");
    link.b = to_double(reader, f[5], "b");
    link.power = to_double(reader, f[6], "power");
    if (f.size() > 7) link.speed = to_double(reader, f[7], "speed");
    if (f.size() > 8) link.toll = to_double(reader, f[8], "toll");
    if (f.size() > 9) link.type = to_int(reader, f[9], "link_type");
    for (const auto& [id, what] : {std::pair{link.tail, "init_node"}, std::pair{link.head, "term_node"}})
      if (id < 1 || id > net.nodes)
        reader.fail(std::string(what) + " " + std::to_string(id) + " is not a node (the file declares " +
                    std::to_string(net.nodes) + " nodes)");
    if (link.tail == link.head) reader.fail("link from node " + std::to_string(link.tail) + " to itself");
    if (!(link.capacity > 0)) reader.fail("capacity must be positive, got " + std::string(f[2]));
    if (link.free_flow_time < 0) reader.fail("free_flow_time must not be negative");
    if (link.length < 0) reader.fail("length must not be negative");
    if (link.b < 0) reader.fail("b must not be negative");
    if (link.power < 0) reader.fail("power must not be negative");
    if (link.toll < 0) reader.fail("toll must not be negative");
    // Upper bounds: beyond them the BPR powers overflow during a solve.
    at_most(reader, link.capacity, kMaxLinkCapacity, "capacity");
    at_most(reader, link.free_flow_time, kMaxLinkTime, "free_flow_time");
    at_most(reader, link.length, kMaxLinkLength, "length");
    at_most(reader, link.b, kMaxBprB, "b");
    at_most(reader, link.power, kMaxBprPower, "power");
    at_most(reader, link.toll, kMaxToll, "toll");
    net.links.push_back(link);
  }
  if (static_cast<std::int32_t>(net.links.size()) != declared_links)
    throw InvalidInput("<NUMBER OF LINKS> is " + std::to_string(declared_links) + " but the file has " +
                           std::to_string(net.links.size()) + " links",
                       SourceLocation{.file = name});
  return net;
}

TntpTrips parse_tntp_trips(const std::string& text, const std::string& name) {
  LineReader reader(text, name);
  const Metadata meta = read_metadata(reader);
  TntpTrips trips;
  trips.file = name;
  trips.zones = *int_tag(reader, meta, "NUMBER OF ZONES", true);
  if (const auto it = meta.tags.find("TOTAL OD FLOW"); it != meta.tags.end()) {
    const auto parts = fields(it->second.first);
    if (parts.size() != 1)
      throw InvalidInput("metadata <TOTAL OD FLOW> needs one number",
                         SourceLocation{.file = name, .line = it->second.second});
    double value = 0;
    const auto [ptr, ec] = std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), value);
    if (ec != std::errc() || ptr != parts[0].data() + parts[0].size() || !std::isfinite(value))
      throw InvalidInput("metadata <TOTAL OD FLOW> is not a number",
                         SourceLocation{.file = name, .line = it->second.second});
    trips.declared_total = value;
  }

  std::int32_t origin = 0;
  std::string_view raw;
  while (reader.next(raw)) {
    std::string_view line = strip_comment(raw);
    if (line.empty()) continue;
    if (line.size() >= 6 && (line.substr(0, 6) == "Origin" || line.substr(0, 6) == "origin")) {
      const auto f = fields(line.substr(6));
      if (f.size() != 1) reader.fail("expected 'Origin <zone>'");
      origin = to_int(reader, f[0], "origin zone");
      if (origin < 1 || origin > trips.zones)
        reader.fail("origin zone " + std::to_string(origin) + " is not a zone (the file declares " +
                    std::to_string(trips.zones) + " zones)");
      continue;
    }
    if (origin == 0) reader.fail("OD entries before the first 'Origin <zone>' line");
    // A sequence of "destination : flow ;" entries.
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (is_space(line[i]) || line[i] == ';')) ++i;
      if (i >= line.size()) break;
      const std::size_t colon = line.find(':', i);
      if (colon == std::string_view::npos) reader.fail("expected 'destination : flow;'");
      const std::string_view dest_token = trim(line.substr(i, colon - i));
      std::size_t j = colon + 1;
      while (j < line.size() && is_space(line[j])) ++j;
      std::size_t k = j;
      while (k < line.size() && !is_space(line[k]) && line[k] != ';') ++k;
      TntpOdEntry entry;
      entry.line = reader.line();
      entry.origin = origin;
      entry.destination = to_int(reader, dest_token, "destination zone");
      entry.flow = to_double(reader, line.substr(j, k - j), "OD flow");
      if (entry.destination < 1 || entry.destination > trips.zones)
        reader.fail("destination zone " + std::to_string(entry.destination) + " is not a zone (the file declares " +
                    std::to_string(trips.zones) + " zones)");
      if (entry.flow < 0) reader.fail("OD flow must not be negative");
      at_most(reader, entry.flow, kMaxOdTrips, "OD flow");
      trips.total += entry.flow;
      if (entry.flow > 0) trips.entries.push_back(entry);
      i = k;
    }
  }
  if (trips.declared_total >= 0 &&
      std::abs(trips.total - trips.declared_total) > 1e-6 * std::max(1.0, trips.declared_total))
    trips.warnings.push_back(name + ": <TOTAL OD FLOW> is " + std::to_string(trips.declared_total) +
                             " but the entries sum to " + std::to_string(trips.total));
  return trips;
}

std::vector<TntpFlow> parse_tntp_flows(const std::string& text, const std::string& name) {
  LineReader reader(text, name);
  std::vector<TntpFlow> flows;
  std::string_view raw;
  bool header = true;
  while (reader.next(raw)) {
    const std::string_view line = strip_comment(raw);
    if (line.empty()) continue;
    const auto f = fields(line);
    if (header && !f.empty() && !(f[0][0] >= '0' && f[0][0] <= '9')) {
      header = false;  // "From To Volume Cost"
      continue;
    }
    header = false;
    if (f.size() < 3) reader.fail("a flow record needs 'from to volume [cost]'");
    TntpFlow flow;
    flow.tail = to_int(reader, f[0], "from node");
    flow.head = to_int(reader, f[1], "to node");
    flow.volume = to_double(reader, f[2], "volume");
    if (f.size() > 3) flow.cost = to_double(reader, f[3], "cost");
    flows.push_back(flow);
  }
  return flows;
}

TntpNetwork read_tntp_network(const std::filesystem::path& path) {
  return parse_tntp_network(read_file(path), path.string());
}

TntpTrips read_tntp_trips(const std::filesystem::path& path) {
  return parse_tntp_trips(read_file(path), path.string());
}

std::vector<TntpFlow> read_tntp_flows(const std::filesystem::path& path) {
  return parse_tntp_flows(read_file(path), path.string());
}

std::vector<TntpNode> read_tntp_nodes(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  LineReader reader(text, path.string());
  std::vector<TntpNode> nodes;
  std::string_view raw;
  bool header = true;
  while (reader.next(raw)) {
    const std::string_view line = strip_comment(raw);
    if (line.empty()) continue;
    const auto f = fields(line);
    if (f.empty() || f[0].empty()) continue;  // separators only (";", tabs)
    if (header && !(f[0][0] >= '0' && f[0][0] <= '9') && f[0][0] != '-') {
      header = false;  // "node X Y ;"
      continue;
    }
    header = false;
    if (f.size() < 3) reader.fail("a node record needs 'node x y'");
    nodes.push_back({to_int(reader, f[0], "node"), to_double(reader, f[1], "x"), to_double(reader, f[2], "y")});
  }
  return nodes;
}

}  // namespace citytwin::traffic
