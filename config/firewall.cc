#include "config/firewall.h"

#include <set>
#include <string_view>

#include "config/config_schema.h"
#include "config/k3s_config.h"
#include "config/mesh.h"

namespace macula {

namespace {

constexpr std::string_view kOpenTcp[] = {"22", "443"};
constexpr std::string_view kOpenUdp[] = {"5353"};

// nft's set syntax: "{ 22, 80 }"; ranges as FIRST-LAST.
std::string port_set(const std::set<std::string>& ports) {
  std::string out = "{ ";
  for (const std::string& port : ports) out += (out.size() > 2 ? ", " : "") + port;
  return out + " }";
}

}  // namespace

std::string firewall_ruleset(const ConfigNode& config, bool pairing_open) {
  // "table ...; delete table ...": removes the table whether or not it exists yet
  std::string out = std::string("table ") + kFirewallTable + "\ndelete table " + kFirewallTable + "\n";
  if (!config_flag(config, "maculaos.firewall.enabled", true)) return out;
  std::set<std::string> tcp(std::begin(kOpenTcp), std::end(kOpenTcp)), udp(std::begin(kOpenUdp), std::end(kOpenUdp));
  for (const PortRule& rule : k3s_ports(k3s_config(config))) (rule.protocol == "udp" ? udp : tcp).insert(rule.ports);
  for (const PortRule& rule : mesh_ports(config)) (rule.protocol == "udp" ? udp : tcp).insert(rule.ports);
  if (const ConfigNode* allow = config_at(config, "maculaos.firewall.allow"); allow && allow->is_sequence())
    for (const ConfigNode& item : allow->items) {
      const std::size_t slash = item.text.find('/');  // PORT[-LAST]/PROTO: the schema checked it
      (item.text.substr(slash + 1) == "udp" ? udp : tcp).insert(item.text.substr(0, slash));
    }
  out += std::string("table ") + kFirewallTable + " {\n"
         "  set " + kPairingSet + " {\n"
         "    type inet_service\n" +
         (pairing_open ? "    elements = { " + std::to_string(kPairingPort) + " }\n" : std::string()) +
         "  }\n"
         "  chain input {\n"
         "    type filter hook input priority filter; policy drop;\n"
         "    ct state established,related accept\n"
         "    ct state invalid drop\n"
         "    iif lo accept\n"
         "    meta l4proto { icmp, ipv6-icmp } accept\n"
         "    tcp dport " + port_set(tcp) + " accept\n"
         "    udp dport " + port_set(udp) + " accept\n"
         "    tcp dport @" + kPairingSet + " accept\n"
         "  }\n"
         "}\n";
  return out;
}

}  // namespace macula
