#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos boot status|mark-good|mark-bad|set-next`: the A/B boot state from Linux.
Applet boot_applet();

}  // namespace macula
