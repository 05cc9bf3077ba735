// What the config gives k3s: /etc/rancher/k3s/config.yaml, in k3s's own key names (k3s reads it
// at start: a key is a flag's long name, a repeated flag a list), and whether the node is a
// server or an agent. Pure: the merged node config in, texts out.
#pragma once

#include <string>
#include <vector>

#include "config/config_tree.h"
#include "config/mesh.h"
#include "names/names.h"

namespace macula {

// 0600 (k3s_args may name secrets), in a directory others can read: k3s writes the kubeconfig
// (k3s.yaml) beside it, 0600 and root's (it is the cluster's admin: kubectl through sudo).
inline constexpr const char* kK3sConfigPath = "/etc/rancher/k3s/config.yaml";

// The node labels every MaculaOS node carries (the plan's defaults): its k3s role (server or
// agent) and its architecture (amd64, arm64, arm).
inline constexpr const char* kRoleLabel = "macula.io/role";
inline constexpr const char* kArchLabel = "macula.io/arch";

struct K3sConfig {
  std::string yaml;  // config.yaml's text
  std::string token;  // maculaos.token, for kK3sTokenPath; empty: none
  std::string mode;  // "server" or "agent"
  ConfigNode keys;   // config.yaml's keys, as the yaml has them
  std::vector<std::string> warnings;  // k3s_args words that are neither a --flag nor its value
};

// maculaos.node_name -> node-name, server_url -> server, token -> token-file (kK3sTokenPath,
// which gets the token), labels ->
// node-label (KEY=VALUE; then kRoleLabel and kArchLabel unless labels sets them), taints ->
// node-taint, then maculaos.k3s_args and k3s.args: `--flag`,
// `--flag=value` and `--flag value` become keys (a flag given twice, or given by a key above
// too, a list). The mode, as k3OS chose it: the word `server` or `agent` in the args, else
// agent when server_url is set, else server.
K3sConfig k3s_config(const ConfigNode& config);

// What k3s needs open between the cluster's nodes, from the node's role and flags: the kubelet
// (10250/tcp) and flannel's backend (vxlan, the default: 8472/udp; wireguard-native:
// 51820-51821/udp; host-gw and none: nothing) on every node; on a server the API (6443/tcp),
// and etcd's client and peer ports (2379-2380/tcp) when it runs an embedded etcd
// (cluster-init, or joining another server).
std::vector<PortRule> k3s_ports(const K3sConfig& k3s);

}  // namespace macula
