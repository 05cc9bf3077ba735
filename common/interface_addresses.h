// The node's own addresses: what the config engine checks a bootstrap node against and what
// `maculaos sysinfo` shows.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

// The addresses of the node's interfaces but loopback, as text (link-local ones too).
Result<std::vector<std::string>> interface_addresses();

}  // namespace macula
