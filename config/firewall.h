// The node's inbound firewall (maculaos.firewall), as one nftables ruleset that `nft -f -`
// loads atomically: the whole table is replaced, so applying it again changes nothing. Pure.
#pragma once

#include <string>

#include "config/config_tree.h"
#include "names/names.h"

namespace macula {

// The table this builds and owns (other tables, e.g. k3s's, are left alone).
inline constexpr const char* kFirewallTable = "inet maculaos";
// The pairing page's port (pairing/), open only while the pairing service runs: it adds the
// port to this set of the table when it starts and takes it out when it stops.
inline constexpr const char* kPairingSet = "pairing";
inline constexpr int kPairingPort = 80;

// With maculaos.firewall.enabled (the default): inbound dropped except established/related,
// loopback (which is how the node reaches its own git daemon on 9418), ICMP, SSH, the
// Console (443), what k3s needs between nodes (k3s_config.h's k3s_ports: the API, the
// kubelet, flannel, etcd), mDNS (5353/udp), the ports of the
// mesh roles that are on, firewall.allow, and the pairing set (with kPairingPort in it when
// pairing_open: a ruleset loaded while the pairing service runs keeps its port open).
// Disabled: the table is removed.
std::string firewall_ruleset(const ConfigNode& config, bool pairing_open);

}  // namespace macula
