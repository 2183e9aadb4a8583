#include "core/model/snapshot.hpp"

#include <cstring>
#include <fstream>
#include <string_view>
#include <type_traits>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"
#include "core/model/twin_validation.hpp"

namespace citytwin {

namespace {

constexpr char kMagic[8] = {'C', 'I', 'T', 'Y', 'T', 'W', 'I', 'N'};
constexpr std::uint32_t kByteOrder = 0x01020304u;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8;

std::uint64_t fnv1a64(const char* data, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

struct Writer {
  std::string buf;
  void raw(const void* p, std::size_t n) { buf.append(static_cast<const char*>(p), n); }
  template <class T>
  void scalar(const T& v) { raw(&v, sizeof v); }
};

struct Reader {
  std::string_view buf;
  std::size_t pos = 0;
  std::string file;
  void raw(void* p, std::size_t n) {
    if (n > buf.size() - pos) throw InvalidInput("snapshot payload ends early (truncated or corrupt)", {.file = file});
    if (n == 0) return;  // an empty column's data() may be null, which memcpy must not get
    std::memcpy(p, buf.data() + pos, n);
    pos += n;
  }
  template <class T>
  void scalar(T& v) { raw(&v, sizeof v); }
};

// io() serialises one value; the same field lists drive reading and writing.
template <class T>
  requires std::is_trivially_copyable_v<T>
void io(Writer& w, const T& v) { w.scalar(v); }
template <class T>
  requires std::is_trivially_copyable_v<T>
void io(Reader& r, T& v) { r.scalar(v); }

template <class T>
  requires std::is_trivially_copyable_v<T>
void io(Writer& w, const std::vector<T>& v) {
  w.scalar(static_cast<std::uint64_t>(v.size()));
  w.raw(v.data(), v.size() * sizeof(T));
}
template <class T>
  requires std::is_trivially_copyable_v<T>
void io(Reader& r, std::vector<T>& v) {
  std::uint64_t n = 0;
  r.scalar(n);
  if (n > (r.buf.size() - r.pos) / sizeof(T)) throw InvalidInput("snapshot column longer than the file (corrupt)", {.file = r.file});
  v.resize(n);
  r.raw(v.data(), n * sizeof(T));
}

void io(Writer& w, const std::string& s) {
  w.scalar(static_cast<std::uint64_t>(s.size()));
  w.raw(s.data(), s.size());
}
void io(Reader& r, std::string& s) {
  std::uint64_t n = 0;
  r.scalar(n);
  if (n > r.buf.size() - r.pos) throw InvalidInput("snapshot string longer than the file (corrupt)", {.file = r.file});
  s.assign(r.buf.data() + r.pos, n);
  r.pos += n;
}

// Lists of structs and strings; defined after the field lists they use.
template <class S>
  requires(!std::is_trivially_copyable_v<S>)
void io(Writer& w, const std::vector<S>& v);
template <class S>
  requires(!std::is_trivially_copyable_v<S>)
void io(Reader& r, std::vector<S>& v);

// Struct field lists. `Self` is T or const T.
template <class A, class Self>
void fields(A& a, Self& g) requires std::is_same_v<std::remove_const_t<Self>, LineColumn> {
  io(a, g.offsets); io(a, g.x); io(a, g.y);
}
template <class A, class Self>
void fields(A& a, Self& g) requires std::is_same_v<std::remove_const_t<Self>, PolygonColumn> {
  io(a, g.polygon_offsets); io(a, g.ring_offsets); io(a, g.coord_offsets); io(a, g.x); io(a, g.y);
}
template <class A, class Self>
void fields(A& a, Self& p) requires std::is_same_v<std::remove_const_t<Self>, ProvenanceColumn> {
  io(a, p.source); io(a, p.feature);
}
template <class A, class Self>
void fields(A& a, Self& c) requires std::is_same_v<std::remove_const_t<Self>, Csr> {
  io(a, c.offsets); io(a, c.entries);
}
template <class A, class Self>
void fields(A& a, Self& s) requires std::is_same_v<std::remove_const_t<Self>, SourceLayer> {
  io(a, s.department); io(a, s.path); io(a, s.layer);
}
template <class A, class Self>
void fields(A& a, Self& e) requires std::is_same_v<std::remove_const_t<Self>, ImportReport::Entry> {
  io(a, e.what); io(a, e.layer); io(a, e.count); io(a, e.reason);
}
template <class A, class Self>
void fields(A& a, Self& r) requires std::is_same_v<std::remove_const_t<Self>, RoadNetwork> {
  io(a, r.node_x); io(a, r.node_y); io(a, r.node_signal); fields(a, r.node_source);
  io(a, r.link_from); io(a, r.link_to); io(a, r.length_m); io(a, r.free_flow_s); io(a, r.capacity_vph);
  io(a, r.lanes); io(a, r.road_class); io(a, r.speed_kph); io(a, r.toll); io(a, r.bpr_alpha); io(a, r.bpr_beta);
  fields(a, r.geometry); fields(a, r.link_source); io(a, r.zone_node);
  fields(a, r.out_links); fields(a, r.in_links);
}
template <class A, class Self>
void fields(A& a, Self& g) requires std::is_same_v<std::remove_const_t<Self>, PowerGrid> {
  io(a, g.base_mva);
  io(a, g.bus_x); io(a, g.bus_y); io(a, g.bus_kv); io(a, g.bus_type); io(a, g.bus_energised);
  io(a, g.bus_substation); fields(a, g.bus_source);
  io(a, g.branch_from); io(a, g.branch_to); io(a, g.branch_kind); io(a, g.branch_r); io(a, g.branch_x);
  io(a, g.branch_b); io(a, g.branch_rating_mva); io(a, g.branch_in_service); fields(a, g.branch_geometry);
  fields(a, g.branch_source);
  fields(a, g.substation_shape); io(a, g.substation_x); io(a, g.substation_y); io(a, g.substation_capacity_mva);
  io(a, g.substation_name); io(a, g.substation_bus); fields(a, g.substation_source);
  io(a, g.gen_bus); io(a, g.gen_p_mw); io(a, g.gen_vm_pu); io(a, g.gen_q_min_mvar); io(a, g.gen_q_max_mvar);
}
template <class A, class Self>
void fields(A& a, Self& d) requires std::is_same_v<std::remove_const_t<Self>, Districts> {
  io(a, d.name); io(a, d.population); io(a, d.households); io(a, d.jobs); io(a, d.jobs_retail);
  io(a, d.jobs_service); io(a, d.jobs_other); io(a, d.area_m2); io(a, d.centroid_x); io(a, d.centroid_y);
  fields(a, d.shape); fields(a, d.source);
}
template <class A, class Self>
void fields(A& a, Self& c) requires std::is_same_v<std::remove_const_t<Self>, EvChargers> {
  io(a, c.x); io(a, c.y); io(a, c.plugs); io(a, c.kw_per_plug); fields(a, c.source);
}
template <class A, class Self>
void fields(A& a, Self& l) requires std::is_same_v<std::remove_const_t<Self>, CrossLinks> {
  io(a, l.link_district); io(a, l.service_rule); io(a, l.district_sub_offsets); io(a, l.district_sub);
  io(a, l.district_sub_share); io(a, l.signal_node); io(a, l.signal_bus); io(a, l.charger_bus); io(a, l.charger_node);
}
template <class A, class Self>
void fields(A& a, Self& t) requires std::is_same_v<std::remove_const_t<Self>, Twin> {
  io(a, t.name); io(a, t.crs); io(a, t.crs_wkt); io(a, t.sources);
  fields(a, t.roads); fields(a, t.grid); fields(a, t.districts); fields(a, t.chargers); fields(a, t.links);
  io(a, t.report.entries);
}
template <class A, class Self>
void fields(A& a, Self& c) requires std::is_same_v<std::remove_const_t<Self>, TwinCalibration> {
  io(a, c.od_hour); io(a, c.od_origin); io(a, c.od_destination); io(a, c.od_factor);
  io(a, c.substation_residential_factor); io(a, c.substation_commercial_factor); io(a, c.substation_ev_factor); io(a, c.source);
}

template <class S>
  requires(!std::is_trivially_copyable_v<S>)
void io(Writer& w, const std::vector<S>& v) {
  w.scalar(static_cast<std::uint64_t>(v.size()));
  for (const S& s : v) {
    if constexpr (std::is_same_v<S, std::string>) io(w, s);
    else fields(w, s);
  }
}
template <class S>
  requires(!std::is_trivially_copyable_v<S>)
void io(Reader& r, std::vector<S>& v) {
  std::uint64_t n = 0;
  r.scalar(n);
  if (n > r.buf.size() - r.pos) throw InvalidInput("snapshot list longer than the file (corrupt)", {.file = r.file});
  v.resize(n);
  for (S& s : v) {
    if constexpr (std::is_same_v<S, std::string>) io(r, s);
    else fields(r, s);
  }
}

}  // namespace

void write_snapshot(const Twin& twin, const std::filesystem::path& path) {
  Writer w;
  fields(w, twin);
  const std::uint32_t version = twin.calibration.empty() ? kSnapshotVersion : kSnapshotVersionCalibrated;
  if (version == kSnapshotVersionCalibrated) fields(w, twin.calibration);
  const std::uint64_t size = w.buf.size();
  const std::uint64_t checksum = fnv1a64(w.buf.data(), w.buf.size());
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot open for writing", {.file = tmp.string()});
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&version), 4);
    out.write(reinterpret_cast<const char*>(&kByteOrder), 4);
    out.write(reinterpret_cast<const char*>(&size), 8);
    out.write(reinterpret_cast<const char*>(&checksum), 8);
    out.write(w.buf.data(), static_cast<std::streamsize>(w.buf.size()));
    out.close();
    if (!out) throw IoError("write failed (disk full?)", {.file = tmp.string()});
  });
}

Twin read_snapshot(const std::filesystem::path& path) {
  const std::string file = path.string();
  require_regular_file(path, "the twin snapshot");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open twin snapshot", {.file = file});
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < kHeaderBytes || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    throw InvalidInput("not a citytwin snapshot (missing CITYTWIN header); create one with 'citytwin import'", {.file = file});
  std::uint32_t version = 0, order = 0;
  std::uint64_t size = 0, checksum = 0;
  std::memcpy(&version, data.data() + 8, 4);
  std::memcpy(&order, data.data() + 12, 4);
  std::memcpy(&size, data.data() + 16, 8);
  std::memcpy(&checksum, data.data() + 24, 8);
  if (order != kByteOrder) throw InvalidInput("snapshot was written on a machine of other byte order", {.file = file});
  if (version != kSnapshotVersion && version != kSnapshotVersionCalibrated)
    throw InvalidInput("snapshot format version " + std::to_string(version) + ", this citytwin reads versions " +
                           std::to_string(kSnapshotVersion) + " and " + std::to_string(kSnapshotVersionCalibrated) + "; re-import the city",
                       {.file = file});
  if (data.size() - kHeaderBytes != size)
    throw InvalidInput("snapshot is truncated: header announces " + std::to_string(size) + " payload bytes, file has " +
                           std::to_string(data.size() - kHeaderBytes),
                       {.file = file});
  const std::string_view payload(data.data() + kHeaderBytes, size);
  if (fnv1a64(payload.data(), payload.size()) != checksum)
    throw InvalidInput("snapshot checksum mismatch (file corrupted)", {.file = file});
  Reader r{payload, 0, file};
  Twin twin;
  fields(r, twin);
  if (version == kSnapshotVersionCalibrated) fields(r, twin.calibration);
  if (r.pos != payload.size()) throw InvalidInput("snapshot has trailing bytes (corrupt)", {.file = file});
  validate_twin(twin, file);
  validate_calibration(twin.calibration, twin.roads.zone_node.size(), twin.grid.substation_count(), file);
  return twin;
}

}  // namespace citytwin
