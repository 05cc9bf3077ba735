#include "common/sys/block_devices.h"

#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "common/fd.h"

namespace macula {

namespace {

using BlkidProbe = std::unique_ptr<blkid_struct_probe, decltype(&blkid_free_probe)>;

std::string probe_value(blkid_probe pr, const char* name) {
  const char* value = nullptr;
  if (blkid_probe_lookup_value(pr, name, &value, nullptr) != 0 || !value) return {};
  return value;
}

BlkidProbe new_probe(int fd, std::uint64_t offset, std::uint64_t size) {
  BlkidProbe pr(blkid_new_probe(), &blkid_free_probe);
  if (!pr || blkid_probe_set_device(pr.get(), fd, static_cast<blkid_loff_t>(offset), static_cast<blkid_loff_t>(size)) != 0)
    return BlkidProbe(nullptr, &blkid_free_probe);
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE);
  return pr;
}

void probe_filesystem(BlockDevice& dev) {
  const std::string path = "/dev/" + dev.name;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return;
  BlkidProbe pr = new_probe(fd.get(), 0, 0);
  if (!pr) return;
  blkid_probe_enable_partitions(pr.get(), 1);
  blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_ENTRY_DETAILS);
  if (blkid_do_safeprobe(pr.get()) != 0) return;
  dev.label = probe_value(pr.get(), "LABEL");
  dev.type = probe_value(pr.get(), "TYPE");
  dev.partlabel = probe_value(pr.get(), "PART_ENTRY_NAME");
  dev.partuuid = probe_value(pr.get(), "PART_ENTRY_UUID");
}

}  // namespace

std::vector<BlockDevice> scan_block_devices() {
  namespace fs = std::filesystem;
  std::vector<BlockDevice> devices;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/sys/class/block", ec)) {
    BlockDevice dev;
    dev.name = entry.path().filename();
    if (dev.name.starts_with("loop") || dev.name.starts_with("ram")) continue;
    dev.partition = fs::exists(entry.path() / "partition", ec);
    // A partition's sysfs directory sits inside its disk's.
    dev.disk = dev.partition ? fs::canonical(entry.path(), ec).parent_path().filename().string() : dev.name;
    probe_filesystem(dev);
    devices.push_back(std::move(dev));
  }
  return devices;
}

std::vector<BlockDevice> wait_for_block_devices(
    std::chrono::milliseconds timeout,
    const std::function<bool(std::span<const BlockDevice>)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::vector<BlockDevice> devices = scan_block_devices();
    if (done(devices) || std::chrono::steady_clock::now() >= deadline) return devices;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

FilesystemAt probe_filesystem_at(const std::string& path, std::uint64_t offset, std::uint64_t size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return {};
  BlkidProbe pr = new_probe(fd.get(), offset, size);
  if (!pr || blkid_do_safeprobe(pr.get()) != 0) return {};
  return {probe_value(pr.get(), "TYPE"), probe_value(pr.get(), "LABEL")};
}

}  // namespace macula
