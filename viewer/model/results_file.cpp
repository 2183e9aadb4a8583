#include "viewer/model/results_file.hpp"

#include "geo/results/results_reader.hpp"

namespace citytwin::viewer {

bool is_results_file(const std::filesystem::path& file) {
  return file.extension() == ".gpkg" || geo::is_sqlite_file(file);
}

Results read_results_file(const std::filesystem::path& gpkg, const Twin& twin) {
  return Results(geo::read_results(gpkg, twin), gpkg.stem().string());
}

ResultsFile open_results_file(const std::filesystem::path& gpkg) {
  geo::ResultsTwin rt = geo::read_results_twin(gpkg);
  ResultsFile out;
  out.twin = std::move(rt.twin);
  out.missing = std::move(rt.missing);
  out.results = read_results_file(gpkg, out.twin);
  return out;
}

}  // namespace citytwin::viewer
