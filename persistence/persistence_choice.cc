#include "persistence/persistence_choice.h"

namespace macula {

std::optional<PersistenceChoice> choose_persistence(std::optional<bool> cmdline, std::string_view cmdline_device,
                                                    const LiveSettings& media_config) {
  if (!cmdline.value_or(media_config.persistence)) return std::nullopt;
  PersistenceChoice choice;
  if (!cmdline_device.empty()) choice.device = cmdline_device;
  else if (!media_config.persistence_device.empty()) choice.device = media_config.persistence_device;
  choice.size = media_config.persistence_size;
  return choice;
}

}  // namespace macula
