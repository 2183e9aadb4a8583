#pragma once
// What every libFuzzer target here shares: the input as a file (the readers
// under test take paths, as the commands do), and the rule for exceptions.
//
// Bad input must end in a citytwin::Error that names what is wrong (exit
// codes 2..5 in the CLI). Any other exception (std::bad_optional_access,
// std::out_of_range from map::at, bad_alloc from a size read from the file...)
// is what becomes "exit 70, no file or line" in the CLI: it is reported as a
// crash, like a sanitizer finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <typeinfo>

#include "core/common/errors.hpp"

namespace citytwin::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A folder of this process, removed at exit.
inline const std::filesystem::path& scratch_dir() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("citytwin_fuzz_" + std::to_string(::getpid()));
    Dir() { std::filesystem::create_directories(path); }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

// Writes the input to scratch_dir()/name (replaced on every call).
inline std::filesystem::path input_file(std::string_view bytes, const std::string& name) {
  const auto path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

[[noreturn]] inline void crash(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Runs body(); a citytwin::Error is the expected outcome of bad input, any
// other exception aborts (libFuzzer saves the input as a crash).
template <class F>
void expect_only_citytwin_errors(F&& body) {
  try {
    body();
  } catch (const citytwin::Error&) {
  } catch (const std::exception& e) {
    crash((std::string("unhandled ") + typeid(e).name()).c_str(), e.what());
  } catch (...) {
    crash("unhandled exception", "not a std::exception");
  }
}

}  // namespace citytwin::fuzz
