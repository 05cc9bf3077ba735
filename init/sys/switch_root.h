// Moving into the real root, the careful way (after systemd's switch-root.c and busybox's
// switch_root.c), then exec'ing its init.
#pragma once

#include <string>

#include "common/result.h"

namespace macula {

// Checks, before anything is moved, that `init` exists and is executable inside new_root,
// resolving symlinks as the new root sees them.
Result<void> check_init_in(const std::string& new_root, const std::string& init);

// Moves /dev, /proc, /sys and /run into new_root (a mount point), makes it / and deletes the
// initramfs behind it (only if that is ramfs/tmpfs, never crossing a mount), then reopens
// stdin/stdout/stderr on the new root's /dev/console. On error the old root is intact unless
// the error says otherwise.
Result<void> switch_root(const std::string& new_root);

}  // namespace macula
