#include "init/sys/live_media.h"

#include <unistd.h>

#include <chrono>

#include "ab/disk_layout.h"
#include "common/sys/loop_device.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "config/config_sources.h"
#include "config/node_config.h"
#include "encryption/sys/luks_volume.h"
#include "init/boot_mode.h"
#include "init/sys/root_image_tools.h"
#include "init/sys/state_overlays.h"
#include "init/sys/unlock_volume.h"
#include "common/sys/block_devices.h"

namespace macula {

namespace {

// mkfs.ext4 of a few GiB on a slow stick.
constexpr std::chrono::minutes kMakePersistenceTimeout{5};

}  // namespace

Result<void> LiveMediaRoot::mount_root_image(std::span<const BlockDevice> devices) {
  const std::string label(kMediaLabel);
  const std::vector<BlockDevice> candidates = media_candidates(devices, kMediaLabel);
  if (candidates.empty())
    return fail("boot media: no file system labelled " + label + " appeared within " +
                std::to_string(config_.device_timeout.count()) + " s (block devices: " + device_names(devices) +
                "; macula.timeout= waits longer)");
  const std::string image = std::string(kMediaMount) + "/" + std::string(kMediaRootImage);
  for (const BlockDevice& c : candidates) {
    const std::string dev = "/dev/" + c.name;
    if (auto r = mount_with_libmount({dev, kMediaMount, c.type, "ro"}); !r) {
      log_.warn(r.error().text());
      continue;
    }
    if (::access(image.c_str(), R_OK) != 0) {
      log_.warn(dev + " is labelled " + label + " but holds no " + std::string(kMediaRootImage));
      detach(kMediaMount);
      continue;
    }
    report_.media = dev;
    report_.media_type = c.type;
    report_.root_image = image;
    stick_ = "/dev/" + c.disk;
    log_.info("boot media " + dev + " (" + c.type + ")");
    return mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"});
  }
  return fail("boot media: no device labelled " + label + " holds " + std::string(kMediaRootImage) + " (tried " +
              device_names(candidates) + ")");
}

// The command line's macula.persistence over the node config's maculaos.live, as it stands
// before there is a state: the image's defaults, the media's config and the command line's
// maculaos.live.* words (init copies a NoCloud seed later, once the root is whole).
std::optional<PersistenceChoice> LiveMediaRoot::persistence_choice() {
  LiveSettings settings;
  auto config = read_node_config(config_roots());
  if (config) {
    for (const ConfigIssue& issue : config->issues) log_.warn(issue.str());
    settings = live_settings(config->config);
  } else {
    log_.warn("the node config: " + config.error().text() + "; live persistence follows the command line alone");
  }
  return choose_persistence(config_.persistence, config_.persistence_device, settings);
}

Result<void> LiveMediaRoot::mount_persistent(const std::string& new_root) {
  if (!keeps_changes_) return {};
  const std::optional<PersistenceChoice> choice = persistence_choice();
  if (!choice) return {};
  auto where = mount_persistence(*choice);
  if (where) {
    if (auto r = mount_state_overlays(kPersistMount, new_root, log_); !r) {
      unmount_state_overlays(new_root);
      detach(kPersistMount);
      where = fail(*where, r.error());
    }
  }
  if (!where) {
    log_.warn("persistence: " + where.error().text() + "; this boot keeps its changes in RAM");
    return {};
  }
  report_.persistence = *where;
  log_.info("persistence: " + *where + " keeps /etc, /home, /root, /opt and /var");
  return {};
}

// auto: the boot stick's, else any disk's, else a new one on the boot stick.
Result<std::string> LiveMediaRoot::mount_persistence(const PersistenceChoice& choice) {
  if (choice.device.starts_with("/dev/")) return mount_device(choice.device);
  const std::vector<BlockDevice> devices = scan_block_devices();  // a second stick may have come late
  if (choice.device.starts_with("LABEL=")) {
    const std::string label = choice.device.substr(6);
    for (const BlockDevice& d : devices)
      if (d.label == label) return mount_device("/dev/" + d.name);
    return fail("no file system labelled " + label + " (block devices: " + device_names(devices) + ")");
  }
  auto stick = inspect_stick(stick_);
  const FilesystemAt there = stick ? persistence_on(*stick) : FilesystemAt{};
  if (there.label == kPersistLabel) return mount_on_stick(*stick, there.type);
  for (const BlockDevice& d : devices)
    if (d.label == kPersistLabel) return mount_device("/dev/" + d.name);
  if (!stick) return fail("none labelled " + std::string(kPersistLabel) + ", and none can be made", stick.error());
  return create_on_stick(*stick, there, choice);
}

Result<std::string> LiveMediaRoot::mount_on_stick(const Stick& stick, const std::string& type) {
  const std::uint64_t offset = stick.persistence_offset();
  // Autoclear: the loop device lasts as long as what uses it (the mount, the opened volume).
  auto loop = LoopDevice::attach(stick.device, {.offset = offset});
  if (!loop) return fail(loop.error());
  if (auto r = mount_found(loop->path(), type); !r) return fail(r.error());
  return stick.device + " after the image (" + format_size(offset) + ")";
}

// An encrypted one is opened first (the TPM that made it, else a passphrase).
Result<void> LiveMediaRoot::mount_found(const std::string& device, const std::string& type) {
  std::string source = device, fstype = type;
  if (type == kLuksType) {
    auto opened = unlock_volume(device, kPersistMapping, "persistence", config_, log_);
    if (!opened) return fail(opened.error());
    source = *opened;
    fstype = probe_filesystem_at(source, 0, 0).type;
  }
  return mount_with_libmount({source, kPersistMount, fstype, ""});
}

Result<std::string> LiveMediaRoot::create_on_stick(const Stick& stick, const FilesystemAt& there,
                                                   const PersistenceChoice& choice) {
  auto region = plan_new_persistence(stick, there, choice.size);
  if (!region) return fail(region.error());
  log_.info("persistence: making " + format_size(region->size) + " on " + stick.device + " after the image");
  const ToolRunner mkfs = [](const std::vector<std::string>& argv) {
    return run_from_root_image(argv, "", kMakePersistenceTimeout);
  };
  if (auto r = make_persistence(stick, *region, mkfs, false); !r) return fail(r.error());
  return mount_on_stick(stick, persistence_on(stick).type);
}

Result<std::string> LiveMediaRoot::mount_device(const std::string& device) {
  const FilesystemAt fs = probe_filesystem_at(device, 0, 0);
  if (fs.type.empty()) return fail(device + ": no file system on it");
  if (auto r = mount_found(device, fs.type); !r) return fail(r.error());
  return device;
}

}  // namespace macula
