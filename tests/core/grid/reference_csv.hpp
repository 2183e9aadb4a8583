#pragma once
// Reads the MATPOWER reference CSVs (datasets/reference/matpower/reference) into
// columns by header name. Test helper only.
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace citytwin::grid::test {

inline std::string matpower_dir() { return std::string(CITYTWIN_REFERENCE_DATA) + "/matpower"; }
inline std::string case_path(const std::string& name) { return matpower_dir() + "/" + name + ".m"; }

struct Csv {
  std::map<std::string, std::vector<double>> columns;
  std::size_t rows = 0;
  const std::vector<double>& operator[](const std::string& name) const {
    auto it = columns.find(name);
    if (it == columns.end()) throw std::runtime_error("no column " + name);
    return it->second;
  }
};

inline Csv read_reference(const std::string& file) {
  const std::string path = matpower_dir() + "/reference/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Csv csv;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  {
    std::stringstream header(line);
    std::string name;
    while (std::getline(header, name, ',')) names.push_back(name);
  }
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream row(line);
    std::string cell;
    for (std::size_t c = 0; c < names.size() && std::getline(row, cell, ','); ++c) {
      csv.columns[names[c]].push_back(cell == "NaN" ? std::nan("") : std::strtod(cell.c_str(), nullptr));
    }
    ++csv.rows;
  }
  return csv;
}

}  // namespace citytwin::grid::test
