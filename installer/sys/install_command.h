#pragma once

#include "common/applet.h"

namespace macula {

// `macula-install DEVICE`: MaculaOS onto a disk, A/B layout, slot A from the running media.
Applet install_applet();

}  // namespace macula
