// Whether a live boot keeps its changes, and where: the kernel command line's
// macula.persistence (the ISO's "MaculaOS Live (persistent)" entry) over the media config's
// maculaos.live. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/node_config.h"

namespace macula {

struct PersistenceChoice {
  // auto: the boot stick's persistence, else any file system labelled MACULAOS_PERSIST, else
  // a new one made on the boot stick; /dev/NAME or LABEL=NAME: that file system, never made
  std::string device = "auto";
  std::string size;  // of a new one: 4G, 50%; "" all the free space
};

// cmdline: macula.persistence's on/off (unset: not given) and its device ("" when none).
std::optional<PersistenceChoice> choose_persistence(std::optional<bool> cmdline, std::string_view cmdline_device,
                                                    const LiveSettings& media_config);

}  // namespace macula
