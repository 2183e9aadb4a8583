#pragma once
// One Newton-Raphson power flow per batch item, every item on the same
// topology (grid::AcPowerFlow's equations, MATPOWER's newtonpf), as
// per-element bodies: one bus or one factor row of one item (a "lane").
// The CUDA kernels run one thread per (row, lane), level by level; the host
// version runs every row in order over a chunk of lanes. Values of all items are
// interleaved (entry k of lane l at k * stride + l) so that threads of
// consecutive lanes read consecutive addresses.
//
// The LU is a static-pivot (diagonal) up-looking factorisation on the fill
// pattern of the plan (gpu/power_flow_batch_plan.hpp): row r is final once
// the rows named in its lower part are, which is what the levels encode.
#include <cmath>
#include <cstdint>

#include "core/common/host_device.hpp"
#include "core/grid/power_flow_math.hpp"

namespace citytwin::gpu {

// The plan's shared index arrays (host or device memory).
struct NewtonPlanView {
  std::int32_t n_bus = 0, n_rows = 0;
  // Ybus in compressed rows, and per entry the factor positions of its four
  // partial derivatives dP/dVa, dP/dVm, dQ/dVa, dQ/dVm (-1: no such unknown / equation).
  const std::int32_t* y_ptr = nullptr;
  const std::int32_t* y_col = nullptr;
  const grid::Cplx* y_val = nullptr;
  const std::int32_t* y_pos = nullptr;
  // Per bus: factor row of its P equation (= its Va unknown) and of its Q
  // equation (= its Vm unknown); -1 for the slack / de-energised and non-PQ.
  const std::int32_t* p_row = nullptr;
  const std::int32_t* q_row = nullptr;
  // Fill pattern of L + U in compressed rows, columns sorted, diagonal at f_diag.
  const std::int32_t* f_ptr = nullptr;
  const std::int32_t* f_col = nullptr;
  const std::int32_t* f_diag = nullptr;
  // Per lower entry (r, k): the targets in row r of row k's upper entries,
  // upd_target[upd_begin[p] + t] for the t-th entry after row k's diagonal.
  const std::int32_t* upd_begin = nullptr;
  const std::int32_t* upd_target = nullptr;
};

// The view of any holder of the plan's arrays by these names (host vectors in
// the plan, device buffers on the GPU).
template <class Arrays>
NewtonPlanView newton_plan_view(std::int32_t n_bus, std::int32_t n_rows, const Arrays& a) {
  NewtonPlanView v;
  v.n_bus = n_bus;
  v.n_rows = n_rows;
  v.y_ptr = a.y_ptr.data();
  v.y_col = a.y_col.data();
  v.y_val = a.y_val.data();
  v.y_pos = a.y_pos.data();
  v.p_row = a.p_row.data();
  v.q_row = a.q_row.data();
  v.f_ptr = a.f_ptr.data();
  v.f_col = a.f_col.data();
  v.f_diag = a.f_diag.data();
  v.upd_begin = a.upd_begin.data();
  v.upd_target = a.upd_target.data();
  return v;
}

// One chunk of items' working values, interleaved with `stride` lanes.
struct NewtonLanes {
  std::int64_t stride = 0;
  double* vm = nullptr;    // per bus
  double* va = nullptr;    // per bus, radians
  double* v_re = nullptr;  // per bus
  double* v_im = nullptr;
  double* i_re = nullptr;  // per bus: Ybus V
  double* i_im = nullptr;
  const double* s_re = nullptr;  // per bus: scheduled injection, pu
  const double* s_im = nullptr;
  double* lu = nullptr;     // per factor position
  double* rhs = nullptr;    // per factor row: mismatch, then the Newton step
  double* scale = nullptr;  // per factor row: largest |entry| of the assembled row
};

// Where an item stands. Items leave `iterating` once and are then skipped.
enum NewtonPhase : std::uint8_t { kIterating = 0, kConverged = 1, kStopped = 2, kTinyPivot = 3 };

// A pivot below this fraction of its row's largest assembled entry counts as
// tiny (sqrt(eps): what static-pivoting solvers take as "too small"); the
// item is then handed to the host's KLU with partial pivoting.
constexpr double kPivotTolerance = 1.5e-8;

CITYTWIN_HD inline std::int64_t at(std::int64_t k, std::int64_t stride, std::int32_t lane) { return k * stride + lane; }

// Bus current I_i = (Ybus V)_i and the P / Q mismatch written to the bus's
// factor rows; returns the bus's largest |mismatch| (NaN counts as infinity).
// Buses without equations (slack, de-energised) return 0 and write nothing.
CITYTWIN_HD inline double bus_mismatch_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t i, std::int32_t lane) {
  const std::int32_t rp = p.p_row[i], rq = p.q_row[i];
  if (rp < 0) return 0;
  const std::int64_t s = b.stride;
  grid::Cplx cur{0, 0};
  for (std::int32_t e = p.y_ptr[i]; e < p.y_ptr[i + 1]; ++e) {
    const std::int64_t k = p.y_col[e];
    cur = cur + p.y_val[e] * grid::Cplx{b.v_re[at(k, s, lane)], b.v_im[at(k, s, lane)]};
  }
  b.i_re[at(i, s, lane)] = cur.re;
  b.i_im[at(i, s, lane)] = cur.im;
  const grid::Cplx mis =
      grid::bus_mismatch({b.v_re[at(i, s, lane)], b.v_im[at(i, s, lane)]}, cur, {b.s_re[at(i, s, lane)], b.s_im[at(i, s, lane)]});
  b.rhs[at(rp, s, lane)] = mis.re;
  double worst = mis.re < 0 ? -mis.re : mis.re;
  if (rq >= 0) {
    b.rhs[at(rq, s, lane)] = mis.im;
    const double q = mis.im < 0 ? -mis.im : mis.im;
    worst = q > worst ? q : worst;
  }
  if (mis.re != mis.re || mis.im != mis.im) worst = HUGE_VAL;  // NaN
  return worst;
}

// Decides after the mismatch of Newton step `step` (0 = the start), exactly
// as grid::AcPowerFlow: converged below the tolerance, stopped after
// max_iterations steps or once a step has diverged (norm above 1e10 or not
// finite); otherwise one more step, counted in `iterations`.
CITYTWIN_HD inline void newton_status(double norm, std::int32_t step, double tolerance, std::int32_t max_iterations,
                                      std::uint8_t& phase, std::int32_t& iterations, double& final_norm) {
  if (phase != kIterating) return;
  final_norm = norm;
  if (norm < tolerance) {
    phase = kConverged;
  } else if (step >= max_iterations || (step > 0 && !(norm <= 1e10))) {
    phase = kStopped;
  } else {
    iterations = step + 1;
  }
}

// The two Jacobian rows of bus i (its P and Q equations), fill positions
// zeroed, and each row's largest |entry| for the pivot test.
CITYTWIN_HD inline void bus_jacobian_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t i, std::int32_t lane) {
  const std::int32_t rp = p.p_row[i], rq = p.q_row[i];
  if (rp < 0) return;
  const std::int64_t s = b.stride;
  for (std::int32_t f = p.f_ptr[rp]; f < p.f_ptr[rp + 1]; ++f) b.lu[at(f, s, lane)] = 0;
  if (rq >= 0)
    for (std::int32_t f = p.f_ptr[rq]; f < p.f_ptr[rq + 1]; ++f) b.lu[at(f, s, lane)] = 0;
  const grid::Cplx v_i{b.v_re[at(i, s, lane)], b.v_im[at(i, s, lane)]};
  const grid::Cplx i_i{b.i_re[at(i, s, lane)], b.i_im[at(i, s, lane)]};
  double scale_p = 0, scale_q = 0;
  for (std::int32_t e = p.y_ptr[i]; e < p.y_ptr[i + 1]; ++e) {
    const std::int32_t k = p.y_col[e];
    const grid::JacobianEntry d = grid::jacobian_entry(p.y_val[e], v_i, {b.v_re[at(k, s, lane)], b.v_im[at(k, s, lane)]},
                                                       b.vm[at(k, s, lane)], k == i, i_i);
    const double value[4] = {d.ds_dva.re, d.ds_dvm.re, d.ds_dva.im, d.ds_dvm.im};
    for (int slot = 0; slot < 4; ++slot) {
      const std::int32_t pos = p.y_pos[4 * static_cast<std::int64_t>(e) + slot];
      if (pos < 0) continue;
      b.lu[at(pos, s, lane)] = value[slot];
      const double size = value[slot] < 0 ? -value[slot] : value[slot];
      double& row_scale = slot < 2 ? scale_p : scale_q;
      row_scale = size > row_scale ? size : row_scale;
    }
  }
  b.scale[at(rp, s, lane)] = scale_p;
  if (rq >= 0) b.scale[at(rq, s, lane)] = scale_q;
}

// Up-looking LU of factor row r: for each lower entry (r, k) in increasing k,
// l_rk = a_rk / u_kk, then row r -= l_rk * (upper part of row k). Returns
// false when the pivot u_rr is tiny (or not a number).
CITYTWIN_HD inline bool factor_row_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t r, std::int32_t lane) {
  const std::int64_t s = b.stride;
  double* lu = b.lu;
  const std::int32_t diag = p.f_diag[r];
  for (std::int32_t f = p.f_ptr[r]; f < diag; ++f) {
    const std::int32_t k = p.f_col[f];
    const double l = lu[at(f, s, lane)] / lu[at(p.f_diag[k], s, lane)];
    lu[at(f, s, lane)] = l;
    const std::int32_t* target = p.upd_target + p.upd_begin[f];
    const std::int32_t end = p.f_ptr[k + 1];
    for (std::int32_t q = p.f_diag[k] + 1; q < end; ++q, ++target) lu[at(*target, s, lane)] -= l * lu[at(q, s, lane)];
  }
  const double pivot = lu[at(diag, s, lane)];
  const double size = pivot < 0 ? -pivot : pivot;
  return size > kPivotTolerance * b.scale[at(r, s, lane)];
}

// Forward substitution of row r (unit lower triangle), in place in rhs.
CITYTWIN_HD inline void forward_row_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t r, std::int32_t lane) {
  const std::int64_t s = b.stride;
  double y = b.rhs[at(r, s, lane)];
  for (std::int32_t f = p.f_ptr[r]; f < p.f_diag[r]; ++f) y -= b.lu[at(f, s, lane)] * b.rhs[at(p.f_col[f], s, lane)];
  b.rhs[at(r, s, lane)] = y;
}

// Backward substitution of row r (upper triangle with its diagonal), in place.
CITYTWIN_HD inline void backward_row_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t r, std::int32_t lane) {
  const std::int64_t s = b.stride;
  const std::int32_t diag = p.f_diag[r];
  double x = b.rhs[at(r, s, lane)];
  for (std::int32_t f = diag + 1; f < p.f_ptr[r + 1]; ++f) x -= b.lu[at(f, s, lane)] * b.rhs[at(p.f_col[f], s, lane)];
  b.rhs[at(r, s, lane)] = x / b.lu[at(diag, s, lane)];
}

// The Newton update of bus i from the solved step: Va -= dVa, Vm -= dVm (PQ only).
CITYTWIN_HD inline void bus_update_lane(const NewtonPlanView& p, const NewtonLanes& b, std::int32_t i, std::int32_t lane) {
  const std::int32_t rp = p.p_row[i], rq = p.q_row[i];
  if (rp < 0) return;
  const std::int64_t s = b.stride;
  double& va = b.va[at(i, s, lane)];
  double& vm = b.vm[at(i, s, lane)];
  va -= b.rhs[at(rp, s, lane)];
  if (rq >= 0) vm -= b.rhs[at(rq, s, lane)];
  const grid::Cplx v = grid::polar(vm, va);
  b.v_re[at(i, s, lane)] = v.re;
  b.v_im[at(i, s, lane)] = v.im;
}

}  // namespace citytwin::gpu
