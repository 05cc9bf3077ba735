#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos support`: the node's facts in a .tar.zst to hand to someone, nothing secret in it.
Applet support_applet();

}  // namespace macula
