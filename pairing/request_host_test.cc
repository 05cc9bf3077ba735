#include "pairing/request_host.h"

#include <catch2/catch.hpp>

namespace macula {

TEST_CASE("the Host header names the node, one of its addresses or loopback, with or without a port") {
  const auto names = node_host_names("Macula-3456", {"10.0.2.15", "fec0::5054:ff:fe12:3456"});
  for (const char* host : {"macula-3456", "macula-3456.local", "MACULA-3456.LOCAL", "macula-3456.local.", "macula-3456.local:80",
                           "10.0.2.15", "10.0.2.15:80", "127.0.0.1:40123", "localhost:8080", "[::1]", "[fec0::5054:ff:fe12:3456]",
                           "[FEC0::5054:FF:FE12:3456]:80"}) {
    INFO(host);
    CHECK(!host_problem(host, names));
  }
}

TEST_CASE("another name, a malformed host or none is refused with the host named") {
  const auto names = node_host_names("macula-3456", {"10.0.2.15", "fec0::1"});
  for (const char* host : {"evil.example.org", "macula-3456.local.evil.example.org", "10.0.2.16", "macula-3456.local:",
                           "macula-3456.local:80x", "10.0.2.15:99999999", "[fec0::1", "fec0::1", ".", ":80", "[]"}) {
    INFO(host);
    const auto problem = host_problem(host, names);
    REQUIRE(problem);
    CHECK(problem->starts_with("Host '" + std::string(host) + "' is not this node"));
  }
  CHECK(host_problem("", names) == "the request has no Host header: open the page by the node's name or address");
}

}  // namespace macula
