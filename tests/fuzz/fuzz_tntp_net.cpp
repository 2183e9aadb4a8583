// libFuzzer target: a TNTP network file (*_net.tntp), read and built into the
// solver's network as `citytwin assign --net` does, then one shortest-path
// assignment of one trip between the first two zones.
#include "core/traffic/assignment.hpp"
#include "core/traffic/network.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace citytwin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_only_citytwin_errors([&] {
    const traffic::TntpNetwork t = traffic::parse_tntp_network(std::string(fuzz::as_text(data, size)), "fuzz_net.tntp");
    const traffic::Network net = traffic::build_network(t, {.toll_factor = 0.02, .distance_factor = 0.04});
    if (t.zones < 2) return;
    traffic::TntpTrips trips;
    trips.file = "one_trip";
    trips.zones = t.zones;
    trips.entries.push_back({.origin = 1, .destination = 2, .flow = 1, .line = 1});
    trips.total = 1;
    traffic::AssignmentOptions o;
    o.algorithm = traffic::Algorithm::frank_wolfe;
    o.max_iterations = 2;
    traffic::assign(net, traffic::build_demand(net, trips), o);
  });
  return 0;
}
