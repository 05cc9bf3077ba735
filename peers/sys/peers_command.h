#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos peers [--json]`: the MaculaOS nodes mDNS finds on the LAN.
Applet peers_applet();

}  // namespace macula
