#include "core/common/field_list.hpp"

#include <charconv>

#include "core/common/errors.hpp"

namespace citytwin {

namespace {
// Whole numbers in full ("100000", not "1e+05"), else the shortest text that
// reads back as the same double.
std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
}  // namespace

const char* field_kind_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::Real: return "real";
    case FieldKind::Integer: return "integer";
    case FieldKind::Bool: return "bool";
    case FieldKind::Enum: return "enum";
  }
  return "?";
}

std::string FieldInfo::range_text() const {
  switch (kind) {
    case FieldKind::Bool: return "true or false";
    case FieldKind::Enum: {
      std::string out;
      for (std::size_t i = 0; i < choices.size(); ++i)
        out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i].name;
      return out;
    }
    default: return number_text(min) + ".." + number_text(max);
  }
}

std::string FieldInfo::text(double value) const {
  if (kind == FieldKind::Bool) return value != 0 ? "true" : "false";
  if (kind == FieldKind::Enum)
    for (const auto& c : choices)
      if (c.code == value) return c.name;
  return number_text(value);
}

void FieldInfo::check(double value) const {
  const SourceLocation where{.field = name};
  if (kind == FieldKind::Enum) {
    for (const auto& c : choices)
      if (c.code == value) return;
    throw InvalidInput("'" + name + "' must be " + range_text(), where);
  }
  if (kind == FieldKind::Bool) {
    if (value != 0 && value != 1) throw InvalidInput("'" + name + "' must be true or false", where);
    return;
  }
  // Written so that NaN fails too.
  if (!(value >= min && value <= max))
    throw InvalidInput("'" + name + "' = " + number_text(value) + " is outside " + range_text() + " (" + doc + ")", where);
  if (kind == FieldKind::Integer && value != std::floor(value))
    throw InvalidInput("'" + name + "' = " + number_text(value) + " must be a whole number in " + range_text(), where);
}

double FieldInfo::code_of(std::string_view spelling) const {
  for (const auto& c : choices)
    if (c.name == spelling) return c.code;
  throw InvalidInput("'" + name + "' must be " + range_text() + ", found '" + std::string(spelling) + "'", {.field = name});
}

double FieldInfo::value_of(const FieldInput& in) const {
  const SourceLocation where{.field = name};
  double v = 0;
  switch (kind) {
    case FieldKind::Real:
    case FieldKind::Integer:
      if (!std::holds_alternative<double>(in)) throw InvalidInput("'" + name + "' must be a number", where);
      v = std::get<double>(in);
      break;
    case FieldKind::Bool:
      if (!std::holds_alternative<bool>(in)) throw InvalidInput("'" + name + "' must be true or false", where);
      v = std::get<bool>(in) ? 1 : 0;
      break;
    case FieldKind::Enum:
      if (!std::holds_alternative<std::string>(in)) throw InvalidInput("'" + name + "' must be " + range_text(), where);
      v = code_of(std::get<std::string>(in));
      break;
  }
  check(v);
  return v;
}

}  // namespace citytwin
