#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos setup [--unattended] [--from DIR]`: k3s and Flux, fetched, verified and installed.
Applet setup_applet();

}  // namespace macula
