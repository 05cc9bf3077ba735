#include "config/mesh.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("public addresses: neither private, shared, loopback, link-local, documentation nor multicast") {
  for (const char* address : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2a00:1450:4001::1", "2001:4860::8888"})
    CHECK(is_public_address(address));
  for (const char* address : {"10.0.2.15", "172.16.0.1", "172.31.255.255", "192.168.1.2", "100.64.0.1", "127.0.0.1",
                              "169.254.1.1", "0.0.0.0", "192.0.2.7", "198.51.100.1", "203.0.113.9", "224.0.0.251",
                              "255.255.255.255", "::1", "fe80::1", "fd00::1", "2001:db8::1", "::", "ff02::fb", "bad", ""})
    CHECK_FALSE(is_public_address(address));
}

TEST_CASE("a bootstrap node without a public address is warned about, never refused") {
  const ConfigNode bootstrap = parsed("maculaos: {mesh: {roles: {bootstrap: true}}}\n");
  CHECK(bootstrap_address_warning(bootstrap, {"10.0.2.15", "fe80::1"}) ==
        "maculaos.mesh.roles.bootstrap: on, but the node has no public address (only private ones): peers outside "
        "this network cannot reach it");
  CHECK_THAT(bootstrap_address_warning(bootstrap, {}), Catch::Contains("(none yet)"));
  CHECK(bootstrap_address_warning(bootstrap, {"10.0.2.15", "2a00:1450:4001::1"}).empty());
  CHECK(bootstrap_address_warning(parsed("maculaos: {mesh: {roles: {gateway: true}}}\n"), {"10.0.2.15"}).empty());
}

TEST_CASE("each mesh role is a service in the default runlevel or not: peer on unless turned off") {
  const std::vector<MeshRole> defaults = mesh_roles(parsed("hostname: n\n"));
  REQUIRE(defaults.size() == 3);
  CHECK((defaults[0].service == "macula-mesh" && defaults[0].on));
  CHECK_FALSE(defaults[1].on);
  CHECK_FALSE(defaults[2].on);
  const ConfigNode no_peer = parsed("maculaos: {mesh: {roles: {peer: false, gateway: true}}}\n");
  const std::vector<MeshRole> roles = mesh_roles(no_peer);
  CHECK_FALSE(roles[0].on);
  CHECK((roles[2].service == "macula-gateway" && roles[2].on));
  CHECK_THAT(mesh_env(no_peer), Catch::Contains("MACULA_ROLE_PEER=false\n"));
  CHECK_THAT(mesh_env(parsed("hostname: n\n")), Catch::Contains("MACULA_ROLE_PEER=true\n"));
}

}  // namespace
}  // namespace macula
