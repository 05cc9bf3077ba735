#include "init/sys/state_growth.h"

#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <filesystem>

#include "ab/disk_layout.h"
#include "common/fd.h"
#include "common/files.h"
#include "init/ext4_superblock.h"
#include "init/sys/root_image_tools.h"

// linux/ext4.h is not among the kernel's exported headers before 6.x; the ioctl is stable ABI.
#ifndef EXT4_IOC_RESIZE_FS
#define EXT4_IOC_RESIZE_FS _IOW('f', 16, __u64)
#endif

namespace macula {

namespace {

constexpr std::chrono::minutes kPartitionToolTimeout{2};
constexpr std::uint64_t kSysfsSector = 512;  // sysfs counts 512-byte sectors, whatever the disk's

// A number sysfs gives for a block device: its size or start (in 512-byte sectors), or its
// partition number.
Result<std::uint64_t> sysfs_number(const std::string& device, const char* field) {
  const std::string path = "/sys/class/block/" + std::filesystem::path(device).filename().string() + "/" + field;
  auto text = read_file(path);
  if (!text) return fail(text.error());
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [at, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || at == text->data() || (at != end && *at != '\n'))
    return fail(path + ": expected a number, read '" + *text + "'");
  return value;
}

Result<std::uint64_t> device_bytes(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno(device);
  std::uint64_t bytes = 0;
  if (::ioctl(fd.get(), BLKGETSIZE64, &bytes) != 0) return fail_errno(device + ": size");
  return bytes;
}

}  // namespace

Result<std::uint64_t> grow_state_partition(const InstalledDisk& disk) {
  const std::string name = "state partition " + disk.state;
  auto disk_sectors = sysfs_number(disk.disk, "size");
  auto start = sysfs_number(disk.state, "start");
  auto sectors = sysfs_number(disk.state, "size");
  auto number = sysfs_number(disk.state, "partition");
  for (const auto* r : {&disk_sectors, &start, &sectors, &number})
    if (!*r) return fail(name, r->error());
  const std::uint64_t offset = *start * kSysfsSector;
  const auto grown = grown_state_size(*disk_sectors * kSysfsSector, offset, *sectors * kSysfsSector);
  if (!grown) return 0;
  const std::string whole = "/dev/" + disk.disk;
  // The backup GPT first, to the disk's new end (what the table may use grows with it), then
  // the partition; sfdisk keeps its type, GUID and name. The kernel is told apart (below): it
  // refuses to re-read the table of a disk whose partitions are mounted.
  if (auto r = run_from_root_image({"/sbin/sfdisk", "--quiet", "--relocate", "gpt-bak-std", whole}, "", kPartitionToolTimeout); !r)
    return fail(name + ": moving the backup GPT to the end of " + whole, r.error());
  const std::string script = ", " + std::to_string(*grown / kMiB) + "MiB\n";
  if (auto r = run_from_root_image({"/sbin/sfdisk", "--quiet", "--force", "--no-reread", "--no-tell-kernel", "-N",
                                    std::to_string(*number), whole}, script, kPartitionToolTimeout); !r)
    return fail(name + ": growing it to " + format_size(*grown), r.error());
  UniqueFd fd(::open(whole.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno(name + ": " + whole);
  blkpg_partition part{};
  part.start = static_cast<long long>(offset);
  part.length = static_cast<long long>(*grown);
  part.pno = static_cast<int>(*number);
  blkpg_ioctl_arg arg{};
  arg.op = BLKPG_RESIZE_PARTITION;
  arg.datalen = sizeof part;
  arg.data = &part;
  if (::ioctl(fd.get(), BLKPG, &arg) != 0) return fail_errno(name + ": telling the kernel its new size");
  return *grown;
}

Result<std::uint64_t> grow_state_filesystem(const std::string& mount_dir, const std::string& device) {
  std::string superblock(kExt4SuperblockBytes, '\0');
  {
    UniqueFd dev(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
    if (!dev) return fail_errno(device);
    if (::pread(dev.get(), superblock.data(), superblock.size(), kExt4SuperblockOffset) != static_cast<ssize_t>(superblock.size()))
      return fail_errno(device + ": reading its superblock");
  }
  auto fs = ext4_size(superblock);
  if (!fs) return fail(device, fs.error());
  auto bytes = device_bytes(device);
  if (!bytes) return fail(bytes.error());
  std::uint64_t blocks = *bytes / fs->block_size;
  if (blocks <= fs->blocks) return 0;
  UniqueFd dir(::open(mount_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return fail_errno(mount_dir);
  if (::ioctl(dir.get(), EXT4_IOC_RESIZE_FS, &blocks) != 0)
    return fail_errno(device + ": growing its file system to " + format_size(blocks * fs->block_size));
  return blocks * fs->block_size;
}

}  // namespace macula
