#include "init/sys/installed_slot.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ab/sys/boot_context.h"
#include "ab/disk_layout.h"
#include "ab/sys/slot_files.h"
#include "ab/slot_manifest.h"
#include "ab/boot_state_store.h"
#include "common/sys/block_devices.h"
#include "common/files.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "common/sys/watchdog.h"
#include "config/config_sources.h"
#include "config/node_config.h"
#include "encryption/sys/luks_volume.h"
#include "init/sys/console_shell.h"
#include "init/sys/module_loader.h"
#include "init/sys/state_growth.h"
#include "init/sys/state_overlays.h"
#include "init/sys/unlock_volume.h"
#include "net/sys/resource.h"

namespace macula {

namespace {

// PID 1 reads no file of any size into memory: capped as it is read.
Result<SlotManifest> read_slot_manifest(const std::string& path) {
  auto text = read_resource(path, {}, kSlotManifestMaxBytes);
  if (!text) return fail(text.error());
  return parse_slot_manifest(*text, path);
}

}  // namespace

Result<void> InstalledSlotRoot::mount_root_image(std::span<const BlockDevice> devices) {
  if (!config_.slot)
    return fail("disk mode: no " + std::string(kCmdlineSlot) + "=a|b on the command line (GRUB's menu entries pass it)");
  const Slot slot = *config_.slot;
  auto disk = find_installed_disk(devices, config_.esp);
  if (!disk)
    return fail("disk mode, slot " + std::string(to_string(slot)) + ", after " +
                    std::to_string(config_.device_timeout.count()) + " s (block devices: " + device_names(devices) + ")",
                disk.error());
  disk_ = *disk;
  const std::string image = std::string(kSlotMount) + "/" + std::string(kSlotRootImage);
  if (auto r = mount_slot(slot, image); !r) {
    give_up(r.error().text());
    return r;
  }
  report_.slot = to_string(slot);
  report_.root_image = image;
  log_.info("slot " + report_.slot + " on " + disk_.slot(slot) + ": root image mounted");
  return {};
}

Result<void> InstalledSlotRoot::mount_slot(Slot slot, const std::string& image) {
  const std::string name = "slot " + std::string(to_string(slot));
  const std::string fstype(slot_partition(slot).filesystem);
  if (auto r = mount_with_libmount({disk_.slot(slot), kSlotMount, fstype, "ro"}); !r) return fail(name, r.error());
  if (auto r = check_root_image_size(name, image); !r) return r;
  if (auto r = mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"}); !r)
    return fail(name + ": cannot mount its root image", r.error());
  return {};
}

// A root image that is not the size slot.json lists was cut short or torn after the slot was
// written: it can never boot right, so the slot is marked bad and the other one booted, when
// the other one is good. A slot.json that cannot be read proves nothing either way (a hand
// edit, a bad sector): a warning, and the image is tried.
Result<void> InstalledSlotRoot::check_root_image_size(const std::string& name, const std::string& image) {
  auto manifest = read_slot_manifest(std::string(kSlotMount) + "/" + std::string(kSlotManifestName));
  if (!manifest) {
    log_.warn(name + ": " + manifest.error().text() + "; its root image is not checked against it");
    return {};
  }
  const std::uint64_t listed = listed_size(*manifest, kSlotRootImage).value_or(0);
  struct stat st {};
  if (::stat(image.c_str(), &st) != 0) return fail_errno(name + ": " + image);
  if (static_cast<std::uint64_t>(st.st_size) != listed) {
    give_up(name + ": its root image is " + std::to_string(st.st_size) + " bytes, slot.json lists " +
            std::to_string(listed) + " (a write cut short or torn)");
    // back here only when no other slot is good: this image may still boot, nothing else can
    log_.warn(name + ": booting its root image all the same: no other slot is good");
  }
  log_.info(name + ": version " + manifest->version);
  return {};
}

void InstalledSlotRoot::give_up(const std::string& why) {
  if (!config_.slot || disk_.disk.empty()) return;
  const Slot slot = *config_.slot;
  const std::string name = "slot " + std::string(to_string(slot));
  auto ctx = BootContext::open(disk_, slot);
  auto next = ctx ? ctx->commit({BootChange::Kind::mark_bad, slot, why}) : fail(ctx.error());
  if (!next) return log_.warn(name + " stays as it is: " + next.error().text());
  log_.error(why);
  log_.error(name + " is marked bad; rebooting into slot " + std::string(to_string(next->primary)));
  leave(Emergency::reboot);
}

// The state partition to mount: itself, or, encrypted, its opened LUKS2 volume.
Result<std::string> InstalledSlotRoot::open_state() {
  if (probe_filesystem_at(disk_.state, 0, 0).type != kLuksType) return disk_.state;
  return unlock_volume(disk_.state, kStateMapping, "state", config_, log_);
}

Result<void> InstalledSlotRoot::mount_persistent(const std::string& new_root) {
  const std::string fstype(kStatePartition.filesystem);
  // An image written onto a larger disk grows into it (init/sys/state_growth.h); what cannot grow
  // costs only room: a warning, and the boot goes on at the size the state has.
  if (auto grown = grow_state_partition(disk_); !grown)
    log_.warn(grown.error().text() + "; the state keeps its size");
  else if (*grown)
    log_.info("state: partition grown to " + format_size(*grown) + ", the end of /dev/" + disk_.disk);
  auto state = open_state();
  if (!state) return fail(state.error());
  if (auto r = mount_with_libmount({*state, kStateMount, fstype, ""}); !r) return fail("state partition", r.error());
  if (auto grown = grow_state_filesystem(kStateMount, *state); !grown)
    log_.warn(grown.error().text() + "; the state keeps its size");
  else if (*grown)
    log_.info("state: file system grown to " + format_size(*grown));
  report_.state = disk_.state;
  if (auto r = mount_state_overlays(kStateMount, new_root, log_); !r) return fail("state partition", r.error());
  log_.info("state: " + disk_.state + " keeps /etc, /home, /root, /opt and /var");
  mount_esp();
  arm_watchdog_on_trial();
  return {};
}

// macula.watchdog=, else the node config's maculaos.boot.watchdog, else the default. The node
// config as the booted system will read it, from the root image and the state mounted here.
std::chrono::seconds InstalledSlotRoot::watchdog_timeout() {
  if (config_.watchdog) return *config_.watchdog;
  auto config = read_node_config(config_roots());
  if (!config) {
    log_.warn("the node config: " + config.error().text() + "; the trial watchdog uses " +
              std::to_string(kTrialWatchdog.count()) + " s");
    return kTrialWatchdog;
  }
  for (const ConfigIssue& issue : config->issues) log_.warn(issue.str());
  return boot_settings(config->config).watchdog.value_or(kTrialWatchdog);
}

// A trial boot must reach its health check: the hardware watchdog resets it otherwise (and the
// reset spends the try). No watchdog device: a warning, and the boot goes on.
void InstalledSlotRoot::arm_watchdog_on_trial() {
  auto current = BootStateStore(booted_boot_state_dir()).load();
  if (!current || !current->state.trial || current->state.trial != config_.slot) return;
  const std::chrono::seconds timeout = watchdog_timeout();
  if (timeout.count() == 0) return log_.info("trial boot: watchdog off (0 s)");
  const ModuleLoadResult loaded = load_modules(module_list("watchdog"), report_.kernel, log_, LoadFailure::debug);
  auto armed = arm_watchdog(timeout);
  if (!armed)
    return log_.warn("trial boot without a watchdog (" + armed.error().text() + " after trying " +
                     std::to_string(loaded.loaded + loaded.failed) + " drivers): a hang would need a person");
  report_.watchdog_s = armed->count();
  log_.info("trial boot: watchdog armed, " + std::to_string(armed->count()) + " s to pass the health check");
}

// Without the ESP the system still boots (GRUB needs no help): a warning, not a failure.
void InstalledSlotRoot::mount_esp() {
  auto r = mount_with_libmount({disk_.esp, kEspMount, std::string(kEspPartition.filesystem), kEspMountOptions});
  if (!r) log_.warn("ESP not mounted, the boot state cannot be read or changed: " + r.error().text());
}

}  // namespace macula
