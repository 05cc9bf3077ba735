// Finding block devices and what file system each carries, with libblkid.
#pragma once

#include <chrono>
#include <functional>
#include <span>
#include <vector>

#include "init/boot_media.h"

namespace macula {

// Every block device in /sys/class/block (loop and ram devices aside), probed by libblkid.
// Devices that cannot be opened (an empty CD drive) are listed without label or type.
std::vector<BlockDevice> scan_block_devices();

// Scans every 100 ms until `done` accepts what was found or the timeout passes, like Alpine's
// nlplug-findfs: drivers probe asynchronously after their modules load. Returns the last scan.
std::vector<BlockDevice> wait_for_block_devices(
    std::chrono::milliseconds timeout,
    const std::function<bool(std::span<const BlockDevice>)>& done);

}  // namespace macula
