#pragma once
// Thread count is set once, at the entry point (the OSRM pattern): a
// ThreadLimit lives for the duration of a command and bounds every TBB loop.
#include <memory>

#include <tbb/global_control.h>

namespace citytwin {

class ThreadLimit {
 public:
  // threads == 0 means "all hardware threads".
  explicit ThreadLimit(unsigned threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;
  unsigned threads() const { return threads_; }

 private:
  unsigned threads_;
  std::unique_ptr<tbb::global_control> control_;
};

}  // namespace citytwin
