#include "viewer/model/built_in_city.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "datasets/synthetic_city.hpp"
#include "datasets/write_synthetic_city.hpp"
#include "geo/import/manifest.hpp"
#include "geo/import/twin_import.hpp"

namespace citytwin::viewer {

namespace {
// The departments' files live only as long as the import needs them.
struct ScratchFolder {
  std::filesystem::path path;
  ScratchFolder()
      : path(std::filesystem::temp_directory_path() / ("citytwin_built_in_city_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};
}  // namespace

Twin built_in_city(std::size_t target_links) {
  datasets::SyntheticOptions options;
  options.target_links = target_links;
  options.seed = 1;  // the main job's city
  const ScratchFolder folder;
  const datasets::WrittenCity written =
      datasets::write_synthetic_city(datasets::generate_synthetic_city(options), folder.path / "city");
  Twin twin = geo::import_twin(geo::load_manifest(written.manifest));
  return twin;
}

}  // namespace citytwin::viewer
