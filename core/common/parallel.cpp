#include "core/common/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

namespace citytwin {

ThreadLimit::ThreadLimit(unsigned threads)
    : threads_(threads == 0 ? static_cast<unsigned>(tbb::info::default_concurrency()) : threads),
      control_(std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads_)) {}

ThreadLimit::~ThreadLimit() = default;

}  // namespace citytwin
