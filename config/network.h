// maculaos.network: how the service macula-network brings up each wired interface. The boot
// stage writes the plan as a small file the service reads (one interface a line); every wired
// interface the config does not name gets DHCP. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config_tree.h"
#include "names/names.h"

namespace macula {


std::string network_plan(const ConfigNode& config);

// The name servers of resolv.conf: maculaos.dns_nameservers, then each static interface's dns.
std::vector<std::string> nameservers(const ConfigNode& config);

}  // namespace macula
