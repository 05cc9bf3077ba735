#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos logs`: a service's log, the kernel's, this boot's timeline; and the rotation that
// keeps /var/log within its budget (the macula-logs service runs it).
Applet logs_applet();

}  // namespace macula
