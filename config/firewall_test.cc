#include "config/firewall.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"
#include "config/mesh.h"

namespace macula {
namespace {

constexpr std::string_view kReplace = "table inet maculaos\ndelete table inet maculaos\n";

TEST_CASE("the default firewall drops inbound but for the node's own services") {
  const std::string rules = firewall_ruleset(parsed("hostname: a\n"), false);
  CHECK(rules.starts_with(kReplace));
  CHECK(rules.find("policy drop;") != std::string::npos);
  CHECK(rules.find("iif lo accept") != std::string::npos);
  CHECK(rules.find("tcp dport { 10250, 22, 443, 6443 } accept") != std::string::npos);
  CHECK(rules.find("udp dport { 5353, 8472 } accept") != std::string::npos);
  CHECK(rules.find("  set pairing {\n    type inet_service\n  }\n") != std::string::npos);
  CHECK(rules.find("tcp dport @pairing accept") != std::string::npos);
}

TEST_CASE("a ruleset made while the pairing service runs keeps its port open") {
  const std::string rules = firewall_ruleset(parsed("hostname: a\n"), true);
  CHECK(rules.find("  set pairing {\n    type inet_service\n    elements = { 80 }\n  }\n") != std::string::npos);
  CHECK(firewall_ruleset(parsed("maculaos: {firewall: {enabled: false}}\n"), true) == kReplace);
}

TEST_CASE("roles and firewall.allow open their ports: enabled: false removes the table") {
  const std::string rules = firewall_ruleset(parsed(
      "maculaos:\n  mesh: {roles: {bootstrap: true}}\n  firewall: {allow: [8080/tcp, 5000-5010/udp]}\n"), false);
  CHECK(rules.find("tcp dport { 10250, 22, 443, 6443, 8080 } accept") != std::string::npos);
  CHECK(rules.find("udp dport { 443, 5000-5010, 5353, 8472 } accept") != std::string::npos);
  CHECK(firewall_ruleset(parsed("maculaos: {firewall: {enabled: false, allow: [8080/tcp]}}\n"), false) == kReplace);
}

TEST_CASE("k3s's ports between nodes follow the node's role and flags") {
  // an agent: the kubelet and VXLAN, no API and no etcd
  const std::string agent = firewall_ruleset(parsed("maculaos: {server_url: 'https://10.0.0.1:6443'}\n"), false);
  CHECK(agent.find("tcp dport { 10250, 22, 443 } accept") != std::string::npos);
  CHECK(agent.find("udp dport { 5353, 8472 } accept") != std::string::npos);
  // the first server of an embedded etcd, with WireGuard in place of VXLAN
  const std::string first = firewall_ruleset(
      parsed("maculaos: {k3s_args: [--cluster-init, --flannel-backend=wireguard-native]}\n"), false);
  CHECK(first.find("tcp dport { 10250, 22, 2379-2380, 443, 6443 } accept") != std::string::npos);
  CHECK(first.find("udp dport { 51820-51821, 5353 } accept") != std::string::npos);
  // a server joining another: etcd too
  const std::string joining = firewall_ruleset(
      parsed("maculaos: {server_url: 'https://10.0.0.1:6443', k3s_args: [server]}\n"), false);
  CHECK(joining.find("tcp dport { 10250, 22, 2379-2380, 443, 6443 } accept") != std::string::npos);
}

TEST_CASE("mesh roles: the peer always, bootstrap and gateway when asked: mesh.env quotes for sh") {
  const ConfigNode config = parsed(
      "maculaos:\n  mesh:\n    roles: {gateway: yes}\n    realm: com.example\n"
      "    bootstrap_peers: ['https://a.example/x', \"https://b.example/$(reboot)'\"]\n");
  const std::vector<MeshRole> roles = mesh_roles(config);
  REQUIRE(roles.size() == 3);
  CHECK((roles[0].service == "macula-mesh" && roles[0].on));
  CHECK((roles[1].service == "macula-bootstrap" && !roles[1].on));
  CHECK((roles[2].service == "macula-gateway" && roles[2].on));
  CHECK(mesh_env(config).find("MACULA_REALM='com.example'\nMACULA_TLS_MODE='production'\n"
                              "MACULA_BOOTSTRAP_PEERS='https://a.example/x,https://b.example/$(reboot)'\\'''\n"
                              "MACULA_ROLE_PEER=true\nMACULA_ROLE_BOOTSTRAP=false\nMACULA_ROLE_GATEWAY=true\n") !=
        std::string::npos);
  CHECK(mesh_ports(config).size() == 3);
  CHECK(mesh_ports(parsed("hostname: a\n")).empty());
}

}  // namespace
}  // namespace macula
