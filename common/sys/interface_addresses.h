// The node's own addresses, read from the kernel (getifaddrs).
#pragma once

#include <string>
#include <vector>

#include "common/interface_address.h"
#include "common/result.h"

namespace macula {

// The addresses of the node's interfaces but loopback (link-local ones too), in the kernel's
// order.
Result<std::vector<InterfaceAddress>> interface_addresses();

}  // namespace macula
