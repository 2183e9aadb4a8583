#include "core/common/errors.hpp"

namespace citytwin {

std::string SourceLocation::describe() const {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  if (!file.empty()) add(file);
  if (line) add("line " + std::to_string(*line));
  if (!layer.empty()) add("layer '" + layer + "'");
  if (feature) add("feature " + std::to_string(*feature));
  if (!field.empty()) add("field '" + field + "'");
  return out;
}

static std::string compose(const std::string& message, const SourceLocation& where) {
  const std::string context = where.describe();
  return context.empty() ? message : context + ": " + message;
}

Error::Error(std::string message, SourceLocation where)
    : std::runtime_error(compose(message, where)), message_(std::move(message)), where_(std::move(where)) {}

}  // namespace citytwin
