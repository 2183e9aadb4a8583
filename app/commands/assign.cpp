// citytwin assign --net X_net.tntp --trips X_trips.tntp: static user-equilibrium
// traffic assignment on a TNTP network (core/traffic).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/progress_printer.hpp"
#include "app/twin_runs.hpp"
#include "core/common/atomic_file.hpp"
#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "gpu/assignment_device.hpp"

namespace citytwin::app {

namespace {
// The worker threads TBB really runs with: the --threads asked for, capped
// by the cores this process may use (asking for 64 on 2 cores gives 2).
unsigned threads_used(const ThreadLimit& limit) {
  const auto cap = static_cast<unsigned>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  return std::min({limit.threads(), cap, static_cast<unsigned>(tbb::info::default_concurrency())});
}
}  // namespace

namespace {

void write_flows(const std::filesystem::path& path, const traffic::Network& net, const traffic::AssignmentResult& r) {
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    out << std::setprecision(17);
    out << "from,to,flow,cost,travel_time,volume_capacity\n";
    for (std::int32_t k = 0; k < net.link_count; ++k) {
      const std::int32_t a = net.internal_link[k];
      const double x = r.flow[a];
      out << net.tntp_node[net.tail[a]] << ',' << net.tntp_node[net.head[a]] << ',' << x << ',' << r.cost[a] << ','
          << traffic::bpr_time(net.coefficients[a], x) << ',' << x / net.capacity[a] << '\n';
    }
    if (!out) throw IoError("cannot write link flows", SourceLocation{.file = path.string()});
  });
}

void write_trace(const std::filesystem::path& path, const std::vector<traffic::IterationRecord>& trace) {
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp);
    out << std::setprecision(17);
    out << "iteration,seconds,relative_gap,average_excess_cost,objective,tstt,sptt\n";
    for (const auto& r : trace)
      out << r.iteration << ',' << r.seconds << ',' << r.measures.relative_gap << ','
          << r.measures.average_excess_cost << ',' << r.measures.objective << ',' << r.measures.tstt << ','
          << r.measures.sptt << '\n';
    if (!out) throw IoError("cannot write the gap trace", SourceLocation{.file = path.string()});
  });
}

}  // namespace

void add_assign_command(CLI::App& app) {
  struct Options {
    std::string net, trips, algorithm = "bush", flows, trace, device = "cpu";
    std::string twin, out, hours = "0-23", od, progress = "auto";  // the twin form
    double toll_factor = 0, distance_factor = 0, gap = 1e-6;
    double max_seconds = std::numeric_limits<double>::infinity();
    std::int32_t max_iterations = 10000;
    bool json = false, quiet = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("assign",
      "Static user-equilibrium traffic assignment on a TNTP network (BPR link costs).\n"
      "Generalised cost = time + toll_factor * toll + distance_factor * length; zones\n"
      "below <FIRST THRU NODE> are never passed through; intrazonal trips and OD pairs\n"
      "with no path are counted, reported and skipped.\n"
      "Convergence measures (printed per iteration):\n"
      "  TSTT = sum over links of flow * generalised cost\n"
      "  SPTT = sum over OD pairs of demand * shortest-path generalised cost\n"
      "  relative gap = (TSTT - SPTT) / SPTT            (the stopping test, --gap)\n"
      "  average excess cost = (TSTT - SPTT) / total demand\n"
      "  objective = Beckmann objective, sum over links of the integral of the cost\n"
      "  total travel time = sum over links of flow * travel time (no toll/distance)\n"
      "Algorithms: fw (Frank-Wolfe), cfw / bfw (conjugate / bi-conjugate Frank-Wolfe,\n"
      "Mitradjieva & Lindberg 2013), bush (Algorithm B, Dial 2006: high precision).\n"
      "--json prints one object with relative_gap, average_excess_cost, objective,\n"
      "total_travel_time, iterations, seconds, algorithm (and more).\n"
      "Given a twin snapshot (.twin) instead of --net/--trips: the districts' hourly demand\n"
      "(trip generation, gravity, time of day; shared/docs/COUPLING.md), or the vehicle OD\n"
      "matrices of --od (CSV origin,destination,hour,trips, or a TNTP trips file used for every\n"
      "hour), assigned by Algorithm B to a relative gap of 1e-4 for each of --hours; per hour\n"
      "and link flow, travel time, speed and v/c, per district vehicle-km, vehicle-hours and\n"
      "delay, written to -o.\n"
      "--device gpu runs fw / cfw / bfw wholly on a CUDA GPU (flows, costs, shortest paths,\n"
      "line search; bfw when --algorithm is not given); without a GPU it says why on one line\n"
      "and runs on the CPU. The measures printed are recomputed on the CPU from the GPU's flows.\n"
      "Example: citytwin assign --net ChicagoSketch_net.tntp --trips ChicagoSketch_trips.tntp\n"
      "         --toll-factor 0.02 --distance-factor 0.04 --gap 1e-10 --flows flows.csv\n"
      "Example: citytwin assign city.twin --hours 7-9 -o traffic.gpkg\n"
      "Example: citytwin assign city.twin --od counts_od.csv --hours 7-9 -o traffic.gpkg");
  cmd->add_option("twin", opt->twin, "Twin snapshot (.twin): assign the twin's own hourly demand");
  cmd->add_option("-o,--out", opt->out, "Twin form: the results GeoPackage to write");
  cmd->add_option("--hours", opt->hours, "Twin form: hours to assign, e.g. 0-23 or 7-9")->default_val("0-23");
  cmd->add_option("--od", opt->od, "Twin form: vehicle OD matrices (CSV origin,destination,hour,trips or TNTP trips)");
  cmd->add_option("--net", opt->net, "TNTP network file (*_net.tntp)");
  cmd->add_option("--trips", opt->trips, "TNTP trips file (*_trips.tntp)");
  cmd->add_option("--toll-factor", opt->toll_factor, "Generalised-cost weight of the toll (default 0)");
  cmd->add_option("--distance-factor", opt->distance_factor, "Generalised-cost weight of the length (default 0)");
  cmd->add_option("--algorithm", opt->algorithm, "fw, cfw, bfw or bush")
      ->check(CLI::IsMember({"fw", "cfw", "bfw", "bush"}))
      ->default_val("bush");
  cmd->add_option("--gap", opt->gap, "Stop at this relative gap")->default_val(1e-6);
  cmd->add_option("--max-iterations", opt->max_iterations, "Stop after this many iterations")->default_val(10000);
  cmd->add_option("--max-seconds", opt->max_seconds, "Stop after this many seconds");
  cmd->add_option("--flows", opt->flows, "Write link flows as CSV (file order: from,to,flow,cost,travel_time,volume_capacity)");
  cmd->add_option("--gap-trace", opt->trace, "Write the per-iteration measures as CSV");
  cmd->add_option("--device", opt->device, "TNTP form: cpu, or gpu (fw, cfw, bfw on a CUDA GPU; the CPU when there is none)")
      ->check(CLI::IsMember({"cpu", "gpu"}))
      ->default_val("cpu");
  cmd->add_flag("--json", opt->json, "Print one JSON object on stdout");
  cmd->add_flag("--quiet", opt->quiet, "No per-iteration lines on stderr");
  add_progress_option(*cmd, opt->progress);  // the twin form; the TNTP form prints its iterations
  add_threads_option(*cmd, opt->threads);
  cmd->callback([opt, cmd] {
    ThreadLimit threads(opt->threads);
    const bool want_gpu = opt->device == "gpu";
    if (!opt->twin.empty()) {
      if (want_gpu) throw InvalidInput("--device gpu is for the TNTP form; the twin form runs Algorithm B on the CPU", {.field = "--device"});
      if (!opt->net.empty()) throw InvalidInput("give either a twin snapshot or --net, not both", {.field = "--net"});
      // In the twin form --trips is the OD matrix too.
      if (!opt->od.empty() && !opt->trips.empty()) throw InvalidInput("give the OD matrix once, with --od", {.field = "--trips"});
      run_twin_half({.twin = opt->twin, .out = opt->out, .hours = opt->hours, .od = opt->od.empty() ? opt->trips : opt->od,
                     .json = opt->json, .grid = false, .progress = opt->progress});
      return;
    }
    if (opt->net.empty() || opt->trips.empty())
      throw InvalidInput("give a twin snapshot, or a TNTP network with --net and its demand with --trips", {.field = "--net"});
    const auto start = std::chrono::steady_clock::now();
    const traffic::TntpNetwork tntp = traffic::read_tntp_network(opt->net);
    const traffic::TntpTrips trips = traffic::read_tntp_trips(opt->trips);
    const traffic::Network net = traffic::build_network(tntp, {opt->toll_factor, opt->distance_factor});
    const traffic::OdDemand demand = traffic::build_demand(net, trips);
    for (const auto& w : tntp.warnings) std::cerr << "citytwin: warning: " << w << '\n';
    for (const auto& w : trips.warnings) std::cerr << "citytwin: warning: " << w << '\n';
    if (demand.disconnected_pairs > 0)
      std::cerr << "citytwin: warning: " << demand.disconnected_pairs << " OD pairs with demand "
                << demand.disconnected_demand << " have no path and are skipped\n";

    // The GPU runs the Frank-Wolfe family; its default is the strongest of them.
    if (want_gpu && cmd->count("--algorithm") == 0) opt->algorithm = "bfw";
    traffic::AssignmentOptions options;
    options.algorithm = traffic::parse_algorithm(opt->algorithm);
    if (want_gpu && options.algorithm == traffic::Algorithm::bush)
      throw InvalidInput("--device gpu runs fw, cfw or bfw; Algorithm B (bush) runs on the CPU", {.field = "--algorithm"});
    const DeviceChoice device = choose_device(want_gpu);
    options.target_gap = opt->gap;
    options.max_iterations = opt->max_iterations;
    options.max_seconds = opt->max_seconds;
    if (!opt->quiet && !opt->json)
      options.on_iteration = [](const traffic::IterationRecord& r) {
        std::fprintf(stderr, "%5d %9.3f s  gap %.3e  aec %.3e  objective %.15g\n", r.iteration, r.seconds,
                     r.measures.relative_gap, r.measures.average_excess_cost, r.measures.objective);
      };
    const traffic::AssignmentResult r = device.gpu ? gpu::assign(net, demand, options) : traffic::assign(net, demand, options);
    if (!opt->flows.empty()) write_flows(opt->flows, net, r);
    if (!opt->trace.empty()) write_trace(opt->trace, r.trace);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (opt->json) {
      print_json({{"algorithm", opt->algorithm},
                  {"relative_gap", r.measures.relative_gap},
                  {"average_excess_cost", r.measures.average_excess_cost},
                  {"objective", r.measures.objective},
                  {"total_travel_time", r.measures.total_travel_time},
                  {"tstt", r.measures.tstt},
                  {"sptt", r.measures.sptt},
                  {"iterations", r.iterations},
                  {"seconds", r.seconds},
                  {"wall_seconds", wall},
                  {"converged", r.converged},
                  {"device", device.name},
                  {"total_demand", demand.total},
                  {"intrazonal_pairs", demand.intrazonal_pairs},
                  {"intrazonal_demand", demand.intrazonal_demand},
                  {"disconnected_pairs", demand.disconnected_pairs},
                  {"disconnected_demand", demand.disconnected_demand},
                  {"threads", threads_used(threads)},
                  {"bush_origins", r.bush_memory.origins},
                  {"bush_links", r.bush_memory.bush_links},
                  {"bush_bytes", r.bush_memory.bush_bytes},
                  {"bush_bytes_per_origin", r.bush_memory.bytes_per_origin()},
                  {"bush_bytes_per_link", r.bush_memory.bytes_per_bush_link()},
                  {"solver_network_bytes", r.bush_memory.network_bytes}});
      return;
    }
    std::cout << std::setprecision(15) << "algorithm            " << opt->algorithm << '\n'
              << "device               " << device.name << '\n'
              << "converged            " << (r.converged ? "yes" : "no") << '\n'
              << "iterations           " << r.iterations << '\n'
              << "relative gap         " << r.measures.relative_gap << '\n'
              << "average excess cost  " << r.measures.average_excess_cost << '\n'
              << "objective            " << r.measures.objective << '\n'
              << "total travel time    " << r.measures.total_travel_time << '\n'
              << "seconds              " << r.seconds << " (solver), " << wall << " (with I/O)\n"
              << "demand               " << demand.total << " in " << demand.pairs << " OD pairs; skipped "
              << demand.intrazonal_pairs << " intrazonal (" << demand.intrazonal_demand << "), "
              << demand.disconnected_pairs << " disconnected (" << demand.disconnected_demand << ")\n";
    if (r.bush_memory.origins > 0)
      std::cout << "bush memory          " << r.bush_memory.bush_bytes << " bytes at most: " << r.bush_memory.origins << " bushes, "
                << r.bush_memory.bush_links << " bush links, " << r.bush_memory.bytes_per_origin() << " bytes per origin, "
                << r.bush_memory.bytes_per_bush_link() << " per bush link; " << r.bush_memory.network_bytes
                << " bytes of per-network arrays\n";
  });
}

}  // namespace citytwin::app
