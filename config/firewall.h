// The node's inbound firewall (maculaos.firewall), as one nftables ruleset that `nft -f -`
// loads atomically: the whole table is replaced, so applying it again changes nothing. Pure.
#pragma once

#include <string>

#include "config/config_tree.h"

namespace macula {

// The table this builds and owns (other tables, e.g. k3s's, are left alone).
inline constexpr const char* kFirewallTable = "inet maculaos";

// With maculaos.firewall.enabled (the default): inbound dropped except established/related,
// loopback (which is how the node reaches its own git daemon on 9418), ICMP, SSH, the
// Console (80, 443), the k3s API (6443), the kubelet (10250), mDNS (5353/udp), the ports of
// the mesh roles that are on, and firewall.allow. Disabled: the table is removed.
std::string firewall_ruleset(const ConfigNode& config);

}  // namespace macula
