#include "core/common/available_memory.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace citytwin {

namespace {

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::uint64_t> leading_number(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  text.remove_prefix(first);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  return v;
}

// This process's cgroup path for a hierarchy ("0::/path" for v2, "4:memory:/path" for v1's memory
// controller) in /proc/self/cgroup; "/" when not listed.
std::string own_cgroup(std::string_view controller) {
  if (const auto self = slurp("/proc/self/cgroup")) {
    std::istringstream lines(*self);
    std::string line;
    while (std::getline(lines, line)) {
      const auto a = line.find(':'), b = line.find(':', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      if (std::string_view(line).substr(a + 1, b - a - 1) == controller) return line.substr(b + 1);
    }
  }
  return "/";
}

std::optional<std::uint64_t> cgroup_headroom() {
  // The process's own cgroup first, then the root of the mount (a container's namespace root).
  for (const std::string& dir : {"/sys/fs/cgroup" + own_cgroup(""), std::string("/sys/fs/cgroup")}) {
    const auto limit = slurp(dir + "/memory.max"), usage = slurp(dir + "/memory.current");
    if (limit && usage) return parse_cgroup_headroom(*limit, *usage);
  }
  for (const std::string& dir : {"/sys/fs/cgroup/memory" + own_cgroup("memory"), std::string("/sys/fs/cgroup/memory")}) {
    const auto limit = slurp(dir + "/memory.limit_in_bytes"), usage = slurp(dir + "/memory.usage_in_bytes");
    if (limit && usage) return parse_cgroup_headroom(*limit, *usage);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_meminfo_available(std::string_view meminfo) {
  constexpr std::string_view key = "MemAvailable:";
  const auto at = meminfo.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = meminfo.substr(at + key.size());
  const auto kb = leading_number(rest.substr(0, rest.find('\n')));
  if (!kb || *kb > (UINT64_MAX >> 10)) return std::nullopt;
  return *kb << 10;  // the kernel's "kB" is KiB
}

std::optional<std::uint64_t> parse_cgroup_headroom(std::string_view limit, std::string_view usage) {
  const auto l = leading_number(limit);
  if (!l || *l >= (std::uint64_t{1} << 60)) return std::nullopt;  // "max", or v1's page-rounded 2^63
  const auto u = leading_number(usage).value_or(0);
  return *l > u ? *l - u : 0;
}

std::optional<std::uint64_t> available_memory_bytes() {
  std::optional<std::uint64_t> best;
  if (const auto meminfo = slurp("/proc/meminfo")) best = parse_meminfo_available(*meminfo);
  if (const auto cg = cgroup_headroom()) best = best ? std::min(*best, *cg) : *cg;
  return best;
}

}  // namespace citytwin
