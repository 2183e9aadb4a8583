// OSM PBF extracts cut short or damaged are refused before GDAL imports part
// of them (a file truncated at a block boundary once gave 17 % of the roads).
#include "geo/osm/pbf_structure.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/common/errors.hpp"
#include "geo/osm/osm_reader.hpp"
#include "tests/support/test_files.hpp"

using namespace citytwin;
using citytwin::testing::expect_error;
using citytwin::testing::TempDir;

namespace {

const std::filesystem::path kOsm = std::filesystem::path(CITYTWIN_SHARED_DATA) / "osm";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Byte offsets where blocks start (and the file's end), found independently of
// the code under test: 4-byte big-endian header length, then the BlobHeader's
// datasize (field 3, a varint).
std::vector<std::size_t> block_starts(const std::string& d) {
  std::vector<std::size_t> starts;
  std::size_t pos = 0;
  while (pos + 4 <= d.size()) {
    starts.push_back(pos);
    const auto* u = reinterpret_cast<const unsigned char*>(d.data() + pos);
    const std::size_t hl = (std::size_t{u[0]} << 24) | (std::size_t{u[1]} << 16) | (std::size_t{u[2]} << 8) | u[3];
    std::size_t i = pos + 4, end = pos + 4 + hl, datasize = 0;
    while (i < end) {
      const unsigned key = static_cast<unsigned char>(d[i++]);
      if ((key & 7) == 2) {
        std::size_t n = 0;
        int shift = 0;
        unsigned char c = 0;
        do { c = static_cast<unsigned char>(d[i++]); n |= std::size_t(c & 0x7F) << shift; shift += 7; } while (c & 0x80);
        i += n;
      } else {
        std::size_t v = 0;
        int shift = 0;
        unsigned char c = 0;
        do { c = static_cast<unsigned char>(d[i++]); v |= std::size_t(c & 0x7F) << shift; shift += 7; } while (c & 0x80);
        if ((key >> 3) == 3) datasize = v;
      }
    }
    pos = end + datasize;
  }
  starts.push_back(pos);
  return starts;
}

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary) << bytes;
  return dir / name;
}

}  // namespace

TEST(PbfStructure, TheReferenceExtractsAreWholeAndSorted) {
  for (const char* f : {"andorra-2025-01-18.osm.pbf", "malta-2018-08-27.osm.pbf"}) {
    const auto s = geo::check_pbf_structure(kOsm / f);
    const auto starts = block_starts(slurp(kOsm / f));
    EXPECT_EQ(s.blocks, starts.size() - 1) << f;
    EXPECT_GT(s.node_blocks, 0u) << f;
    EXPECT_GT(s.way_blocks, 0u) << f;
    EXPECT_GT(s.relation_blocks, 0u) << f;
  }
}

TEST(PbfStructure, TruncatedAtEveryBlockBoundaryIsRefused) {
  TempDir dir("pbf_boundary");
  for (const char* f : {"andorra-2025-01-18.osm.pbf", "malta-2018-08-27.osm.pbf"}) {
    const std::string d = slurp(kOsm / f);
    const auto starts = block_starts(d);
    ASSERT_EQ(starts.back(), d.size()) << f;
    // Every proper prefix ending at a block boundary but the last (which can only be caught
    // within the relations: see pbf_structure.hpp) stops before ways or relations.
    for (std::size_t b = 1; b + 1 < starts.size(); ++b) {
      const auto cut = write(dir, "cut.osm.pbf", d.substr(0, starts[b]));
      bool refused = false;
      try {
        const auto s = geo::check_pbf_structure(cut);
        // Accepted only when the cut falls between relation blocks.
        EXPECT_GT(s.relation_blocks, 0u) << f << " cut at block " << b;
      } catch (const IoError& e) {
        refused = true;
        EXPECT_NE(std::string(e.what()).find("truncated at a block boundary"), std::string::npos) << e.what();
      }
      if (b <= 2) {
        EXPECT_TRUE(refused) << f << " cut after block " << b;
      }
    }
  }
}

TEST(PbfStructure, TruncatedMidBlockIsRefused) {
  TempDir dir("pbf_mid");
  const std::string d = slurp(kOsm / "andorra-2025-01-18.osm.pbf");
  const auto starts = block_starts(d);
  for (const std::size_t cut_at : {starts[1] + 2, starts[1] + 10, (starts[2] + starts[3]) / 2, d.size() - 1}) {
    const auto cut = write(dir, "mid.osm.pbf", d.substr(0, cut_at));
    expect_error<IoError>([&] { geo::check_pbf_structure(cut); }, {"truncated or corrupt", cut.string(), "ends inside"});
  }
}

TEST(PbfStructure, ADamagedBlockIsRefused) {
  TempDir dir("pbf_damaged");
  std::string d = slurp(kOsm / "andorra-2025-01-18.osm.pbf");
  const auto starts = block_starts(d);
  const std::size_t mid = (starts[3] + starts[4]) / 2;  // inside block 3's compressed data
  for (std::size_t i = mid; i < mid + 16; ++i) d[i] = static_cast<char>(d[i] ^ 0x5A);
  const auto bad = write(dir, "damaged.osm.pbf", d);
  expect_error<IoError>([&] { geo::check_pbf_structure(bad); }, {"truncated or corrupt", "block 4"});
}

TEST(PbfStructure, ImportRefusesATruncatedExtractInsteadOfReadingPartOfIt) {
  TempDir dir("pbf_import");
  const std::string d = slurp(kOsm / "malta-2018-08-27.osm.pbf");
  const auto starts = block_starts(d);
  const auto cut = write(dir, "malta-cut.osm.pbf", d.substr(0, starts[starts.size() / 2]));
  expect_error<IoError>([&] { geo::osm::read_osm(cut, false); }, {"malta-cut.osm.pbf", "truncated"});
}
