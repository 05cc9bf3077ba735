#include "config/network.h"
#include "config/ntp.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("the network plan: static interfaces, DHCP, off, and the service gives the rest DHCP") {
  const ConfigNode config = parsed(
      "maculaos:\n  dns_nameservers: [1.1.1.1]\n  network:\n    interfaces:\n"
      "      ens3: {address: 192.168.1.10/24, gateway: 192.168.1.1, dns: [192.168.1.1, 1.1.1.1]}\n"
      "      ens4: {dhcp: true}\n      ens5: {dhcp: false}\n      ens6: {address: '10.0.0.2/8'}\n");
  CHECK(network_plan(config).ends_with("\nens3 static 192.168.1.10/24 192.168.1.1\nens4 dhcp\nens5 off\nens6 static 10.0.0.2/8\n"));
  CHECK(nameservers(config) == std::vector<std::string>{"1.1.1.1", "192.168.1.1"});
  CHECK(network_plan(parsed("hostname: a\n")).find('\n') == network_plan(parsed("hostname: a\n")).size() - 1);
  CHECK(nameservers(parsed("hostname: a\n")).empty());
}

TEST_CASE("chronyd's sources: the configured servers, else Debian's pool") {
  CHECK(ntp_sources(parsed("maculaos: {ntp_servers: [10.0.0.1, time.example]}\n"))
            .ends_with("\nserver 10.0.0.1 iburst\nserver time.example iburst\n"));
  CHECK(ntp_sources(parsed("hostname: a\n")).ends_with("\npool 2.debian.pool.ntp.org iburst\n"));
}

}  // namespace
}  // namespace macula
