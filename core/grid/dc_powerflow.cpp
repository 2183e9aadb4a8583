#include "core/grid/dc_powerflow.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "core/common/errors.hpp"

namespace citytwin::grid {

DcModel build_dc_model(const PowerCase& pc, const Network& net) {
  DcModel m;
  const std::int32_t n = net.n_bus;
  m.n_bus = n;
  m.reduced.assign(n, -1);
  for (std::int32_t i = 0; i < n; ++i) {
    if (net.role[i] == BusRole::pq || net.role[i] == BusRole::pv) {
      m.reduced[i] = static_cast<std::int32_t>(m.bus_of_row.size());
      m.bus_of_row.push_back(i);
    }
  }
  const std::size_t n_branch = pc.branches.size();
  m.b.assign(n_branch, 0.0);
  m.pf_inj.assign(n_branch, 0.0);
  struct Entry {
    std::int32_t col, row;
    double value;
  };
  std::vector<Entry> entries;  // both triangles of the symmetric reduced B
  entries.reserve(4 * n_branch);
  for (std::size_t k = 0; k < n_branch; ++k) {
    if (!net.branch_active[k]) continue;
    const Branch& br = pc.branches[k];
    const double tap = br.ratio == 0 ? 1.0 : br.ratio;
    const double b = 1.0 / (net.branch_x_dc[k] * tap);
    m.b[k] = b;
    m.pf_inj[k] = -b * br.angle * kDegToRad;
    const std::int32_t f = m.reduced[net.index.branch_from[k]], t = m.reduced[net.index.branch_to[k]];
    if (f >= 0) entries.push_back({f, f, b});
    if (t >= 0) entries.push_back({t, t, b});
    if (f >= 0 && t >= 0) {
      entries.push_back({t, f, -b});
      entries.push_back({f, t, -b});
    }
  }
  const std::int32_t nr = static_cast<std::int32_t>(m.bus_of_row.size());
  // Compressed columns by counting (no global sort): every column has its
  // diagonal (a bus without branches keeps a zero there: singular, reported
  // below); within a column, rows are sorted and duplicates (parallel
  // branches, the diagonal) summed.
  std::vector<std::int32_t> count(nr + 1, 1);
  count[nr] = 0;
  for (const Entry& e : entries) ++count[e.col];
  std::vector<std::int32_t> start(nr + 1, 0);
  for (std::int32_t c = 0; c < nr; ++c) start[c + 1] = start[c] + count[c];
  std::vector<std::int32_t> rows(start[nr]);
  std::vector<double> vals(start[nr]);
  std::vector<std::int32_t> fill(start.begin(), start.end() - 1);
  for (std::int32_t c = 0; c < nr; ++c) {
    rows[fill[c]] = c;
    vals[fill[c]++] = 0.0;
  }
  for (const Entry& e : entries) {
    rows[fill[e.col]] = e.row;
    vals[fill[e.col]++] = e.value;
  }
  m.col_ptr.assign(nr + 1, 0);
  m.row_idx.reserve(rows.size());
  m.values.reserve(rows.size());
  std::vector<std::pair<std::int32_t, double>> column;
  for (std::int32_t c = 0; c < nr; ++c) {
    column.clear();
    for (std::int32_t p = start[c]; p < start[c + 1]; ++p) column.emplace_back(rows[p], vals[p]);
    std::sort(column.begin(), column.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t q = 0; q < column.size(); ++q) {
      if (q > 0 && column[q].first == column[q - 1].first) {
        m.values.back() += column[q].second;
      } else {
        m.row_idx.push_back(column[q].first);
        m.values.push_back(column[q].second);
      }
    }
    m.col_ptr[c + 1] = static_cast<std::int32_t>(m.row_idx.size());
  }
  if (nr > 0) {
    m.lu.analyze(nr, m.col_ptr, m.row_idx);
    if (!m.lu.factor(m.values.data())) {
      throw NotConverged("the DC susceptance matrix is singular (branch reactances cancel out)",
                         SourceLocation{.file = pc.source.empty() ? pc.name : pc.source, .layer = "branch"});
    }
  }
  return m;
}

std::vector<double> dc_angles(const PowerCase& pc, const Network& net, const DcModel& m) {
  const std::int32_t n = net.n_bus;
  std::vector<double> theta(n, 0.0);
  for (std::int32_t i = 0; i < n; ++i) {
    if (net.role[i] == BusRole::slack) theta[i] = pc.buses[i].va * kDegToRad;
  }
  const std::size_t nr = m.bus_of_row.size();
  std::vector<double> rhs(nr);
  for (std::size_t r = 0; r < nr; ++r) {
    const std::int32_t i = m.bus_of_row[r];
    rhs[r] = net.s_sched[i].re - pc.buses[i].gs / pc.base_mva;
  }
  for (std::size_t k = 0; k < pc.branches.size(); ++k) {
    if (!net.branch_active[k]) continue;
    const std::int32_t f = net.index.branch_from[k], t = net.index.branch_to[k];
    const std::int32_t rf = m.reduced[f], rt = m.reduced[t];
    if (rf >= 0) rhs[rf] -= m.pf_inj[k];
    if (rt >= 0) rhs[rt] += m.pf_inj[k];
    // move the fixed slack angles to the right-hand side
    if (rf >= 0 && rt < 0) rhs[rf] += m.b[k] * theta[t];
    if (rt >= 0 && rf < 0) rhs[rt] += m.b[k] * theta[f];
  }
  if (nr > 0 && !m.lu.solve(rhs.data())) {
    throw NotConverged("the DC solve failed", SourceLocation{.file = pc.source, .layer = "bus"});
  }
  for (std::size_t r = 0; r < nr; ++r) theta[m.bus_of_row[r]] = rhs[r];
  return theta;
}

PowerFlowResult dc_result(const PowerCase& pc, const Network& net, const DcModel& m, const std::vector<double>& theta) {
  PowerFlowResult res;
  res.dc = true;
  res.status = SolveStatus::converged;
  res.islands = net.islands.count;
  const std::int32_t n = net.n_bus;
  const double base = pc.base_mva;
  res.vm.assign(n, 0.0);
  res.va_deg.assign(n, 0.0);
  res.energised.assign(n, 0);
  res.min_vm = 1;
  res.max_vm = 1;
  for (std::int32_t i = 0; i < n; ++i) {
    if (net.role[i] == BusRole::deenergised) {
      res.deenergised_buses.push_back(pc.buses[i].id);
      continue;
    }
    res.energised[i] = 1;
    res.vm[i] = 1;
    res.va_deg[i] = theta[i] / kDegToRad;
  }
  const std::size_t n_branch = pc.branches.size();
  res.pf.assign(n_branch, 0.0);
  res.pt.assign(n_branch, 0.0);
  res.qf.assign(n_branch, 0.0);
  res.qt.assign(n_branch, 0.0);
  std::vector<double> p_out(n, 0.0);  // power leaving each bus into branches, pu
  for (std::size_t k = 0; k < n_branch; ++k) {
    if (!net.branch_active[k]) continue;
    const std::int32_t f = net.index.branch_from[k], t = net.index.branch_to[k];
    const double flow = m.b[k] * (theta[f] - theta[t]) + m.pf_inj[k];
    res.pf[k] = flow * base;
    res.pt[k] = -flow * base;
    p_out[f] += flow;
    p_out[t] -= flow;
  }
  res.pg.assign(pc.generators.size(), 0.0);
  res.qg.assign(pc.generators.size(), 0.0);
  std::vector<std::int32_t> slack_gen(n, -1);
  std::vector<double> other_pg(n, 0.0);
  for (std::size_t g = 0; g < pc.generators.size(); ++g) {
    if (!net.gen_active[g]) continue;
    const std::int32_t bus = net.index.gen_bus[g];
    res.pg[g] = pc.generators[g].pg;
    res.qg[g] = pc.generators[g].qg;
    if (net.role[bus] == BusRole::slack && slack_gen[bus] < 0) {
      slack_gen[bus] = static_cast<std::int32_t>(g);
    } else {
      other_pg[bus] += pc.generators[g].pg;
    }
  }
  for (std::int32_t i = 0; i < n; ++i) {
    if (slack_gen[i] < 0) continue;
    res.pg[slack_gen[i]] = (p_out[i] + pc.buses[i].gs / base) * base + pc.buses[i].pd - other_pg[i];
  }
  res.warnings = net.warnings;
  return res;
}

}  // namespace citytwin::grid
