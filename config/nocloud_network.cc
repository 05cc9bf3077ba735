#include "config/nocloud_network.h"

#include <arpa/inet.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <string>

namespace macula {

namespace {

ConfigNode scalar_node(std::string text, const ConfigMark& mark) {
  return ConfigNode{ConfigNode::Kind::scalar, std::move(text), {}, {}, mark};
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// One interface as maculaos.network takes it.
struct Interface {
  std::string key;  // a name, or a MAC address in lower case
  ConfigMark mark;
  bool dhcp = false;
  std::optional<ConfigNode> address, gateway;
  std::vector<ConfigNode> dns;
};

class NetworkTranslator {
 public:
  TranslatedConfig done() {
    TranslatedConfig out;
    ConfigNode maculaos;
    if (!interfaces_.empty()) {
      ConfigNode map;
      for (const Interface& iface : interfaces_) {
        ConfigNode entry;
        entry.mark = iface.mark;
        if (iface.address) {
          entry.pairs.emplace_back("address", *iface.address);
          if (iface.gateway) entry.pairs.emplace_back("gateway", *iface.gateway);
          if (!iface.dns.empty()) entry.pairs.emplace_back("dns", list(iface.dns, iface.mark));
        } else {
          entry.pairs.emplace_back("dhcp", scalar_node(iface.dhcp ? "true" : "false", iface.mark));
        }
        map.pairs.emplace_back(iface.key, std::move(entry));
      }
      ConfigNode network;
      network.pairs.emplace_back("interfaces", std::move(map));
      maculaos.pairs.emplace_back("network", std::move(network));
    }
    if (!global_dns_.empty()) maculaos.pairs.emplace_back("dns_nameservers", list(global_dns_, global_dns_.front().mark));
    if (!maculaos.pairs.empty()) out.tree.pairs.emplace_back("maculaos", std::move(maculaos));
    out.issues = std::move(issues_);
    return out;
  }

  void warn(const ConfigMark& mark, std::string key, std::string message) {
    issues_.push_back({ConfigIssue::Severity::warning, mark, std::move(key), std::move(message)});
  }

  void version1(const ConfigNode& config) {
    if (!config.is_sequence()) return warn(config.mark, "config", "expected a list of interfaces: ignored");
    for (std::size_t i = 0; i < config.items.size(); ++i) {
      const ConfigNode& item = config.items[i];
      const std::string key = "config[" + std::to_string(i) + "]";
      const std::string type = config_text(item, "type").value_or("");
      if (type == "nameserver") {
        add(global_dns_, config_at(item, "address"));
        continue;
      }
      if (type != "physical") {
        warn(item.mark, key, "type " + (type.empty() ? std::string("(none)") : type) + ": only physical interfaces are configured on MaculaOS: ignored");
        continue;
      }
      const std::optional<std::string> mac = config_text(item, "mac_address");
      Interface iface;
      iface.key = mac ? lower(*mac) : config_text(item, "name").value_or("");
      iface.mark = item.mark;
      if (iface.key.empty()) {
        warn(item.mark, key, "expected a name or a mac_address: ignored");
        continue;
      }
      if (const ConfigNode* subnets = item.find("subnets"); subnets && subnets->is_sequence())
        for (std::size_t s = 0; s < subnets->items.size(); ++s)
          subnet(iface, subnets->items[s], key + ".subnets[" + std::to_string(s) + "]");
      interfaces_.push_back(std::move(iface));
    }
  }

  void version2(const ConfigNode& network) {
    for (const auto& [name, value] : network.pairs) {
      if (name == "version" || name == "renderer") continue;
      if (name != "ethernets") {
        warn(value.mark, name, "only ethernets are configured on MaculaOS: ignored");
        continue;
      }
      if (!value.is_mapping()) {
        warn(value.mark, name, "expected a mapping of interfaces: ignored");
        continue;
      }
      for (const auto& [id, ethernet] : value.pairs) this->ethernet(id, ethernet, "ethernets." + id);
    }
  }

 private:
  std::vector<Interface> interfaces_;
  std::vector<ConfigNode> global_dns_;
  std::vector<ConfigIssue> issues_;

  static ConfigNode list(const std::vector<ConfigNode>& items, const ConfigMark& mark) {
    return ConfigNode{ConfigNode::Kind::sequence, "", items, {}, mark};
  }

  // a list, or one value
  static void add(std::vector<ConfigNode>& to, const ConfigNode* value) {
    if (!value) return;
    if (value->is_scalar()) to.push_back(*value);
    if (value->is_sequence()) to.insert(to.end(), value->items.begin(), value->items.end());
  }

  // ADDRESS/PREFIX, from an address with one, or with version 1's netmask.
  static ConfigNode with_prefix(const ConfigNode& address, const ConfigNode* netmask) {
    if (address.text.find('/') != std::string::npos || !netmask) return address;
    in_addr mask{};
    if (inet_pton(AF_INET, netmask->text.c_str(), &mask) != 1) return address;  // the schema names it then
    return scalar_node(address.text + "/" + std::to_string(std::popcount(mask.s_addr)), address.mark);
  }

  void static_address(Interface& iface, const ConfigNode& address, const std::string& key) {
    if (iface.address) return warn(address.mark, key, "a second address: one address an interface on MaculaOS: ignored");
    iface.address = address;
  }

  void subnet(Interface& iface, const ConfigNode& subnet, const std::string& key) {
    const std::string type = config_text(subnet, "type").value_or("");
    if (type == "dhcp" || type == "dhcp4") {
      iface.dhcp = true;
      return;
    }
    if (type != "static") return warn(subnet.mark, key, "type " + type + ": only dhcp and static subnets are configured on MaculaOS: ignored");
    const ConfigNode* address = subnet.find("address");
    if (!address || !address->is_scalar()) return warn(subnet.mark, key, "a static subnet without an address: ignored");
    if (iface.address) return warn(subnet.mark, key, "a second address: one address an interface on MaculaOS: ignored");
    iface.address = with_prefix(*address, subnet.find("netmask"));
    if (const ConfigNode* gateway = subnet.find("gateway")) iface.gateway = *gateway;
    add(iface.dns, subnet.find("dns_nameservers"));
  }

  void ethernet(const std::string& id, const ConfigNode& value, const std::string& key) {
    if (!value.is_mapping()) return warn(value.mark, key, "expected a mapping: ignored");
    Interface iface;
    iface.key = id;
    iface.mark = value.mark;
    if (const ConfigNode* match = value.find("match")) {
      const std::optional<std::string> mac = config_text(*match, "macaddress");
      const std::optional<std::string> name = config_text(*match, "name");
      if (mac) {
        iface.key = lower(*mac);
      } else if (name && name->find_first_of("*?[") == std::string::npos) {
        iface.key = *name;
      } else {
        return warn(match->mark, key + ".match", "matched by a pattern or a driver: MaculaOS matches a name or a macaddress: ignored");
      }
    }
    for (const auto& [field, setting] : value.pairs) {
      const std::string at = key + "." + field;
      if (field == "match") continue;
      if (field == "dhcp4") {
        iface.dhcp = parse_boolean(setting.text).value_or(false);
      } else if (field == "addresses") {
        if (setting.is_sequence())
          for (std::size_t i = 0; i < setting.items.size(); ++i) static_address(iface, setting.items[i], at + "[" + std::to_string(i) + "]");
      } else if (field == "gateway4" || field == "gateway6") {
        if (!iface.gateway) iface.gateway = setting;
      } else if (field == "routes") {
        routes(iface, setting, at);
      } else if (field == "nameservers") {
        add(iface.dns, setting.find("addresses"));
        if (setting.find("search")) warn(setting.mark, at + ".search", "search domains are not configured on MaculaOS: ignored");
      } else if (field == "dhcp6" && parse_boolean(setting.text) == false) {
        continue;
      } else {
        warn(setting.mark, at, "not supported by MaculaOS: ignored");
      }
    }
    // a DHCP interface's servers stand in for the lease's, as maculaos.dns_nameservers do
    if (!iface.address) global_dns_.insert(global_dns_.end(), iface.dns.begin(), iface.dns.end());
    interfaces_.push_back(std::move(iface));
  }

  void routes(Interface& iface, const ConfigNode& routes, const std::string& key) {
    if (!routes.is_sequence()) return warn(routes.mark, key, "expected a list of routes: ignored");
    for (std::size_t i = 0; i < routes.items.size(); ++i) {
      const ConfigNode& route = routes.items[i];
      const std::string to = config_text(route, "to").value_or("");
      const ConfigNode* via = route.find("via");
      if ((to == "default" || to == "0.0.0.0/0" || to == "::/0") && via && !iface.gateway)
        iface.gateway = *via;
      else
        warn(route.mark, key + "[" + std::to_string(i) + "]", "only a default route is configured on MaculaOS: ignored");
    }
  }
};

}  // namespace

TranslatedConfig from_nocloud_network_config(const ConfigNode& file) {
  NetworkTranslator translator;
  // cloud-init takes the config at the top or under `network:`
  const ConfigNode* wrapped = file.find("network");
  const ConfigNode& network = wrapped && wrapped->is_mapping() ? *wrapped : file;
  const std::string version = config_text(network, "version").value_or("");
  if (const ConfigNode* config = network.find("config"); config && config->is_scalar() && config->text == "disabled") {
    // cloud-init's word for "leave the network alone": the node's own config stands
  } else if (version == "1") {
    if (const ConfigNode* config = network.find("config")) translator.version1(*config);
  } else if (version == "2") {
    translator.version2(network);
  } else {
    const ConfigNode* at = network.find("version");
    translator.warn(at ? at->mark : network.mark, "version",
                    "network-config " + (version.empty() ? std::string("without a version") : "version " + version) +
                        " is not supported (expected version 1 or 2): ignored");
  }
  return translator.done();
}

}  // namespace macula
