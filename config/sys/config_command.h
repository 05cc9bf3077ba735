#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos config show|get|validate`
Applet config_applet();

}  // namespace macula
