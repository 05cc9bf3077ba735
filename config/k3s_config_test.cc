#include "config/k3s_config.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("k3s config.yaml takes k3s's key names: args become keys, repeats lists") {
  const K3sConfig k3s = k3s_config(parsed(
      "maculaos:\n  node_name: edge-1\n  token: s3cret\n  labels: {zone: lab, tier: edge}\n"
      "  taints: ['gpu=true:NoSchedule']\n  k3s_args: [server, --disable=traefik, --disable, servicelb, --cluster-init]\n"
      "k3s: {args: ['--node-label=extra=1']}\n"));
  CHECK(k3s.mode == "server");
  CHECK(k3s.token == "s3cret");  // not in config.yaml: its own file
  CHECK(k3s.warnings.empty());
  CHECK(k3s.yaml ==
        "node-name: \"edge-1\"\n"
        "token-file: \"/var/lib/maculaos/k3s-token\"\n"
        "node-label:\n  - \"zone=lab\"\n  - \"tier=edge\"\n  - \"extra=1\"\n  - \"macula.io/role=server\"\n"
        "  - \"macula.io/arch=amd64\"\n"
        "node-taint:\n  - \"gpu=true:NoSchedule\"\n"
        "disable:\n  - \"traefik\"\n  - \"servicelb\"\n"
        "cluster-init: \"true\"\n");
}

TEST_CASE("the plan's node labels: k3s role and architecture, unless the config's labels set them") {
  CHECK(k3s_config(parsed("maculaos: {server_url: 'https://10.0.0.1:6443'}\n")).yaml ==
        "server: \"https://10.0.0.1:6443\"\n"
        "node-label:\n  - \"macula.io/role=agent\"\n  - \"macula.io/arch=amd64\"\n");
  CHECK(k3s_config(parsed("maculaos: {labels: {macula.io/role: gateway}}\n")).yaml ==
        "node-label:\n  - \"macula.io/role=gateway\"\n  - \"macula.io/arch=amd64\"\n");
}

TEST_CASE("k3s mode: an agent when a server URL is given, unless the args say server") {
  CHECK(k3s_config(parsed("maculaos: {server_url: 'https://10.0.0.1:6443'}\n")).mode == "agent");
  CHECK(k3s_config(parsed("maculaos: {server_url: 'https://10.0.0.1:6443', k3s_args: [server]}\n")).mode == "server");
  const K3sConfig none = k3s_config(parsed("hostname: a\n"));
  CHECK(none.mode == "server");
  CHECK(none.yaml == "node-label:\n  - \"macula.io/role=server\"\n  - \"macula.io/arch=amd64\"\n");
}

TEST_CASE("a k3s arg that is not a flag is left out with a warning") {
  const K3sConfig k3s = k3s_config(parsed("maculaos: {k3s_args: [stray, --write-kubeconfig-mode, '0644']}\n"));
  CHECK(k3s.warnings == std::vector<std::string>{"k3s args: 'stray': expected --flag, --flag=value or server|agent; left out"});
  CHECK(k3s.yaml.starts_with("write-kubeconfig-mode: \"0644\"\nnode-label:\n"));
}

std::vector<std::string> ports_of(const char* yaml) {
  std::vector<std::string> out;
  for (const PortRule& rule : k3s_ports(k3s_config(parsed(yaml)))) out.push_back(rule.ports + "/" + rule.protocol);
  return out;
}

TEST_CASE("k3s's ports: the kubelet and flannel's backend everywhere, the API and etcd on servers") {
  CHECK(ports_of("hostname: a\n") == std::vector<std::string>{"10250/tcp", "8472/udp", "6443/tcp"});
  CHECK(ports_of("maculaos: {server_url: 'https://10.0.0.1:6443'}\n") == std::vector<std::string>{"10250/tcp", "8472/udp"});
  CHECK(ports_of("maculaos: {k3s_args: [--cluster-init]}\n") ==
        std::vector<std::string>{"10250/tcp", "8472/udp", "6443/tcp", "2379-2380/tcp"});
  CHECK(ports_of("maculaos: {k3s_args: ['--cluster-init=false']}\n") ==
        std::vector<std::string>{"10250/tcp", "8472/udp", "6443/tcp"});
  CHECK(ports_of("maculaos: {server_url: 'https://10.0.0.1:6443', k3s_args: [server]}\n") ==
        std::vector<std::string>{"10250/tcp", "8472/udp", "6443/tcp", "2379-2380/tcp"});
  CHECK(ports_of("maculaos: {server_url: 'https://a:6443', k3s_args: [agent, --flannel-backend, wireguard-native]}\n") ==
        std::vector<std::string>{"10250/tcp", "51820-51821/udp"});
  CHECK(ports_of("k3s: {args: [--flannel-backend=host-gw]}\n") == std::vector<std::string>{"10250/tcp", "6443/tcp"});
}

}  // namespace
}  // namespace macula
