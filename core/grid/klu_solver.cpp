#include "core/grid/klu_solver.hpp"

#include <amd.h>
#include <klu.h>

#include <stdexcept>
#include <string>

namespace citytwin::grid {

struct KluSolver::State {
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  klu_numeric* numeric = nullptr;
  std::int32_t n = 0;
  std::vector<std::int32_t> col_ptr, row_idx;

  State() { klu_defaults(&common); }
  ~State() {
    free_numeric();
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
  }
  void free_numeric() {
    if (numeric != nullptr) klu_free_numeric(&numeric, &common);
  }
  // Drops the old factors and keeps a copy of the new pattern, which the
  // symbolic object made from it points into.
  void take_pattern(std::int32_t size, const std::vector<std::int32_t>& cols, const std::vector<std::int32_t>& rows) {
    free_numeric();
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
    n = size;
    col_ptr = cols;
    row_idx = rows;
  }
  void require_symbolic() const {
    if (symbolic == nullptr) throw std::runtime_error("KLU symbolic analysis failed (status " + std::to_string(common.status) + ")");
  }
};

KluSolver::KluSolver() : state_(std::make_unique<State>()) {}
KluSolver::KluSolver(const KluOptions& options) : state_(std::make_unique<State>()) {
  state_->common.ordering = options.ordering;
  state_->common.btf = options.btf ? 1 : 0;
  state_->common.tol = options.pivot_tol;
  state_->common.scale = options.scale;
  state_->common.initmem = options.initial_fill;
}

std::int64_t KluSolver::factor_nnz() const {
  const State& s = *state_;
  if (s.numeric == nullptr) return 0;
  return static_cast<std::int64_t>(s.numeric->lnz) + s.numeric->unz + s.numeric->nzoff;
}
KluSolver::~KluSolver() = default;
KluSolver::KluSolver(KluSolver&&) noexcept = default;
KluSolver& KluSolver::operator=(KluSolver&&) noexcept = default;

void KluSolver::analyze(std::int32_t n, const std::vector<std::int32_t>& col_ptr,
                        const std::vector<std::int32_t>& row_idx) {
  State& s = *state_;
  s.take_pattern(n, col_ptr, row_idx);
  s.symbolic = klu_analyze(n, s.col_ptr.data(), s.row_idx.data(), &s.common);
  s.require_symbolic();
}

void KluSolver::analyze_given(std::int32_t n, const std::vector<std::int32_t>& col_ptr,
                              const std::vector<std::int32_t>& row_idx, const std::vector<std::int32_t>& order) {
  State& s = *state_;
  s.take_pattern(n, col_ptr, row_idx);
  std::vector<std::int32_t> p = order, q = order;
  s.symbolic = klu_analyze_given(n, s.col_ptr.data(), s.row_idx.data(), p.data(), q.data(), &s.common);
  s.require_symbolic();
}

std::vector<std::int32_t> amd_order(std::int32_t n, const std::vector<std::int32_t>& col_ptr,
                                    const std::vector<std::int32_t>& row_idx) {
  std::vector<std::int32_t> perm(n);
  const int status = ::amd_order(n, col_ptr.data(), row_idx.data(), perm.data(), nullptr, nullptr);
  if (status != AMD_OK && status != AMD_OK_BUT_JUMBLED) {
    throw std::runtime_error("AMD ordering failed (status " + std::to_string(status) + ")");
  }
  return perm;
}

bool KluSolver::analyzed() const { return state_->symbolic != nullptr; }
bool KluSolver::factored() const { return state_->numeric != nullptr; }
std::int32_t KluSolver::size() const { return state_->n; }

bool KluSolver::factor(const double* values) {
  State& s = *state_;
  if (s.symbolic == nullptr) throw std::logic_error("KluSolver::factor before analyze");
  s.free_numeric();
  s.numeric = klu_factor(s.col_ptr.data(), s.row_idx.data(), const_cast<double*>(values), s.symbolic, &s.common);
  return s.numeric != nullptr && s.common.status == KLU_OK;
}

bool KluSolver::refactor(const double* values) {
  State& s = *state_;
  if (s.numeric == nullptr) return factor(values);
  const int ok = klu_refactor(s.col_ptr.data(), s.row_idx.data(), const_cast<double*>(values), s.symbolic,
                              s.numeric, &s.common);
  if (ok && s.common.status == KLU_OK) {
    const double rc = rcond();
    if (rc > 1e-12) return true;  // NaN fails this test too
  }
  return factor(values);
}

double KluSolver::rcond() const {
  State& s = *state_;
  if (s.numeric == nullptr) return 0;
  if (!klu_rcond(s.symbolic, s.numeric, &s.common)) return 0;
  return s.common.rcond;
}

bool KluSolver::solve(double* b, std::int32_t nrhs, std::int32_t stride) const {
  State& s = *state_;
  if (s.numeric == nullptr) return false;
  return klu_solve(s.symbolic, s.numeric, stride > s.n ? stride : s.n, nrhs, b, &s.common) != 0;
}

bool KluSolver::solve_transposed(double* b, std::int32_t nrhs) const {
  State& s = *state_;
  if (s.numeric == nullptr) return false;
  return klu_tsolve(s.symbolic, s.numeric, s.n, nrhs, b, &s.common) != 0;
}

}  // namespace citytwin::grid
