#include "geo/osm/pbf_structure.hpp"

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/errors.hpp"

namespace citytwin::geo {

namespace {

constexpr std::uint32_t kMaxHeader = 64 * 1024;          // BlobHeader limit (OSM PBF spec)
constexpr std::uint64_t kMaxBlob = 32 * 1024 * 1024;     // Blob limit, compressed and raw

// A protobuf message, field by field: only what the check needs.
class Proto {
 public:
  explicit Proto(std::string_view b) : b_(b) {}
  // Next field: number, wire type, and for length-delimited fields the bytes;
  // false at the end. Throws std::runtime_error on malformed framing.
  bool next(std::uint32_t& field, std::uint32_t& wire, std::uint64_t& value, std::string_view& bytes) {
    if (pos_ >= b_.size()) return false;
    const std::uint64_t key = varint();
    field = static_cast<std::uint32_t>(key >> 3);
    wire = static_cast<std::uint32_t>(key & 7);
    switch (wire) {
      case 0: value = varint(); break;
      case 1: skip(8); break;
      case 5: skip(4); break;
      case 2: {
        const std::uint64_t n = varint();
        if (n > b_.size() - pos_) throw std::runtime_error("a field runs past the end of its message");
        bytes = b_.substr(pos_, n);
        pos_ += n;
        break;
      }
      default: throw std::runtime_error("unknown protobuf wire type " + std::to_string(wire));
    }
    return true;
  }

 private:
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) throw std::runtime_error("a number runs past the end of its message");
      const auto c = static_cast<unsigned char>(b_[pos_++]);
      v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return v;
    }
    throw std::runtime_error("a number longer than 10 bytes");
  }
  void skip(std::size_t n) {
    if (n > b_.size() - pos_) throw std::runtime_error("a field runs past the end of its message");
    pos_ += n;
  }
  std::string_view b_;
  std::size_t pos_ = 0;
};

// The Blob's payload, inflated.
std::string blob_payload(std::string_view blob) {
  Proto p(blob);
  std::uint32_t f = 0, w = 0;
  std::uint64_t v = 0, raw_size = 0;
  std::string_view bytes, raw, zlib_data;
  bool other = false;
  while (p.next(f, w, v, bytes)) {
    if (f == 1 && w == 2) raw = bytes;
    else if (f == 2 && w == 0) raw_size = v;
    else if (f == 3 && w == 2) zlib_data = bytes;
    else if (f >= 4 && f <= 7) other = true;  // lzma, bzip2, lz4, zstd
  }
  if (!raw.empty()) return std::string(raw);
  if (other) throw std::runtime_error("a compression other than zlib (not read by GDAL's OSM driver)");
  if (zlib_data.empty()) throw std::runtime_error("a blob without data");
  if (raw_size == 0 || raw_size > kMaxBlob) throw std::runtime_error("a blob's raw_size of " + std::to_string(raw_size) + " bytes");
  std::string out(raw_size, '\0');
  uLongf out_len = static_cast<uLongf>(raw_size);
  const int rc = ::uncompress(reinterpret_cast<Bytef*>(out.data()), &out_len, reinterpret_cast<const Bytef*>(zlib_data.data()),
                              static_cast<uLong>(zlib_data.size()));
  if (rc != Z_OK || out_len != raw_size) throw std::runtime_error("a zlib blob that does not inflate to its raw_size (damaged data)");
  return out;
}

bool header_declares_sorted(std::string_view header_block) {
  Proto p(header_block);
  std::uint32_t f = 0, w = 0;
  std::uint64_t v = 0;
  std::string_view bytes;
  bool sorted = false;
  while (p.next(f, w, v, bytes))
    if ((f == 4 || f == 5) && w == 2 && bytes == "Sort.Type_then_ID") sorted = true;  // required / optional features
  return sorted;
}

// 1 nodes, 2 ways, 3 relations, 0 other (changesets / empty), per PrimitiveGroup.
void group_kinds(std::string_view primitive_block, std::vector<int>& kinds) {
  Proto p(primitive_block);
  std::uint32_t f = 0, w = 0;
  std::uint64_t v = 0;
  std::string_view bytes;
  while (p.next(f, w, v, bytes)) {
    if (f != 2 || w != 2) continue;  // PrimitiveGroup
    Proto g(bytes);
    std::uint32_t gf = 0, gw = 0;
    std::string_view gb;
    int kind = 0;
    while (g.next(gf, gw, v, gb)) {
      if (gf == 1 || gf == 2) kind = 1;
      else if (gf == 3) kind = 2;
      else if (gf == 4) kind = 3;
    }
    kinds.push_back(kind);
  }
}

}  // namespace

PbfSummary check_pbf_structure(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the OpenStreetMap file", {.file = file});
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  PbfSummary s;
  std::size_t pos = 0;
  int last_kind = 0;
  bool in_order = true;  // nodes, then ways, then relations, as observed
  auto fail = [&](const std::string& what) -> void {
    // Not even a first block: not a PBF file at all (as GDAL's driver would say).
    if (s.blocks == 0)
      throw IoError("not an OpenStreetMap file that GDAL's OSM driver can read (expected .osm.pbf or .osm XML): " + what, {.file = file});
    throw IoError("OSM PBF file is truncated or corrupt: block " + std::to_string(s.blocks + 1) + " at byte " + std::to_string(pos) +
                           ": " + what + "; nothing was imported (download the extract again)",
                       {.file = file, .feature = static_cast<std::int64_t>(s.blocks + 1)});
  };
  while (pos < data.size()) {
    if (data.size() - pos < 4) fail("the file ends inside a block's length prefix");
    const auto* u = reinterpret_cast<const unsigned char*>(data.data() + pos);
    const std::uint32_t header_len = (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
    if (header_len == 0 || header_len > kMaxHeader) fail("a BlobHeader length of " + std::to_string(header_len) + " bytes");
    if (header_len > data.size() - pos - 4) fail("the file ends inside a BlobHeader");
    std::string type;
    std::uint64_t datasize = 0;
    bool has_size = false;
    try {
      Proto h(std::string_view(data).substr(pos + 4, header_len));
      std::uint32_t f = 0, w = 0;
      std::uint64_t v = 0;
      std::string_view bytes;
      while (h.next(f, w, v, bytes)) {
        if (f == 1 && w == 2) type = std::string(bytes);
        else if (f == 3 && w == 0) datasize = v, has_size = true;
      }
    } catch (const std::runtime_error& e) {
      fail(std::string("the BlobHeader does not parse: ") + e.what());
    }
    if (type.empty() || !has_size) fail("a BlobHeader without type or datasize");
    if (s.blocks == 0 && type != "OSMHeader") fail("the file does not start with an OSMHeader block (not an OSM PBF file)");
    if (datasize == 0 || datasize > kMaxBlob) fail("a Blob size of " + std::to_string(datasize) + " bytes");
    const std::size_t blob_at = pos + 4 + header_len;
    if (datasize > data.size() - blob_at)
      fail("the file ends inside the block's data (" + std::to_string(data.size() - blob_at) + " of " + std::to_string(datasize) +
           " bytes present)");
    try {
      const std::string payload = blob_payload(std::string_view(data).substr(blob_at, datasize));
      if (type == "OSMHeader") {
        s.sorted = header_declares_sorted(payload);
      } else if (type == "OSMData") {
        std::vector<int> kinds;
        group_kinds(payload, kinds);
        for (const int k : kinds) {
          if (k == 0) continue;
          if (k < last_kind) {
            if (s.sorted) fail("nodes, ways and relations out of the declared Sort.Type_then_ID order");
            in_order = false;
          }
          last_kind = std::max(last_kind, k);
        }
        for (const int k : kinds) {
          if (k == 1) { ++s.node_blocks; break; }
        }
        for (const int k : kinds) {
          if (k == 2) { ++s.way_blocks; break; }
        }
        for (const int k : kinds) {
          if (k == 3) { ++s.relation_blocks; break; }
        }
      }
    } catch (const std::runtime_error& e) {
      fail(std::string("the block's data does not parse: ") + e.what());
    }
    pos = blob_at + datasize;
    ++s.blocks;
  }
  if (s.blocks == 0) fail("the file is empty");
  // Sorted files (declared, or nodes -> ways -> relations as read) end with relations.
  if (s.node_blocks + s.way_blocks + s.relation_blocks == 0) fail("the file has a header but no data: truncated at a block boundary");
  if (in_order && s.way_blocks == 0) fail("the file ends after its nodes, before any way: truncated at a block boundary");
  if (in_order && s.relation_blocks == 0) fail("the file ends after its ways, before any relation: truncated at a block boundary");
  return s;
}

}  // namespace citytwin::geo
