#pragma once
// The error catalogue: one small hierarchy whose messages carry their context
// (file, layer, feature id, field). Tool mains map each kind to an exit code.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace citytwin {

// Where in a department's data something went wrong. Every part is optional;
// describe() prints only those that are known.
struct SourceLocation {
  std::string file;
  std::string layer;
  std::optional<std::int64_t> feature;  // OGR FID, TNTP line, MATPOWER row ...
  std::string field;
  std::optional<std::int64_t> line;     // 1-based line in a text file

  std::string describe() const;
};

class Error : public std::runtime_error {
 public:
  Error(std::string message, SourceLocation where = {});
  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }
  virtual int exit_code() const { return 1; }

 private:
  std::string message_;
  SourceLocation where_;
};

// The input is wrong: a missing field, a NaN coordinate, an unknown key.
class InvalidInput : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 2; }
};

// A file could not be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 3; }
};

// A solver did not reach its tolerance; the partial state is not an answer.
class NotConverged : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 4; }
};

// A solver produced non-finite numbers or an impossible measure (a negative
// gap): the result is not an answer. Exit code as NotConverged.
class NumericalFailure : public NotConverged {
 public:
  using NotConverged::NotConverged;
};

// The requested backend (e.g. CUDA) is not available in this build or machine.
class BackendUnavailable : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 5; }
};

}  // namespace citytwin
