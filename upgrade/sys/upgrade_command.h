#pragma once

#include "common/applet.h"

namespace macula {

// `maculaos upgrade --check|--apply|--rollback|--status`: A/B upgrades from signed releases.
Applet upgrade_applet();

}  // namespace macula
