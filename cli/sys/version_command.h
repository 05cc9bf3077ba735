#pragma once

#include <string>
#include <vector>

#include "common/applet.h"

namespace macula {

struct ComponentVersion {
  std::string name;
  std::string version;
};

// MaculaOS itself, then each linked library as it reports itself at run time.
std::vector<ComponentVersion> component_versions();

// `maculaos version`
Applet version_applet();

}  // namespace macula
