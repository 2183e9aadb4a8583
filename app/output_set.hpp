#pragma once
// A run's outputs (results GeoPackage, summary JSON, hourly CSV) published as
// one set, so a reader never sees files from two runs side by side.
//
// For `-o dir/r.gpkg` the three files are written into a temporary folder
// dir/.tmp-<pid>-r.run/ and published with ONE rename as dir/r.run/ (an older
// set there is swapped out atomically with renameat2(RENAME_EXCHANGE), then
// removed). dir/r.gpkg, dir/r.summary.json and dir/r.hours.csv are relative
// symbolic links into r.run/, created once, so `-o r.gpkg` still gives the
// files at the paths users know. A kill at any moment leaves either the old
// complete set or the new one; temporaries of processes that died are removed
// by the next run writing into the same folder.
#include <filesystem>
#include <functional>

namespace citytwin::app {

struct RunSetPaths {
  std::filesystem::path gpkg, summary, hours;
};

// The published set folder and the three files in it, for the `-o` path.
std::filesystem::path run_set_folder(const std::filesystem::path& gpkg);
RunSetPaths run_set_files(const std::filesystem::path& folder, const std::filesystem::path& gpkg);

// Calls write(paths inside a fresh temporary folder), then publishes the set
// as described above. On an exception the temporary folder is removed and
// the previous set stays as it was. Throws IoError. remove_stale: first
// remove the temporaries of dead processes; off under MPI, where another
// node's live process has a pid this node cannot see.
void publish_run_set(const std::filesystem::path& gpkg, const std::function<void(const RunSetPaths& tmp)>& write,
                     bool remove_stale = true);

// Removes ".tmp-<pid>-*" files and folders in `folder` whose process is no
// longer alive (kill(pid, 0) fails with ESRCH). Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& folder);

}  // namespace citytwin::app
