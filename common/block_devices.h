// Finding block devices and what file system each carries, with libblkid.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace macula {

struct BlockDevice {
  std::string name;   // kernel name: sr0, sda, sda1, nvme0n1p2
  std::string label;  // file-system label, "" if none
  std::string type;   // file-system type from libblkid, "" if none
  bool partition = false;
  std::string partlabel = {};  // GPT partition name, "" if none
  std::string partuuid = {};   // GPT partition GUID (lower case, as libblkid gives it), "" if none
  std::string disk = {};       // the whole disk it is on (its own name for a disk)
};

// Every block device in /sys/class/block (loop and ram devices aside), probed by libblkid.
// Devices that cannot be opened (an empty CD drive) are listed without label or type.
std::vector<BlockDevice> scan_block_devices();

// Scans every 100 ms until `done` accepts what was found or the timeout passes, like Alpine's
// nlplug-findfs: drivers probe asynchronously after their modules load. Returns the last scan.
std::vector<BlockDevice> wait_for_block_devices(
    std::chrono::milliseconds timeout,
    const std::function<bool(std::span<const BlockDevice>)>& done);

struct FilesystemAt {
  std::string type;   // "" when nothing was recognised
  std::string label;
};

// What libblkid finds `size` bytes from `offset` into the device or file at path: a file
// system that no partition table lists (live persistence, after the image on a stick).
FilesystemAt probe_filesystem_at(const std::string& path, std::uint64_t offset, std::uint64_t size);

}  // namespace macula
