#pragma once
// The processes of one `mpirun -n K citytwin ...` (issue 16 item 4), or just
// this one. MPI is initialised only when the process was started by an MPI
// launcher (mpirun/srun set OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_SIZE), so a
// binary built with MPI behaves exactly as one without it when run plainly;
// without CITYTWIN_HAVE_MPI every call below is the one-process answer.
//
// Only the app uses MPI: core stays free of it (a solver that needs a sum
// over ranks takes it as a callback).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace citytwin::app {

class MpiWorld {
 public:
  // Initialises MPI when launched by mpirun (once, in main) and finalises it at exit.
  MpiWorld(int& argc, char**& argv);
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  // The world main() made (a one-process world before that, e.g. in tests).
  static MpiWorld& get();

  bool active() const { return size_ > 1; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // "rank 1/4 " under MPI, "" otherwise: a prefix for lines a rank prints.
  std::string tag() const;

  // Hands out 0, 1, 2, ... across all ranks, each number once (dynamic load
  // balancing: whoever is free takes the next). Collective to create.
  class Counter {
   public:
    explicit Counter(MpiWorld& world);
    ~Counter();
    Counter(const Counter&) = delete;
    Counter& operator=(const Counter&) = delete;
    std::size_t next();

   private:
    // (unused in a build without MPI)
    [[maybe_unused]] MpiWorld& world_;
    std::size_t local_ = 0;                      // the one-process counter
    [[maybe_unused]] long long value_ = 0;       // rank 0's window memory
    [[maybe_unused]] void* window_ = nullptr;    // MPI_Win, opaque here
  };

  // Collective: rank 0 receives every rank's text (in rank order); the others get {}.
  std::vector<std::string> gather(const std::string& text);
  // Collective: the sum over ranks.
  long long sum(long long value);
  void sum_in_place(std::span<double> values);

 private:
  MpiWorld() = default;
  int rank_ = 0, size_ = 1;
  [[maybe_unused]] bool initialised_here_ = false;  // (unused in a build without MPI)
};

// True when this binary was built with MPI (CITYTWIN_WITH_MPI).
bool built_with_mpi();

}  // namespace citytwin::app
