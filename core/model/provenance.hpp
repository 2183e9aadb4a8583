#pragma once
// Every entity keeps where it came from: (source, layer, feature id), so a
// planner can trace any figure back to a department's record.
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin {

// One department layer that fed the twin.
struct SourceLayer {
  std::string department;  // "transport", "energy", "planning", "citytwin" (inferred)
  std::string path;        // OGR data source string as given in the manifest
  std::string layer;
  bool operator==(const SourceLayer&) const = default;
};

// Per-entity provenance as two columns. source == kInferred marks elements
// citytwin created (connectors, split links, inferred substations).
struct ProvenanceColumn {
  static constexpr std::uint32_t kInferred = 0xFFFFFFFFu;
  std::vector<std::uint32_t> source;   // index into Twin::sources
  std::vector<std::int64_t> feature;   // OGR FID in that layer (-1 if none)

  void add(std::uint32_t src, std::int64_t fid) {
    source.push_back(src);
    feature.push_back(fid);
  }
  bool inferred(std::size_t i) const { return source[i] == kInferred; }
  std::size_t size() const { return source.size(); }
  bool operator==(const ProvenanceColumn&) const = default;
};

}  // namespace citytwin
