#include "config/network.h"

#include <algorithm>

#include "config/config_schema.h"

namespace macula {

namespace {

const ConfigNode* interfaces(const ConfigNode& config) {
  const ConfigNode* map = config_at(config, "maculaos.network.interfaces");
  return map && map->is_mapping() ? map : nullptr;
}

}  // namespace

std::string network_plan(const ConfigNode& config) {
  std::string out = "# Written at boot by `maculaos config apply` from maculaos.network: edit config.yaml instead.\n";
  const ConfigNode* map = interfaces(config);
  if (!map) return out;
  for (const auto& [name, iface] : map->pairs) {
    const std::optional<std::string> address = config_text(iface, "address");
    if (address) {
      out += name + " static " + *address;
      if (auto gateway = config_text(iface, "gateway")) out += " " + *gateway;
      out += "\n";
    } else {
      out += name + (config_flag(iface, "dhcp", true) ? " dhcp\n" : " off\n");
    }
  }
  return out;
}

std::vector<std::string> nameservers(const ConfigNode& config) {
  std::vector<std::string> out;
  auto add = [&](const std::vector<std::string>& servers) {
    for (const std::string& server : servers)
      if (std::ranges::find(out, server) == out.end()) out.push_back(server);
  };
  add(config_texts(config, "maculaos.dns_nameservers"));
  if (const ConfigNode* map = interfaces(config))
    for (const auto& [name, iface] : map->pairs)
      if (iface.find("address")) add(config_texts(iface, "dns"));
  return out;
}

}  // namespace macula
