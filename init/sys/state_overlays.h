// What persists, laid out the same on an installed disk's state partition and a live stick's
// persistence: an upper layer (and work directory) for each of /etc, /home, /root and /opt of
// the root image, and /var whole, seeded from the image's on the first boot.
#pragma once

#include <string>

#include "common/result.h"
#include "init/sys/boot_log.h"

namespace macula {

// Mounts the layers of `store` (a mounted persistent file system) into new_root.
Result<void> mount_state_overlays(const std::string& store, const std::string& new_root, BootLog& log);

// Takes them out again (what a failed mount_state_overlays left): new_root's own overlay shows.
void unmount_state_overlays(const std::string& new_root);

}  // namespace macula
