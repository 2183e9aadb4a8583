#pragma once
// Decides what happens to a bad feature: by default the import stops with an
// error naming file, layer, feature and field; with `lenient` the feature is
// skipped and counted in the import report. Never silent either way.
#include <string>

#include "core/model/twin.hpp"
#include "geo/gdal/vector_reader.hpp"

namespace citytwin::geo {

class FeatureGate {
 public:
  FeatureGate(bool lenient, ImportReport& report) : lenient_(lenient), report_(report) {}

  void reject(const LayerReader& r, const std::string& reason, const std::string& attribute = "") {
    if (!lenient_) throw InvalidInput(reason + " (set lenient = true in [city] to skip and count such features)", r.where(attribute));
    report_.add("skipped", r.spec().key, 1, reason);
  }
  void reject_geometry(const LayerReader& r, GeometryStatus s) { reject(r, geometry_status_text(s)); }
  void inferred(const LayerReader& r, const std::string& what) { report_.add("inferred", r.spec().key, 1, what); }

  // Runs one feature's body; an unreadable value (InvalidInput from the
  // reader) fails the import, or with `lenient` skips the feature, counted by field.
  template <class Body>
  void each_feature(LayerReader& r, Body&& body) {
    while (r.next()) {
      try {
        body();
      } catch (const InvalidInput& e) {
        if (!lenient_) throw;
        report_.add("skipped", r.spec().key, 1, "unreadable value in field '" + e.where().field + "'");
      }
    }
  }
  ImportReport& report() { return report_; }

 private:
  bool lenient_;
  ImportReport& report_;
};

}  // namespace citytwin::geo
