#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos fetch URL -o FILE [--ca FILE]`
Applet fetch_applet();

}  // namespace macula
