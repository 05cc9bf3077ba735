#include "config/host_name.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("the host name /etc/hostname gives: its first name, comments and blanks left out") {
  CHECK(configured_host_name("edge-1\n") == "edge-1");
  CHECK(configured_host_name("# set by hand\n\n  edge-2 # the second\nedge-3\n") == "edge-2");
  CHECK(configured_host_name("") == "");
  CHECK(configured_host_name("# nothing\n \t\n") == "");
}

TEST_CASE("the node's name: the configured one, else macula- and the first device's six device hex digits") {
  const std::vector<NetDevice> devices = {{"ens3", "52:54:00:12:34:56"}, {"ens4", "52:54:00:ab:cd:ef"}};
  CHECK(node_host_name("edge-1", devices) == "edge-1");
  CHECK(node_host_name("", devices) == "macula-123456");
  // two nodes of one vendor whose MACs end alike are still told apart
  const std::vector<NetDevice> other = {{"eth0", "52:54:00:ab:34:56"}};
  CHECK(node_host_name("", other) == "macula-ab3456");
  CHECK(node_host_name("", {}) == "macula");
}

TEST_CASE("/etc/hosts gains a 127.0.1.1 line for the name unless a line already ends with it") {
  const std::string hosts = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost\n";
  CHECK(hosts_naming(hosts, "macula-3456") == hosts + "127.0.1.1\tmacula-3456\n");
  CHECK(hosts_naming(hosts + "127.0.1.1\tmacula-3456\n", "macula-3456") == std::nullopt);
  // another name that ends the same way is not this one
  CHECK(hosts_naming(hosts + "127.0.1.1\txmacula-3456\n", "macula-3456").has_value());
  CHECK(hosts_naming("127.0.0.1 localhost", "edge") == "127.0.0.1 localhost\n127.0.1.1\tedge\n");
}

}  // namespace
}  // namespace macula
