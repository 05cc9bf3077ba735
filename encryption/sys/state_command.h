#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos state passphrase`: replaces the passphrase of the node's encrypted state.
Applet state_applet();

}  // namespace macula
