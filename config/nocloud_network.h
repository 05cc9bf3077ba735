// NoCloud's network-config (cloud-init's network config, version 1 or version 2 as netplan
// writes it) as maculaos.network (config/network.h): per wired interface DHCP, or one static
// address with its gateway and DNS servers, the interface named or matched by its MAC address
// (the plan's key is then the MAC: macula-network matches it). What MaculaOS does not do (a
// bond, a bridge, a VLAN, a second address, IPv6 DHCP, a renamed interface, another version) is
// a warning naming the file and the key, and left out. Pure.
#pragma once

#include "config/nocloud.h"

namespace macula {

TranslatedConfig from_nocloud_network_config(const ConfigNode& network);

}  // namespace macula
