// The disk macula-install is asked to write: what it is, and whether writing it is allowed.
// Every check runs before the first byte is written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

struct TargetDisk {
  std::string path;       // as given
  bool is_image = false;  // a regular file (a disk image), not a block device
  std::uint64_t size = 0;
  std::string model;      // from sysfs, "" for images
  bool read_only = false;
  std::vector<dev_t> devices;  // the disk and its partitions (for an image: its loop devices)
  std::vector<std::string> holders = {};  // "sda2 is held by dm-0": the kernel's users of them
};

struct MountEntry {
  dev_t device = 0;
  std::string mount_point;
};

// /proc/self/mountinfo's device numbers and mount points. Pure.
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// Why the target must not be written, or nothing. Pure: the caller reads the system.
// `running` are the mounts under /run/macula (the boot media, the running slot and state).
Result<void> check_target_free(const TargetDisk& disk, std::span<const MountEntry> mounts,
                               std::span<const std::string> swap_devices);

// Reads the target from the system (stat, sysfs, ioctls). Fails for a missing path, a
// partition, or anything that is not a disk or an image file.
Result<TargetDisk> inspect_target(const std::string& path);

// What check_target_free takes, read from the system: /proc/self/mountinfo's mounts and
// /proc/swaps' active swap devices.
std::vector<MountEntry> read_mounts();
std::vector<std::string> read_active_swaps();

}  // namespace macula
