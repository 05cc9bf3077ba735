#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos sysinfo`: the node at a glance (OS, slot, kernel, uptime, memory, disk, address,
// mesh role and realm, k3s).
Applet sysinfo_applet();

}  // namespace macula
