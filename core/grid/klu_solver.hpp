#pragma once
// RAII adapter around SuiteSparse KLU for a real square matrix in compressed
// columns. The only file that includes klu.h is klu_solver.cpp.
//
//   KluSolver lu;
//   lu.analyze(n, col_ptr, row_idx);   // symbolic: once per pattern
//   lu.factor(values);                 // numeric; refactor() reuses the pivots
//   lu.solve(rhs);                     // in place
//
// A KluSolver is not safe for concurrent solves (KLU keeps workspace in the
// numeric object): give each thread its own (copies share nothing).
#include <cstdint>
#include <memory>
#include <vector>

namespace citytwin::grid {

struct KluOptions {
  int ordering = 0;        // 0 AMD, 1 COLAMD (KLU's own orderings)
  bool btf = true;         // block triangular form first
  double pivot_tol = 1e-3; // partial pivoting threshold
  int scale = 2;           // 2 max row scaling, 1 sum, 0 none, -1 none and no input checks
  // First guess of nnz(L + U) / nnz(A) when the order is given (KLU's default
  // 10 over-allocates ~6x for power-flow Jacobians; KLU grows it when short).
  double initial_fill = 10;
};

// Approximate minimum degree order of a symmetric pattern (both triangles,
// compressed columns), from SuiteSparse AMD.
std::vector<std::int32_t> amd_order(std::int32_t n, const std::vector<std::int32_t>& col_ptr,
                                    const std::vector<std::int32_t>& row_idx);

class KluSolver {
 public:
  KluSolver();
  explicit KluSolver(const KluOptions& options);
  ~KluSolver();
  KluSolver(KluSolver&&) noexcept;
  KluSolver& operator=(KluSolver&&) noexcept;
  KluSolver(const KluSolver&) = delete;
  KluSolver& operator=(const KluSolver&) = delete;

  // Symbolic analysis (BTF + AMD ordering). The pattern arrays are copied.
  void analyze(std::int32_t n, const std::vector<std::int32_t>& col_ptr, const std::vector<std::int32_t>& row_idx);
  // Symbolic analysis with a given fill-reducing order (P = Q = order), e.g.
  // a bus-level ordering expanded to the unknowns of each bus.
  void analyze_given(std::int32_t n, const std::vector<std::int32_t>& col_ptr,
                     const std::vector<std::int32_t>& row_idx, const std::vector<std::int32_t>& order);
  bool analyzed() const;

  // Numeric factorisation with partial pivoting. Returns false when the
  // matrix is singular (no exception: the caller reports which system).
  bool factor(const double* values);
  // Numeric factorisation reusing the last pivot order (much cheaper); falls
  // back to factor() when the reused pivots are numerically poor.
  bool refactor(const double* values);
  bool factored() const;

  // Solves A x = b (or A^T x = b) for `nrhs` right-hand sides stored one after
  // the other in `b`, overwriting b with x. `stride` (>= size(), default
  // size()) is the distance between right-hand sides; rows beyond size() are
  // left alone.
  bool solve(double* b, std::int32_t nrhs = 1, std::int32_t stride = 0) const;
  bool solve_transposed(double* b, std::int32_t nrhs = 1) const;

  std::int32_t size() const;
  // Cheap reciprocal condition estimate (min/max |diag(U)|).
  double rcond() const;
  // Entries in L + U after the last numeric factorisation (fill-in diagnostics).
  std::int64_t factor_nnz() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace citytwin::grid
