#include "app/mpi_world.hpp"

#include <cstdlib>

#include "core/common/errors.hpp"

#ifdef CITYTWIN_HAVE_MPI
#include <mpi.h>
#endif

namespace citytwin::app {

namespace {
MpiWorld* g_world = nullptr;

#ifdef CITYTWIN_HAVE_MPI
bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(std::string("MPI: ") + what + " failed: " + std::string(text, std::size_t(len)));
}
#endif
}  // namespace

bool built_with_mpi() {
#ifdef CITYTWIN_HAVE_MPI
  return true;
#else
  return false;
#endif
}

MpiWorld::MpiWorld(int& argc, char**& argv) {
#ifdef CITYTWIN_HAVE_MPI
  if (launched_by_mpirun()) {
    int provided = 0;
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    initialised_here_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
#else
  (void)argc;
  (void)argv;
#endif
  g_world = this;
}

MpiWorld::~MpiWorld() {
#ifdef CITYTWIN_HAVE_MPI
  if (initialised_here_) MPI_Finalize();
#endif
  if (g_world == this) g_world = nullptr;
}

MpiWorld& MpiWorld::get() {
  static MpiWorld alone;
  return g_world ? *g_world : alone;
}

std::string MpiWorld::tag() const {
  return active() ? "rank " + std::to_string(rank_) + "/" + std::to_string(size_) + " " : std::string();
}

MpiWorld::Counter::Counter(MpiWorld& world) : world_(world) {
#ifdef CITYTWIN_HAVE_MPI
  if (!world_.active()) return;
  MPI_Win win;
  // The counter lives in rank 0's memory; the others expose nothing.
  check(MPI_Win_create(world_.rank() == 0 ? &value_ : nullptr, world_.rank() == 0 ? MPI_Aint(sizeof value_) : 0,
                       int(sizeof value_), MPI_INFO_NULL, MPI_COMM_WORLD, &win),
        "MPI_Win_create");
  window_ = new MPI_Win(win);
#endif
}

MpiWorld::Counter::~Counter() {
#ifdef CITYTWIN_HAVE_MPI
  if (!window_) return;
  auto* win = static_cast<MPI_Win*>(window_);
  MPI_Win_free(win);  // collective: every rank has left its loop
  delete win;
#endif
}

std::size_t MpiWorld::Counter::next() {
#ifdef CITYTWIN_HAVE_MPI
  if (window_) {
    auto* win = static_cast<MPI_Win*>(window_);
    const long long one = 1;
    long long got = 0;
    // An atomic fetch-and-add on rank 0's counter (passive target: rank 0 need not take part).
    check(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win), "MPI_Win_lock");
    check(MPI_Fetch_and_op(&one, &got, MPI_LONG_LONG, 0, 0, MPI_SUM, *win), "MPI_Fetch_and_op");
    check(MPI_Win_unlock(0, *win), "MPI_Win_unlock");
    return std::size_t(got);
  }
#endif
  return local_++;
}

std::vector<std::string> MpiWorld::gather(const std::string& text) {
#ifdef CITYTWIN_HAVE_MPI
  if (active()) {
    int len = int(text.size());
    std::vector<int> lens(rank_ == 0 ? std::size_t(size_) : 0);
    check(MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::vector<int> offsets(lens.size());
    std::string all;
    if (rank_ == 0) {
      int total = 0;
      for (std::size_t r = 0; r < lens.size(); ++r) offsets[r] = total, total += lens[r];
      all.resize(std::size_t(total));
    }
    check(MPI_Gatherv(text.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
          "MPI_Gatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < lens.size(); ++r) out.push_back(all.substr(std::size_t(offsets[r]), std::size_t(lens[r])));
    return out;
  }
#endif
  return {text};
}

long long MpiWorld::sum(long long value) {
#ifdef CITYTWIN_HAVE_MPI
  if (active()) {
    long long total = 0;
    check(MPI_Allreduce(&value, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
    return total;
  }
#endif
  return value;
}

void MpiWorld::sum_in_place(std::span<double> values) {
#ifdef CITYTWIN_HAVE_MPI
  if (active())
    check(MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
          "MPI_Allreduce");
#else
  (void)values;
#endif
}

}  // namespace citytwin::app
