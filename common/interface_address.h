// The node's own addresses, as plain data (common/sys/interface_addresses.h reads them from the
// kernel): what the config engine checks a bootstrap node against, what `maculaos sysinfo`
// shows, and the setup wizard's Network step.
#pragma once

#include <string>
#include <vector>

namespace macula {

struct InterfaceAddress {
  std::string interface;  // "eth0"
  std::string address;    // as text, IPv4 or IPv6
  bool running = false;   // up, with a carrier (IFF_UP and IFF_RUNNING)
};

// Just the addresses' texts.
std::vector<std::string> address_texts(const std::vector<InterfaceAddress>& addresses);

}  // namespace macula
