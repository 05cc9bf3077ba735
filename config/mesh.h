// The Macula mesh roles (maculaos.mesh): the environment the Macula daemons read, which of
// their OpenRC services run, and the ports the roles open. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config_tree.h"
#include "names/names.h"

namespace macula {


struct MeshRole {
  std::string service;  // the OpenRC service (rootfs/overlay/etc/init.d)
  bool on = false;
};

struct PortRule {
  std::string ports;     // "443", "8000-8100"
  std::string protocol;  // "tcp" or "udp"
};

// maculaos.mesh.realm, or the default realm io.macula.
std::string mesh_realm(const ConfigNode& config);

// mesh.env: MACULA_REALM, MACULA_TLS_MODE, MACULA_BOOTSTRAP_PEERS (comma-separated) and
// MACULA_ROLE_{PEER,BOOTSTRAP,GATEWAY}=true|false. Defaults: realm io.macula, tls_mode
// production, no bootstrap peers, bootstrap and gateway off.
std::string mesh_env(const ConfigNode& config);

// macula-mesh (the peer: always on), macula-bootstrap and macula-gateway.
std::vector<MeshRole> mesh_roles(const ConfigNode& config);

// bootstrap: 443/tcp+udp; gateway: 443/tcp+udp and 80/tcp.
std::vector<PortRule> mesh_ports(const ConfigNode& config);

// Whether peers on the internet could reach this address (IPv4 or IPv6 text): not private
// (RFC 1918, shared 100.64/10, unique local fc00::/7), loopback, link-local, documentation,
// multicast or unspecified. A bootstrap node without one is reachable on its LAN only.
bool is_public_address(std::string_view address);

// The warning for a node with the bootstrap role whose addresses are all non-public; "" when
// the role is off or an address is public.
std::string bootstrap_address_warning(const ConfigNode& config, const std::vector<std::string>& addresses);

}  // namespace macula
