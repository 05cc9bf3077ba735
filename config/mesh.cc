#include "config/mesh.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "config/config_schema.h"
#include "config/sh_quote.h"

namespace macula {

namespace {

// The peer role is every node's unless turned off; bootstrap and gateway are asked for.
bool role_on(const ConfigNode& config, std::string_view role) {
  return config_flag(config, "maculaos.mesh.roles." + std::string(role), role == "peer");
}

}  // namespace

std::string mesh_realm(const ConfigNode& config) {
  return config_text(config, "maculaos.mesh.realm").value_or("io.macula");
}

std::string mesh_env(const ConfigNode& config) {
  std::string peers;
  if (const ConfigNode* list = config_at(config, "maculaos.mesh.bootstrap_peers"); list && list->is_sequence())
    for (const ConfigNode& url : list->items) peers += (peers.empty() ? "" : ",") + url.text;
  auto flag = [&](std::string_view role) { return role_on(config, role) ? "true" : "false"; };
  return "# Written at boot by `maculaos config apply` from maculaos.mesh: edit config.yaml instead.\n"
         "MACULA_REALM=" + sh_quoted(mesh_realm(config)) + "\n" +
         "MACULA_TLS_MODE=" + sh_quoted(config_text(config, "maculaos.mesh.tls_mode").value_or("production")) + "\n" +
         "MACULA_BOOTSTRAP_PEERS=" + sh_quoted(peers) + "\n" +
         "MACULA_ROLE_PEER=" + flag("peer") + "\n" +
         "MACULA_ROLE_BOOTSTRAP=" + flag("bootstrap") + "\n" +
         "MACULA_ROLE_GATEWAY=" + flag("gateway") + "\n";
}

std::vector<MeshRole> mesh_roles(const ConfigNode& config) {
  return {{"macula-mesh", role_on(config, "peer")},
          {"macula-bootstrap", role_on(config, "bootstrap")},
          {"macula-gateway", role_on(config, "gateway")}};
}

std::vector<PortRule> mesh_ports(const ConfigNode& config) {
  std::vector<PortRule> ports;
  if (role_on(config, "bootstrap") || role_on(config, "gateway")) ports = {{"443", "tcp"}, {"443", "udp"}};
  if (role_on(config, "gateway")) ports.push_back({"80", "tcp"});
  return ports;
}

namespace {

// Whether the first `bits` bits of address (network order) are those of prefix.
bool in_prefix(std::span<const std::uint8_t> address, std::initializer_list<std::uint8_t> prefix, int bits) {
  const auto* p = prefix.begin();
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address[i] & mask) != (p[i] & mask)) return false;
  }
  return true;
}

bool public_ipv4(std::span<const std::uint8_t> a) {
  struct Net { std::initializer_list<std::uint8_t> prefix; int bits; };
  // RFC 6890's special-purpose blocks a host can hold, and multicast/reserved above 224/4
  static const Net kNotPublic[] = {{{0}, 8},          {{10}, 8},          {{100, 64}, 10},   {{127}, 8},
                                   {{169, 254}, 16},  {{172, 16}, 12},    {{192, 0, 0}, 24}, {{192, 0, 2}, 24},
                                   {{192, 168}, 16},  {{198, 18}, 15},    {{198, 51, 100}, 24},
                                   {{203, 0, 113}, 24}, {{224}, 3}};
  return std::ranges::none_of(kNotPublic, [&](const Net& n) { return in_prefix(a, n.prefix, n.bits); });
}

bool public_ipv6(std::span<const std::uint8_t> a) {
  // global unicast is 2000::/3; of it, documentation (2001:db8::/32) is not
  return in_prefix(a, {0x20}, 3) && !in_prefix(a, {0x20, 0x01, 0x0d, 0xb8}, 32);
}

}  // namespace

bool is_public_address(std::string_view address) {
  const std::string text(address);
  std::uint8_t bytes[16];
  if (::inet_pton(AF_INET, text.c_str(), bytes) == 1) return public_ipv4(std::span(bytes, 4));
  if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1) return public_ipv6(bytes);
  return false;
}

std::string bootstrap_address_warning(const ConfigNode& config, const std::vector<std::string>& addresses) {
  if (!role_on(config, "bootstrap") || std::ranges::any_of(addresses, is_public_address)) return "";
  return "maculaos.mesh.roles.bootstrap: on, but the node has no public address (" +
         (addresses.empty() ? std::string("none yet") : "only private ones") +
         "): peers outside this network cannot reach it";
}

}  // namespace macula
