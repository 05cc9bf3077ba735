#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos identity`: the node's Ed25519 identity, made on first use.
Applet identity_applet();

}  // namespace macula
