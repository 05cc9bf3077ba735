#pragma once

#include "common/applet.h"

namespace macula {

// `/init`: MaculaOS's PID 1 in the initramfs.
Applet init_applet();

}  // namespace macula
