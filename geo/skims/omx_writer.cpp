#include "geo/skims/omx_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <set>

#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"

namespace citytwin::geo {

namespace {

// HDF5 prints its error stack to stderr unless told not to; while a file is
// written the stack is read into the exception instead.
class QuietHdf5Errors {
 public:
  QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &saved_, &saved_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, saved_, saved_data_); }
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

 private:
  H5E_auto2_t saved_ = nullptr;
  void* saved_data_ = nullptr;
};

// The innermost description on HDF5's error stack (it says why: "unable to
// open file: name = ..., errno = 13, error message = 'Permission denied'"),
// with the temporary file's name replaced by the target's.
std::string hdf5_reason(const std::filesystem::path& tmp, const std::filesystem::path& target) {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
        if (e->desc && *e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &reason);
  H5Eclear2(H5E_DEFAULT);
  if (reason.empty()) return "HDF5 gave no reason";
  for (auto at = reason.find(tmp.string()); at != std::string::npos; at = reason.find(tmp.string(), at))
    reason.replace(at, tmp.string().size(), target.string());
  return reason;
}

// The file being written (a temporary sibling) and the one errors name.
struct Where {
  std::filesystem::path tmp, target;
};

// One owned HDF5 identifier (file, group, dataset, dataspace, type, property list, attribute).
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what, const Where& at) : id_(id), close_(closer) {
    if (id_ < 0) throw IoError("cannot write the OMX file: " + what + ": " + hdf5_reason(at.tmp, at.target), {.file = at.target.string()});
  }
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  // Closes now and reports a failure (for the file: its last writes happen here).
  herr_t close() {
    const herr_t status = close_(id_);
    id_ = -1;
    return status;
  }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what, const Where& at) {
  if (status < 0) throw IoError("cannot write the OMX file: " + what + ": " + hdf5_reason(at.tmp, at.target), {.file = at.target.string()});
}

void write_attribute(hid_t object, const OmxAttribute& attribute, const Where& at) {
  const Handle scalar(H5Screate(H5S_SCALAR), H5Sclose, "scalar dataspace", at);
  const std::string what = "attribute " + attribute.first;
  if (const auto* text = std::get_if<std::string>(&attribute.second)) {
    // Fixed-length, as the OMX reference API writes OMX_VERSION (readers compare it to b"0.2").
    const Handle type(H5Tcopy(H5T_C_S1), H5Tclose, what, at);
    check(H5Tset_size(type.get(), std::max<std::size_t>(text->size(), 1)), what, at);
    check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), what, at);
    const Handle attr(H5Acreate2(object, attribute.first.c_str(), type.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what,
                      at);
    const std::string padded = text->empty() ? std::string(1, '\0') : *text;
    check(H5Awrite(attr.get(), type.get(), padded.data()), what, at);
  } else {
    const double value = std::get<double>(attribute.second);
    const Handle attr(H5Acreate2(object, attribute.first.c_str(), H5T_IEEE_F64LE, scalar.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                      what, at);
    check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), what, at);
  }
}

void check_name(const std::string& name, const char* kind, std::set<std::string>& seen) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name.find('\0') != std::string::npos)
    throw InvalidInput(std::string("OMX ") + kind + " name '" + name + "' is empty or holds '/' (an HDF5 path separator)", {.field = name});
  if (!seen.insert(name).second) throw InvalidInput(std::string("OMX ") + kind + " name '" + name + "' is given twice", {.field = name});
}

void check_content(const OmxContent& c) {
  if (c.rows <= 0 || c.cols <= 0)
    throw InvalidInput("an OMX file needs at least one row and one column (shape " + std::to_string(c.rows) + " x " +
                       std::to_string(c.cols) + ")");
  const auto cells = static_cast<std::size_t>(c.rows) * static_cast<std::size_t>(c.cols);
  std::set<std::string> names;
  for (const auto& m : c.matrices) {
    check_name(m.name, "matrix", names);
    if (m.values.size() != cells)
      throw InvalidInput("OMX matrix '" + m.name + "' has " + std::to_string(m.values.size()) + " values, the shape " +
                             std::to_string(c.rows) + " x " + std::to_string(c.cols) + " needs " + std::to_string(cells),
                         {.field = m.name});
  }
  names.clear();
  for (const auto& l : c.lookups) {
    check_name(l.name, "lookup", names);
    if (l.values.size() != static_cast<std::size_t>(c.rows))
      throw InvalidInput("OMX lookup '" + l.name + "' has " + std::to_string(l.values.size()) + " entries for " + std::to_string(c.rows) +
                             " rows",
                         {.field = l.name});
  }
}

void write_file(const Where& at, const OmxContent& c) {
  Handle file(H5Fcreate(at.tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "cannot create it", at);
  write_attribute(file.get(), {"OMX_VERSION", std::string("0.2")}, at);
  {
    const hsize_t two = 2;
    const Handle space(H5Screate_simple(1, &two, nullptr), H5Sclose, "SHAPE", at);
    const Handle attr(H5Acreate2(file.get(), "SHAPE", H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "SHAPE", at);
    const std::int32_t shape[2] = {c.rows, c.cols};
    check(H5Awrite(attr.get(), H5T_NATIVE_INT32, shape), "SHAPE", at);
  }
  for (const auto& a : c.attributes) write_attribute(file.get(), a, at);

  {
    const Handle data(H5Gcreate2(file.get(), "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /data", at);
    const hsize_t dims[2] = {static_cast<hsize_t>(c.rows), static_cast<hsize_t>(c.cols)};
    const Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "matrix dataspace", at);
    // Chunked (the OMX validator requires it): whole rows, about 256 KiB a chunk.
    const Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties", at);
    const hsize_t chunk[2] = {std::clamp<hsize_t>(32768 / dims[1], 1, dims[0]), dims[1]};
    check(H5Pset_chunk(dcpl.get(), 2, chunk), "chunk shape", at);
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(dcpl.get(), 1), "zlib compression", at);
    for (const auto& m : c.matrices) {
      const std::string what = "matrix /data/" + m.name;
      const Handle set(H5Dcreate2(data.get(), m.name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                       H5Dclose, what, at);
      check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.values.data()), what, at);
      for (const auto& a : m.attributes) write_attribute(set.get(), a, at);
    }
  }
  if (!c.lookups.empty()) {
    const Handle lookup(H5Gcreate2(file.get(), "lookup", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /lookup", at);
    const hsize_t rows = static_cast<hsize_t>(c.rows);
    const Handle space(H5Screate_simple(1, &rows, nullptr), H5Sclose, "lookup dataspace", at);
    for (const auto& l : c.lookups) {
      const std::string what = "lookup /lookup/" + l.name;
      const Handle set(H5Dcreate2(lookup.get(), l.name.c_str(), H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose, what, at);
      check(H5Dwrite(set.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, l.values.data()), what, at);
    }
  }
  check(file.close(), "closing (the last writes)", at);
}

}  // namespace

void write_omx(const std::filesystem::path& path, const OmxContent& content) {
  check_content(content);
  const QuietHdf5Errors quiet;
  write_atomically(path, [&](const std::filesystem::path& tmp) { write_file({tmp, path}, content); });
}

}  // namespace citytwin::geo
