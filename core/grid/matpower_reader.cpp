#include "core/grid/matpower_reader.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <vector>

#include "core/common/errors.hpp"
#include "core/common/regular_file.hpp"

namespace citytwin::grid {

namespace {

constexpr std::array<const char*, 13> kBusFields = {"bus_i", "type", "Pd",     "Qd", "Gs",   "Bs",  "area",
                                                    "Vm",    "Va",   "baseKV", "zone", "Vmax", "Vmin"};
constexpr std::array<const char*, 10> kGenFields = {"bus", "Pg", "Qg", "Qmax", "Qmin",
                                                    "Vg",  "mBase", "status", "Pmax", "Pmin"};
constexpr std::array<const char*, 13> kBranchFields = {"fbus",  "tbus",  "r",     "x",     "b",
                                                       "rateA", "rateB", "rateC", "ratio", "angle",
                                                       "status", "angmin", "angmax"};

struct Matrix {
  std::vector<std::vector<double>> rows;
  std::vector<std::int64_t> row_line;
  std::int64_t start_line = 0;
  bool present = false;
};

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  PowerCase parse() {
    while (skip_blank()) statement();
    return build();
  }

 private:
  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
  std::optional<double> base_mva_;
  std::int64_t base_mva_line_ = 0;
  Matrix bus_, gen_, branch_;

  [[noreturn]] void fail(const std::string& message, const std::string& layer = {},
                         std::optional<std::int64_t> line = std::nullopt) const {
    throw InvalidInput(message, SourceLocation{.file = source_, .layer = layer, .line = line ? line : line_});
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void advance() {
    if (at_end()) return;  // callers may step past a last token (found by fuzzing: a matrix cut at the end)
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void skip_to_eol() {
    while (!at_end() && peek() != '\n') ++pos_;
  }
  // Skips whitespace, newlines and comments; false at end of text.
  bool skip_blank() {
    while (!at_end()) {
      const char c = peek();
      if (c == '%') {
        skip_to_eol();
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        advance();
      } else {
        return true;
      }
    }
    return false;
  }
  void skip_spaces() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) ++pos_;
  }
  std::string identifier() {
    const std::size_t start = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '.')) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  void skip_quoted(char quote) {
    advance();  // opening quote
    while (!at_end() && peek() != quote && peek() != '\n') advance();
    if (peek() != quote) fail("unterminated string");
    advance();
  }
  // Skips a {...} or [...] block that is not one of ours (bus_name, gencost).
  void skip_block(char open, char close) {
    const std::int64_t start = line_;
    int depth = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == '%') {
        skip_to_eol();
        continue;
      }
      if (c == '\'' || c == '"') {
        skip_quoted(c);
        continue;
      }
      if (c == open) ++depth;
      if (c == close && --depth == 0) {
        advance();
        return;
      }
      advance();
    }
    fail(std::string("'") + open + "' opened here is never closed", {}, start);
  }
  void end_statement() {
    skip_spaces();
    if (peek() == ';' || peek() == ',') ++pos_;
    skip_spaces();
    if (!at_end() && peek() != '\n' && peek() != '%') fail("unexpected text after the statement");
  }

  void statement() {
    const std::int64_t line = line_;
    std::string name = identifier();
    if (name.empty()) fail(std::string("unexpected character '") + peek() + "'; expected an assignment such as mpc.bus = [");
    if (name == "function") {
      skip_to_eol();
      return;
    }
    if (name == "end" || name == "return") {
      end_statement();
      return;
    }
    if (name.rfind("mpc.", 0) == 0) name = name.substr(4);
    skip_spaces();
    if (peek() == '(' || peek() == '{') fail("indexed assignment to '" + name + "' is not supported in a case file");
    if (peek() != '=') fail("expected '=' after '" + name + "'");
    ++pos_;
    skip_spaces();
    const char c = peek();
    if (c == '[') {
      Matrix* target = name == "bus" ? &bus_ : name == "gen" ? &gen_ : name == "branch" ? &branch_ : nullptr;
      if (target == nullptr) {
        skip_block('[', ']');
      } else {
        if (target->present) fail("table '" + name + "' is assigned twice", name);
        matrix(*target, name);
      }
      end_statement();
    } else if (c == '{') {
      skip_block('{', '}');
      end_statement();
    } else if (c == '\'' || c == '"') {
      skip_quoted(c);
      end_statement();
    } else {
      const std::size_t start = pos_;
      while (!at_end() && peek() != ';' && peek() != '\n' && peek() != '%') ++pos_;
      std::string_view value = text_.substr(start, pos_ - start);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
      if (name == "baseMVA") {
        auto parsed = number(value);
        if (!parsed) fail("baseMVA is not a number: '" + std::string(value) + "'", "baseMVA", line);
        base_mva_ = *parsed;
        base_mva_line_ = line;
      }
      end_statement();
    }
  }

  static std::optional<double> number(std::string_view token) {
    bool negative = false;
    if (!token.empty() && (token.front() == '+' || token.front() == '-')) {
      negative = token.front() == '-';
      token.remove_prefix(1);
    }
    if (token.empty() || token.front() == '+' || token.front() == '-') return std::nullopt;
    double value = 0;
    if (token == "Inf" || token == "inf") {
      value = std::numeric_limits<double>::infinity();
    } else if (token == "NaN" || token == "nan") {
      value = std::numeric_limits<double>::quiet_NaN();
    } else {
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
      if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
    }
    return negative ? -value : value;
  }

  void matrix(Matrix& m, const std::string& name) {
    m.present = true;
    m.start_line = line_;
    ++pos_;  // '['
    std::vector<double> row;
    std::int64_t row_line = line_;
    auto finish_row = [&] {
      if (!row.empty()) {
        m.rows.push_back(std::move(row));
        m.row_line.push_back(row_line);
        row.clear();
      }
    };
    while (true) {
      if (at_end()) fail("table '" + name + "' opened here is not closed with ']'", name, m.start_line);
      const char c = peek();
      if (c == ']') {
        finish_row();
        ++pos_;
        return;
      }
      if (c == ';' || c == '\n') {
        finish_row();
        advance();
        continue;
      }
      if (c == '%') {
        skip_to_eol();
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
        ++pos_;
        continue;
      }
      if (c == '.' && text_.substr(pos_, 3) == "...") {  // line continuation
        skip_to_eol();
        advance();
        continue;
      }
      const std::size_t start = pos_;
      while (!at_end()) {
        const char d = peek();
        if (d == ' ' || d == '\t' || d == '\r' || d == ',' || d == ';' || d == '\n' || d == ']' || d == '%') break;
        ++pos_;
      }
      const std::string_view token = text_.substr(start, pos_ - start);
      if (at_end()) fail("the file ends inside table '" + name + "' (opened here, never closed with ']')", name, m.start_line);
      if (row.empty()) row_line = line_;
      auto value = number(token);
      if (!value && (token.rfind("mpc.", 0) == 0 || token == "function")) {
        fail("table '" + name + "' opened here is not closed with ']' before '" + std::string(token) + "'", name,
             m.start_line);
      }
      if (!value) {
        throw InvalidInput("'" + std::string(token) + "' is not a number",
                           SourceLocation{.file = source_,
                                          .layer = name,
                                          .feature = static_cast<std::int64_t>(m.rows.size() + 1),
                                          .line = line_});
      }
      row.push_back(*value);
    }
  }

  template <std::size_t N>
  void check_shape(const Matrix& m, const std::string& name, const std::array<const char*, N>& fields,
                   std::size_t required) const {
    if (!m.present) fail("the case has no '" + name + "' table (mpc." + name + " = [ ... ];)", name, std::int64_t{1});
    std::size_t columns = 0;
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
      const auto& row = m.rows[r];
      SourceLocation where{.file = source_,
                           .layer = name,
                           .feature = static_cast<std::int64_t>(r + 1),
                           .line = m.row_line[r]};
      if (row.size() < required) {
        throw InvalidInput("row has " + std::to_string(row.size()) + " columns; a '" + name + "' row needs at least " +
                               std::to_string(required),
                           where);
      }
      if (r == 0) columns = row.size();
      if (row.size() != columns) {
        throw InvalidInput("row has " + std::to_string(row.size()) + " columns, the rows before it " +
                               std::to_string(columns),
                           where);
      }
      for (std::size_t c = 0; c < row.size() && c < N; ++c) {
        if (std::isnan(row[c])) {
          where.field = fields[c];
          throw InvalidInput("value is NaN", where);
        }
      }
    }
  }

  static bool is_integer(double v) { return std::isfinite(v) && std::floor(v) == v; }

  std::int64_t integer(const Matrix& m, const std::string& name, std::size_t r, std::size_t c,
                       const char* field) const {
    const double v = m.rows[r][c];
    // Beyond 2^53 a double no longer holds every integer, and the cast below
    // would be undefined past int64's range (found by fuzzing: 6e31 as a bus number).
    if (!is_integer(v) || std::abs(v) > 9007199254740992.0) {
      throw InvalidInput("expected an integer of at most 2^53 in magnitude, found " + std::to_string(v),
                         SourceLocation{.file = source_,
                                        .layer = name,
                                        .feature = static_cast<std::int64_t>(r + 1),
                                        .field = field,
                                        .line = m.row_line[r]});
    }
    return static_cast<std::int64_t>(v);
  }

  PowerCase build() const {
    if (!base_mva_) fail("the case has no baseMVA (mpc.baseMVA = 100;)", "baseMVA", std::int64_t{1});
    check_shape(bus_, "bus", kBusFields, 13);
    check_shape(gen_, "gen", kGenFields, 10);
    check_shape(branch_, "branch", kBranchFields, 11);

    PowerCase pc;
    pc.source = source_;
    pc.name = std::filesystem::path(source_).stem().string();
    pc.base_mva = *base_mva_;
    pc.buses.reserve(bus_.rows.size());
    for (std::size_t r = 0; r < bus_.rows.size(); ++r) {
      const auto& v = bus_.rows[r];
      Bus b;
      b.id = integer(bus_, "bus", r, 0, "bus_i");
      b.type = static_cast<BusType>(integer(bus_, "bus", r, 1, "type"));
      b.pd = v[2];
      b.qd = v[3];
      b.gs = v[4];
      b.bs = v[5];
      b.area = static_cast<int>(v[6]);
      b.vm = v[7];
      b.va = v[8];
      b.base_kv = v[9];
      b.zone = static_cast<int>(v[10]);
      b.vmax = v[11];
      b.vmin = v[12];
      pc.buses.push_back(b);
    }
    pc.generators.reserve(gen_.rows.size());
    for (std::size_t r = 0; r < gen_.rows.size(); ++r) {
      const auto& v = gen_.rows[r];
      Generator g;
      g.bus = integer(gen_, "gen", r, 0, "bus");
      g.pg = v[1];
      g.qg = v[2];
      g.qmax = v[3];
      g.qmin = v[4];
      g.vg = v[5];
      g.mbase = v[6];
      g.in_service = v[7] > 0;
      g.pmax = v[8];
      g.pmin = v[9];
      pc.generators.push_back(g);
    }
    pc.branches.reserve(branch_.rows.size());
    for (std::size_t r = 0; r < branch_.rows.size(); ++r) {
      const auto& v = branch_.rows[r];
      Branch br;
      br.from = integer(branch_, "branch", r, 0, "fbus");
      br.to = integer(branch_, "branch", r, 1, "tbus");
      br.r = v[2];
      br.x = v[3];
      br.b = v[4];
      br.rate_a = v[5];
      br.rate_b = v[6];
      br.rate_c = v[7];
      br.ratio = v[8];
      br.angle = v[9];
      br.in_service = v[10] > 0;
      if (v.size() >= 13) {
        br.angmin = v[11];
        br.angmax = v[12];
      }
      pc.branches.push_back(br);
    }
    validate(pc);
    return pc;
  }
};

}  // namespace

PowerCase parse_matpower(std::string_view text, const std::string& source) {
  return Scanner(text, source).parse();
}

PowerCase read_matpower(const std::filesystem::path& path) {
  require_regular_file(path, "the MATPOWER case");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the MATPOWER case file", SourceLocation{.file = path.string()});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError("cannot read the MATPOWER case file", SourceLocation{.file = path.string()});
  return parse_matpower(text.str(), path.string());
}

}  // namespace citytwin::grid
