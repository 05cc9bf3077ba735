// An installed disk image (`make img`: 4 GiB, state last) written onto a larger disk grows into
// it at boot, as cloud images do (cloud-initramfs-growroot, growpart): the state partition is
// extended to where the installer's layout would end it on this disk (ab/disk_layout.h), and
// its ext4 file system grown online once mounted. Both steps are checked at every boot, so a
// power cut between them is finished by the next; on a disk that is the image's size, neither
// does anything but read sysfs.
#pragma once

#include <cstdint>
#include <string>

#include "ab/installed_disk.h"
#include "common/result.h"

namespace macula {

// The GPT's backup moved to the disk's end and the state partition extended (sfdisk from the
// root image), then the kernel told its new size (BLKPG). Returns the new size in bytes, or 0
// when the partition already ends where the layout would end it.
Result<std::uint64_t> grow_state_partition(const InstalledDisk& disk);

// The ext4 file system mounted at mount_dir, on device, grown online to the device's size
// (EXT4_IOC_RESIZE_FS, as resize2fs does for a mounted file system: journalled, so a cut
// leaves either size). Returns the new size in bytes, or 0 when it already fills the device.
Result<std::uint64_t> grow_state_filesystem(const std::string& mount_dir, const std::string& device);

}  // namespace macula
