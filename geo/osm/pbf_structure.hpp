#pragma once
// The block structure of an OpenStreetMap PBF file, checked before GDAL reads
// it: GDAL's OSM driver imports whatever blocks it finds, so an extract cut
// short (a failed download) gave a fraction of the roads with exit 0.
//
// A PBF file is a sequence of blocks: a 4-byte big-endian BlobHeader length,
// the BlobHeader (type, datasize), then a Blob of `datasize` bytes holding a
// zlib-compressed (or raw) HeaderBlock or PrimitiveBlock. The check requires:
// the first block is "OSMHeader"; every header and blob parses and every
// compressed blob inflates to its declared size; the file ends exactly at a
// block boundary; the file has data blocks; and when its blocks run nodes ->
// ways -> relations (declared Sort.Type_then_ID, or so as read, as in every
// Geofabrik or planet extract), it has ways and relations: a file cut at a
// block boundary stops before them. So an extract without any relation is
// refused too. A file cut between two relation blocks cannot be told from a
// whole one: nothing in the format counts the blocks.
#include <filesystem>

namespace citytwin::geo {

struct PbfSummary {
  std::size_t blocks = 0;
  std::size_t node_blocks = 0, way_blocks = 0, relation_blocks = 0;
  bool sorted = false;  // Sort.Type_then_ID declared
};

// Throws IoError ("truncated or corrupt") naming the file, the block number
// and byte offset; "not an OpenStreetMap file" when not even the first block parses.
PbfSummary check_pbf_structure(const std::filesystem::path& path);

}  // namespace citytwin::geo
