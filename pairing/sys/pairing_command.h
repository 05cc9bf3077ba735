#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos pairing`: the first-boot pairing service (macula-firstboot runs it while the node
// is not configured): the page on port 80, the console's welcome screen, the Portal exchange.
Applet pairing_applet();

}  // namespace macula
