#include "init/installed_slot.h"

#include <unistd.h>

#include <filesystem>

#include "ab/boot_context.h"
#include "ab/disk_layout.h"
#include "ab/slot_files.h"
#include "common/mounts.h"
#include "common/run_paths.h"
#include "init/console_shell.h"
#include "init/copy_tree.h"

namespace macula {

namespace {

// On the state partition: an upper layer (and work dir) for each of these directories of the
// root image; /var is the state's own directory, seeded from the image on the first boot.
constexpr const char* kPersistentOverlays[] = {"etc", "home", "root", "opt"};

}  // namespace

Result<void> InstalledSlotRoot::mount_root_image(std::span<const BlockDevice> devices) {
  if (!config_.slot)
    return fail("disk mode: no " + std::string(kSlotParam) + "=a|b on the command line (GRUB's menu entries pass it)");
  const Slot slot = *config_.slot;
  auto disk = find_installed_disk(devices, config_.esp);
  if (!disk)
    return fail("disk mode, slot " + std::string(to_string(slot)) + ", after " +
                    std::to_string(config_.device_timeout.count()) + " s (block devices: " + device_names(devices) + ")",
                disk.error());
  disk_ = *disk;
  const std::string image = std::string(kSlotMount) + "/" + std::string(kSlotRootImage);
  if (auto r = mount_slot(slot, image); !r) {
    give_up_on_slot(slot, r.error().text());
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
  if (auto r = mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"}); !r)
    return fail(name + ": cannot mount its root image", r.error());
  return {};
}

void InstalledSlotRoot::give_up_on_slot(Slot slot, const std::string& why) {
  const std::string name = "slot " + std::string(to_string(slot));
  auto ctx = BootContext::open(disk_, slot);
  auto next = ctx ? ctx->commit({BootChange::Kind::mark_bad, slot, why}) : fail(ctx.error());
  if (!next) return log_.warn(name + " stays as it is: " + next.error().text());
  log_.error(why);
  log_.error(name + " is marked bad; rebooting into slot " + std::string(to_string(next->primary)));
  leave(Emergency::reboot);
}

Result<void> InstalledSlotRoot::mount_persistent(const std::string& new_root) {
  const std::string fstype(kStatePartition.filesystem);
  if (auto r = mount_with_libmount({disk_.state, kStateMount, fstype, ""}); !r) return fail("state partition", r.error());
  report_.state = disk_.state;
  for (const char* dir : kPersistentOverlays) {
    const std::string base = std::string(kStateMount) + "/overlay/" + dir;
    Result<void> r = make_dirs(base + "/upper");
    if (r) r = make_dirs(base + "/work");
    if (r) r = mount_with_libmount({"overlay", new_root + "/" + dir, "overlay",
                                   "lowerdir=" + std::string(kRootImageMount) + "/" + dir + ",upperdir=" + base +
                                       "/upper,workdir=" + base + "/work"});
    if (!r) return fail("state partition: /" + std::string(dir), r.error());
  }
  const std::string var = std::string(kStateMount) + "/var";
  if (auto r = seed_var(var); !r) return fail("state partition: seeding /var", r.error());
  if (auto r = mount_with_libmount({var, new_root + "/var", "none", "bind"}); !r)
    return fail("state partition: /var", r.error());
  log_.info("state: " + disk_.state + " keeps /etc, /home, /root, /opt and /var");
  mount_esp();
  return {};
}

// The first boot copies the image's /var into a temporary name, renamed when whole.
Result<void> InstalledSlotRoot::seed_var(const std::string& var) {
  if (::access(var.c_str(), F_OK) == 0) return {};
  const std::string seed = var + ".seed";
  std::error_code ec;
  std::filesystem::remove_all(seed, ec);
  if (auto r = copy_tree(std::string(kRootImageMount) + "/var", seed); !r) return r;
  if (::rename(seed.c_str(), var.c_str()) != 0) return fail_errno("rename " + seed);
  log_.info("state: seeded /var from the image (first boot)");
  return {};
}

// Without the ESP the system still boots (GRUB needs no help): a warning, not a failure.
void InstalledSlotRoot::mount_esp() {
  auto r = mount_with_libmount({disk_.esp, kEspMount, std::string(kEspPartition.filesystem), kEspMountOptions});
  if (!r) log_.warn("ESP not mounted, the boot state cannot be read or changed: " + r.error().text());
}

}  // namespace macula
