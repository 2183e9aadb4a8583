#pragma once
// One description per settable field of a parameter struct: its name (the
// scenario-file key, the Python property, the report name), unit, valid range,
// doc line and kind, with get/set on the struct. Readers, writers, reports,
// CLI help, the viewer's panels and the Python properties iterate a list of
// these instead of naming every field by hand, and the range check below is
// the one place that rejects a value.
//
// Every value travels as a double: reals as they are, integers exactly (the
// ranges stay far below 2^53), bools as 0/1 and enums as their code, with the
// spelling <-> code table in `choices`.
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace citytwin {

enum class FieldKind : unsigned char { Real, Integer, Bool, Enum };
const char* field_kind_name(FieldKind kind);  // "real", "integer", "bool", "enum"

// An enum field's spelling (as scenario files write it) and its code.
struct FieldChoice {
  std::string name;
  int code = 0;
};

// A value as it arrives from a file or from Python, before its type is checked
// against the field's kind: a number, true/false or a name (enums).
using FieldInput = std::variant<double, bool, std::string>;

// What every field shares, whatever struct it is on.
struct FieldInfo {
  std::string name;
  FieldKind kind = FieldKind::Real;
  std::string unit;          // "" when dimensionless
  double min = 0, max = 0;   // valid range, inclusive (Bool: 0..1, Enum: the codes)
  std::string doc;           // one line
  std::vector<FieldChoice> choices;  // Enum only, in the order they are listed

  // Throws InvalidInput naming the field, the value and the range unless
  // `value` is valid for this field (in range; whole for integers; a listed
  // code for enums).
  void check(double value) const;
  // The checked value of `in` for this field: a number for real and integer
  // fields, true/false for bools, a listed name for enums; anything else
  // throws InvalidInput naming the field and what it takes.
  double value_of(const FieldInput& in) const;
  // The code of an enum spelling; throws InvalidInput listing the spellings.
  double code_of(std::string_view spelling) const;
  // "0.25", "true", "bush": the value as a scenario file writes it.
  std::string text(double value) const;
  // "0..1", "true or false", "bush, bfw, cfw or fw".
  std::string range_text() const;
};

template <class S>
struct Field : FieldInfo {
  std::function<double(const S&)> get;
  std::function<void(S&, double)> put;  // stores without checking: use set()

  // Checked store; throws InvalidInput (see FieldInfo::check).
  void set(S& s, double value) const {
    check(value);
    put(s, value);
  }
  void assign(S& s, const FieldInput& in) const { put(s, value_of(in)); }
  double default_value() const { return get(S{}); }
};

template <class S>
using FieldList = std::vector<Field<S>>;

// The field of `list` called `name`, or nullptr.
template <class S>
const Field<S>* find_field(const FieldList<S>& list, std::string_view name) {
  for (const auto& f : list)
    if (f.name == name) return &f;
  return nullptr;
}

// "a, b, c": the names of a list, for "unknown parameter" messages.
template <class S>
std::string field_names(const FieldList<S>& list) {
  std::string out;
  for (const auto& f : list) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

// A field stored in member `m` of S (double, int, bool or an enum).
template <class S, class M>
Field<S> member_field(FieldInfo info, M S::*m) {
  Field<S> f;
  static_cast<FieldInfo&>(f) = std::move(info);
  if constexpr (std::is_enum_v<M>) {
    using U = std::underlying_type_t<M>;
    f.get = [m](const S& s) { return static_cast<double>(static_cast<U>(s.*m)); };
    f.put = [m](S& s, double v) { s.*m = static_cast<M>(static_cast<U>(v)); };
  } else if constexpr (std::is_same_v<M, bool>) {
    f.get = [m](const S& s) { return s.*m ? 1.0 : 0.0; };
    f.put = [m](S& s, double v) { s.*m = v != 0; };
  } else {
    f.get = [m](const S& s) { return static_cast<double>(s.*m); };
    f.put = [m](S& s, double v) { s.*m = static_cast<M>(v); };
  }
  return f;
}

// The fields of a struct I seen from an enclosing struct O that holds it in `part`.
template <class O, class I>
FieldList<O> lift(const FieldList<I>& inner, I O::*part) {
  FieldList<O> out;
  for (const Field<I>& f : inner) {
    Field<O> g;
    static_cast<FieldInfo&>(g) = f;
    g.get = [get = f.get, part](const O& o) { return get(o.*part); };
    g.put = [put = f.put, part](O& o, double v) { put(o.*part, v); };
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace citytwin
