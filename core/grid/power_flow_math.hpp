#pragma once
// Per-element power-flow math, written once for every scheduler: plain
// functions on doubles (no std::complex, no allocation) usable from the TBB
// loops here and from CUDA kernels (CITYTWIN_HD).
#include <cmath>

#include "core/grid/host_device.hpp"

namespace citytwin::grid {

struct Cplx {
  double re = 0, im = 0;
};

CITYTWIN_HD inline Cplx operator+(Cplx a, Cplx b) { return {a.re + b.re, a.im + b.im}; }
CITYTWIN_HD inline Cplx operator-(Cplx a, Cplx b) { return {a.re - b.re, a.im - b.im}; }
CITYTWIN_HD inline Cplx operator*(Cplx a, Cplx b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
CITYTWIN_HD inline Cplx operator*(double s, Cplx a) { return {s * a.re, s * a.im}; }
CITYTWIN_HD inline Cplx conj(Cplx a) { return {a.re, -a.im}; }
CITYTWIN_HD inline Cplx divide(Cplx a, Cplx b) {
  const double d = b.re * b.re + b.im * b.im;
  return {(a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d};
}
CITYTWIN_HD inline double abs2(Cplx a) { return a.re * a.re + a.im * a.im; }
CITYTWIN_HD inline Cplx polar(double magnitude, double angle_rad) {
  return {magnitude * std::cos(angle_rad), magnitude * std::sin(angle_rad)};
}

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// The branch pi model of MATPOWER's makeYbus: series admittance 1/(r + jx),
// total charging b split between the ends, an ideal transformer with complex
// tap t = ratio * e^{j shift} on the from side (ratio 0 means 1).
//   [If]   [yff yft] [Vf]
//   [It] = [ytf ytt] [Vt]
struct BranchAdmittance {
  Cplx yff, yft, ytf, ytt;
};

CITYTWIN_HD inline BranchAdmittance branch_admittance(double r, double x, double b, double ratio,
                                                      double shift_deg) {
  const Cplx ys = divide(Cplx{1, 0}, Cplx{r, x});
  const double tap_mag = ratio == 0 ? 1.0 : ratio;
  const Cplx tap = polar(tap_mag, shift_deg * kDegToRad);
  BranchAdmittance y;
  y.ytt = ys + Cplx{0, b / 2};
  y.yff = (1.0 / (tap_mag * tap_mag)) * y.ytt;
  y.yft = Cplx{0, 0} - divide(ys, conj(tap));
  y.ytf = Cplx{0, 0} - divide(ys, tap);
  return y;
}

// Complex power entering the branch at each end, in pu.
struct BranchFlow {
  Cplx sf, st;
};

CITYTWIN_HD inline BranchFlow branch_flow(const BranchAdmittance& y, Cplx vf, Cplx vt) {
  const Cplx i_f = y.yff * vf + y.yft * vt;
  const Cplx i_t = y.ytf * vf + y.ytt * vt;
  return {vf * conj(i_f), vt * conj(i_t)};
}

// Current injected at bus i: one row of Ybus (CSR) times V.
CITYTWIN_HD inline Cplx row_current(int begin, int end, const int* col, const Cplx* y, const Cplx* v) {
  Cplx sum{0, 0};
  for (int p = begin; p < end; ++p) sum = sum + y[p] * v[col[p]];
  return sum;
}

// Power mismatch at a bus: computed injection V_i conj(I_i) minus scheduled S_i.
CITYTWIN_HD inline Cplx bus_mismatch(Cplx v_i, Cplx i_i, Cplx s_sched) { return v_i * conj(i_i) - s_sched; }

// Polar Jacobian contribution of one Ybus entry (i, k) (MATPOWER dSbus_dV):
//   dS_i/dVa_k = -j V_i conj(Y_ik V_k),  dS_i/dVm_k = V_i conj(Y_ik V_k) / |V_k|
// plus, on the diagonal (i == k), j V_i conj(I_i) and conj(I_i) V_i / |V_i|.
struct JacobianEntry {
  Cplx ds_dva, ds_dvm;
};

CITYTWIN_HD inline JacobianEntry jacobian_entry(Cplx y_ik, Cplx v_i, Cplx v_k, double vm_k, bool diagonal,
                                                Cplx i_i) {
  const Cplx t = v_i * conj(y_ik * v_k);
  JacobianEntry e{{t.im, -t.re}, (1.0 / vm_k) * t};
  if (diagonal) {
    const Cplx u = v_i * conj(i_i);
    e.ds_dva = e.ds_dva + Cplx{-u.im, u.re};
    e.ds_dvm = e.ds_dvm + (1.0 / vm_k) * u;
  }
  return e;
}

}  // namespace citytwin::grid
