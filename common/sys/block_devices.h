// Finding block devices and what file system each carries, with libblkid.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/block_device.h"

namespace macula {

// Every block device in /sys/class/block (loop and ram devices aside), probed by libblkid.
// Devices that cannot be opened (an empty CD drive) are listed without label or type.
std::vector<BlockDevice> scan_block_devices();

// Scans every 100 ms until `done` accepts what was found or the timeout passes, like Alpine's
// nlplug-findfs: drivers probe asynchronously after their modules load. Returns the last scan.
std::vector<BlockDevice> wait_for_block_devices(
    std::chrono::milliseconds timeout,
    const std::function<bool(std::span<const BlockDevice>)>& done);

// What libblkid finds `size` bytes from `offset` into the device or file at path: a file
// system that no partition table lists (live persistence, after the image on a stick).
FilesystemAt probe_filesystem_at(const std::string& path, std::uint64_t offset, std::uint64_t size);

}  // namespace macula
