#include "core/model/layer_schema.hpp"

#include <limits>

namespace citytwin::schema {

double cell_real(const Cell& c) {
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&c)) return static_cast<double>(*i);
  return std::numeric_limits<double>::quiet_NaN();
}

std::int64_t cell_int(const Cell& c, std::int64_t if_null) {
  if (const auto* i = std::get_if<std::int64_t>(&c)) return *i;
  if (const auto* d = std::get_if<double>(&c)) return static_cast<std::int64_t>(*d);
  return if_null;
}

std::string cell_text(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return {};
}

}  // namespace citytwin::schema
