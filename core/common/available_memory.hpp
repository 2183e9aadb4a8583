#pragma once
// How much memory this process may still take: the smaller of the kernel's
// MemAvailable (/proc/meminfo) and the headroom of the process's cgroup
// (limit minus usage; cgroup v2 memory.max / memory.current, or v1
// memory.limit_in_bytes / memory.usage_in_bytes), as container limits apply
// before the machine's. The parsers take the files' text, so tests inject it.
#include <cstdint>
#include <optional>
#include <string_view>

namespace citytwin {

// Bytes available now; nullopt when neither source can be read (not Linux).
std::optional<std::uint64_t> available_memory_bytes();

// "MemAvailable:  123456 kB" of /proc/meminfo, in bytes.
std::optional<std::uint64_t> parse_meminfo_available(std::string_view meminfo);
// limit - usage; nullopt for no limit ("max", or v1's near-2^63 "unlimited").
std::optional<std::uint64_t> parse_cgroup_headroom(std::string_view limit, std::string_view usage);

}  // namespace citytwin
