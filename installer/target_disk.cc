#include "installer/target_disk.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "common/fd.h"
#include "common/files.h"
#include "names/names.h"

namespace macula {

namespace {

namespace fs = std::filesystem;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string sysfs(const fs::path& p) { return trim(read_file(p).value_or("")); }

std::optional<dev_t> parse_dev(std::string_view majmin) {
  unsigned major = 0, minor = 0;
  if (std::sscanf(std::string(majmin).c_str(), "%u:%u", &major, &minor) != 2) return std::nullopt;
  return makedev(major, minor);
}

// The names of /sys/class/block/NAME's subdirectories that are its partitions.
std::vector<std::string> partitions_of(const std::string& name) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path("/sys/class/block") / name, ec), end; !ec && it != end; it.increment(ec))
    if (fs::exists(it->path() / "partition", ec)) out.push_back(it->path().filename());
  return out;
}

// The disk's own device number and those of its partitions.
std::vector<dev_t> disk_and_partitions(const std::string& name) {
  std::vector<dev_t> out;
  if (auto d = parse_dev(sysfs(fs::path("/sys/class/block") / name / "dev"))) out.push_back(*d);
  for (const std::string& part : partitions_of(name))
    if (auto d = parse_dev(sysfs(fs::path("/sys/class/block") / name / part / "dev"))) out.push_back(*d);
  return out;
}

// "sda2 is held by dm-0" for every holder (device-mapper, LVM, md, LUKS) of the disk or its
// partitions, from the holders/ directories of sysfs.
std::vector<std::string> holders_of(const std::string& name) {
  std::vector<std::string> out;
  std::vector<fs::path> dirs{fs::path("/sys/class/block") / name};
  for (const std::string& part : partitions_of(name)) dirs.push_back(dirs.front() / part);
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    for (fs::directory_iterator it(dir / "holders", ec), end; !ec && it != end; it.increment(ec))
      out.push_back(dir.filename().string() + " is held by " + it->path().filename().string());
  }
  return out;
}

// Loop devices backed by `image` (an attached image may have mounted partitions).
std::vector<dev_t> loops_backed_by(const std::string& image) {
  std::vector<dev_t> out;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(image, ec);
  for (fs::directory_iterator it("/sys/class/block", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename();
    if (!name.starts_with("loop") || fs::exists(it->path() / "partition", ec)) continue;
    if (sysfs(it->path() / "loop" / "backing_file") != real.string()) continue;
    for (dev_t d : disk_and_partitions(name)) out.push_back(d);
  }
  return out;
}

std::string device_name(dev_t d) {
  std::error_code ec;
  const fs::path link = fs::read_symlink("/sys/dev/block/" + std::to_string(major(d)) + ":" +
                                            std::to_string(minor(d)), ec);
  return ec ? std::to_string(major(d)) + ":" + std::to_string(minor(d)) : "/dev/" + link.filename().string();
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, majmin, root, mount_point;
    if (!(fields >> id >> parent >> majmin >> root >> mount_point)) continue;
    if (auto d = parse_dev(majmin)) out.push_back({*d, mount_point});
  }
  return out;
}

Result<void> check_target_free(const TargetDisk& disk, std::span<const MountEntry> mounts,
                               std::span<const std::string> swap_devices) {
  auto ours = [&](dev_t d) { return std::ranges::find(disk.devices, d) != disk.devices.end(); };
  for (const MountEntry& m : mounts)
    if (ours(m.device) && m.mount_point.starts_with(std::string(kRunDir) + "/"))
      return fail(ErrorKind::refused, disk.path + " is the disk MaculaOS is running from (" + device_name(m.device) +
                                          " is mounted at " + m.mount_point + "): refusing to erase it");
  for (const MountEntry& m : mounts)
    if (ours(m.device))
      return fail(ErrorKind::busy, disk.path + " is in use: " + device_name(m.device) + " is mounted at " +
                                       m.mount_point + " (unmount it first)");
  for (const std::string& swap : swap_devices) {
    struct stat st {};
    if (::stat(swap.c_str(), &st) == 0 && S_ISBLK(st.st_mode) && ours(st.st_rdev))
      return fail(ErrorKind::busy, disk.path + " is in use: " + swap + " is active swap (swapoff it first)");
  }
  if (!disk.holders.empty())
    return fail(ErrorKind::busy, disk.path + " is in use: " + disk.holders.front() +
                                     " (device-mapper: LVM, RAID or an open LUKS volume; stop it first)");
  if (disk.read_only) return fail(ErrorKind::permission, disk.path + " is read-only: cannot install on it");
  return {};
}

Result<TargetDisk> inspect_target(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail_errno(path + ": no such disk");
  TargetDisk disk;
  disk.path = path;
  if (S_ISREG(st.st_mode)) {
    disk.is_image = true;
    disk.size = static_cast<std::uint64_t>(st.st_size);
    disk.read_only = ::access(path.c_str(), W_OK) != 0;
    disk.devices = loops_backed_by(path);
    return disk;
  }
  if (!S_ISBLK(st.st_mode)) return fail(path + ": not a disk (expected a block device or a disk image file)");
  std::error_code ec;
  const std::string name =
      fs::read_symlink("/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" +
                           std::to_string(minor(st.st_rdev)), ec).filename();
  if (ec) return fail(path + ": no sysfs entry for this block device");
  if (fs::exists(fs::path("/sys/class/block") / name / "partition", ec))
    return fail(path + " is a partition: expected a whole disk (e.g. /dev/sda, /dev/nvme0n1)");
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open " + path);
  if (::ioctl(fd.get(), BLKGETSIZE64, &disk.size) != 0) return fail_errno(path + ": size");
  int ro = 0;
  disk.read_only = ::ioctl(fd.get(), BLKROGET, &ro) == 0 && ro != 0;
  disk.model = sysfs(fs::path("/sys/class/block") / name / "device" / "model");
  disk.devices = disk_and_partitions(name);
  disk.holders = holders_of(name);
  return disk;
}

std::vector<MountEntry> read_mounts() { return parse_mountinfo(read_file("/proc/self/mountinfo").value_or("")); }

std::vector<std::string> read_active_swaps() {
  std::vector<std::string> swaps;
  std::istringstream in(read_file("/proc/swaps").value_or(""));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) swaps.push_back(line.substr(0, line.find_first_of(" \t")));
  return swaps;
}

}  // namespace macula
