#include "config/mesh.h"

#include "config/config_schema.h"
#include "config/sh_quote.h"

namespace macula {

namespace {

bool role_on(const ConfigNode& config, std::string_view role) {
  return config_flag(config, "maculaos.mesh.roles." + std::string(role), false);
}

}  // namespace

std::string mesh_env(const ConfigNode& config) {
  std::string peers;
  if (const ConfigNode* list = config_at(config, "maculaos.mesh.bootstrap_peers"); list && list->is_sequence())
    for (const ConfigNode& url : list->items) peers += (peers.empty() ? "" : ",") + url.text;
  auto flag = [&](std::string_view role) { return role_on(config, role) ? "true" : "false"; };
  return "# Written at boot by `maculaos config apply` from maculaos.mesh: edit config.yaml instead.\n"
         "MACULA_REALM=" + sh_quoted(config_text(config, "maculaos.mesh.realm").value_or("io.macula")) + "\n" +
         "MACULA_TLS_MODE=" + sh_quoted(config_text(config, "maculaos.mesh.tls_mode").value_or("production")) + "\n" +
         "MACULA_BOOTSTRAP_PEERS=" + sh_quoted(peers) + "\n" +
         "MACULA_ROLE_PEER=true\n"
         "MACULA_ROLE_BOOTSTRAP=" + flag("bootstrap") + "\n" +
         "MACULA_ROLE_GATEWAY=" + flag("gateway") + "\n";
}

std::vector<MeshRole> mesh_roles(const ConfigNode& config) {
  return {{"macula-mesh", true},
          {"macula-bootstrap", role_on(config, "bootstrap")},
          {"macula-gateway", role_on(config, "gateway")}};
}

std::vector<PortRule> mesh_ports(const ConfigNode& config) {
  std::vector<PortRule> ports;
  if (role_on(config, "bootstrap") || role_on(config, "gateway")) ports = {{"443", "tcp"}, {"443", "udp"}};
  if (role_on(config, "gateway")) ports.push_back({"80", "tcp"});
  return ports;
}

}  // namespace macula
