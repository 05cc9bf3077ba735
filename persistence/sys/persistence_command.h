#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos persistence create`: live persistence on the stick the ISO was written to.
Applet persistence_applet();

}  // namespace macula
