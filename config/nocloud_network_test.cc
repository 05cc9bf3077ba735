#include "config/nocloud_network.h"

#include <catch2/catch.hpp>

#include "config/config_sources.h"
#include "config/config_test_tree.h"
#include "config/network.h"

namespace macula {
namespace {

TranslatedConfig translated(std::string_view yaml) { return from_nocloud_network_config(parsed(yaml, "network-config")); }

std::vector<std::string> issue_lines(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> lines;
  for (const ConfigIssue& issue : issues) lines.push_back(issue.str());
  return lines;
}

TEST_CASE("network-config version 2: a static address with gateway and DNS by name, DHCP matched by MAC") {
  const TranslatedConfig t = translated(
      "version: 2\nethernets:\n  ens3:\n    addresses: [192.168.50.10/24]\n    gateway4: 192.168.50.1\n"
      "    nameservers: {addresses: [192.168.50.1, 1.1.1.1]}\n"
      "  lan:\n    match: {macaddress: '52:54:00:AB:CD:EF'}\n    dhcp4: true\n"
      "  wan:\n    match: {name: ens5}\n    addresses: ['10.0.0.2/8']\n    routes: [{to: default, via: 10.0.0.1}]\n");
  CHECK(t.issues.empty());
  CHECK(validate_config(t.tree).empty());
  CHECK(network_plan(t.tree).ends_with(
      "\nens3 static 192.168.50.10/24 192.168.50.1\n52:54:00:ab:cd:ef dhcp\nens5 static 10.0.0.2/8 10.0.0.1\n"));
  CHECK(nameservers(t.tree) == std::vector<std::string>{"192.168.50.1", "1.1.1.1"});
}

TEST_CASE("network-config version 1: physical interfaces by name or mac_address, a netmask as a prefix, global nameservers") {
  const TranslatedConfig t = translated(
      "network:\n  version: 1\n  config:\n"
      "    - type: physical\n      name: eth0\n      mac_address: '52:54:00:12:34:56'\n"
      "      subnets: [{type: static, address: 192.168.1.10, netmask: 255.255.255.0, gateway: 192.168.1.1, dns_nameservers: [192.168.1.1]}]\n"
      "    - {type: physical, name: eth1, subnets: [{type: dhcp}]}\n"
      "    - {type: nameserver, address: [9.9.9.9]}\n");
  CHECK(t.issues.empty());
  CHECK(validate_config(t.tree).empty());
  CHECK(network_plan(t.tree).ends_with("\n52:54:00:12:34:56 static 192.168.1.10/24 192.168.1.1\neth1 dhcp\n"));
  CHECK(nameservers(t.tree) == std::vector<std::string>{"9.9.9.9", "192.168.1.1"});
}

TEST_CASE("network-config: what MaculaOS does not do is a warning naming the file and the key") {
  CHECK(issue_lines(translated("version: 3\n").issues) ==
        std::vector<std::string>{"network-config:1:10: warning: version: network-config version 3 is not supported (expected version 1 or 2): ignored"});
  const TranslatedConfig t = translated(
      "version: 2\nethernets:\n  e0:\n    match: {name: 'en*'}\n    dhcp4: true\n"
      "  ens3: {addresses: [10.0.0.2/8, 10.0.0.3/8], set-name: lan0}\nbonds: {bond0: {}}\n");
  CHECK(issue_lines(t.issues) == std::vector<std::string>{
      "network-config:4:12: warning: ethernets.e0.match: matched by a pattern or a driver: MaculaOS matches a name or a macaddress: ignored",
      "network-config:6:34: warning: ethernets.ens3.addresses[1]: a second address: one address an interface on MaculaOS: ignored",
      "network-config:6:57: warning: ethernets.ens3.set-name: not supported by MaculaOS: ignored",
      "network-config:7:8: warning: bonds: only ethernets are configured on MaculaOS: ignored"});
  CHECK(network_plan(t.tree).ends_with("\nens3 static 10.0.0.2/8\n"));
  CHECK(translated("network: {config: disabled}\n").issues.empty());
}

TEST_CASE("the seed's network-config merges before its user-data, which may set maculaos.network itself") {
  using Format = ConfigText::Format;
  const std::vector<ConfigText> texts = {
      {"/run/macula/nocloud/network-config", "version: 2\nethernets: {ens3: {dhcp4: true}, ens4: {dhcp4: true}}\n", Format::nocloud_network_config},
      {"/run/macula/nocloud/user-data", "#cloud-config\nmaculaos: {network: {interfaces: {ens4: {dhcp: false}}}}\n", Format::nocloud_user_data},
  };
  const MergedConfig merged = merge_config_sources(texts, {});
  CHECK(merged.issues.empty());
  CHECK(network_plan(merged.tree).ends_with("\nens3 dhcp\nens4 off\n"));
}

}  // namespace
}  // namespace macula
