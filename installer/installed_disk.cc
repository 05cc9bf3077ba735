#include "installer/installed_disk.h"

#include <sys/mount.h>

#include "common/files.h"
#include "common/mounts.h"
#include "init/cmdline.h"

namespace macula {

Result<InstalledDisk> find_installed_disk(std::span<const BlockDevice> devices) {
  const BlockDevice* state = nullptr;
  for (const BlockDevice& d : devices)
    if (d.label == "MACULAOS_STATE") state = &d;
  if (!state) return fail("no MACULAOS_STATE file system: this is not an installed MaculaOS");
  InstalledDisk disk;
  disk.disk = state->disk;
  for (const BlockDevice& d : devices) {
    if (d.disk != state->disk || !d.partition) continue;
    if (d.partlabel == "esp") disk.esp = "/dev/" + d.name;
    if (d.partlabel == "maculaos-a") disk.slot_a = "/dev/" + d.name;
    if (d.partlabel == "maculaos-b") disk.slot_b = "/dev/" + d.name;
  }
  for (auto [path, name] : {std::pair{&disk.esp, "esp"}, {&disk.slot_a, "maculaos-a"}, {&disk.slot_b, "maculaos-b"}})
    if (path->empty()) return fail("no partition named " + std::string(name) + " on " + state->disk);
  return disk;
}

Result<EspMount> EspMount::open(const InstalledDisk& disk, std::string where) {
  if (is_mountpoint(where)) return EspMount(std::move(where), false);
  if (auto r = mount_with_libmount({disk.esp, where, "vfat", kEspMountOptions}); !r) return std::unexpected(r.error());
  return EspMount(std::move(where), true);
}

EspMount::~EspMount() {
  if (mounted_) ::umount2(where_.c_str(), 0);
}

namespace {

struct MountedEsp {
  InstalledDisk disk;
  EspMount esp;
};

// The installed disk's partitions, and its ESP mounted (unless init already did).
Result<MountedEsp> mount_installed_esp() {
  auto disk = find_installed_disk(scan_block_devices());
  if (!disk) return std::unexpected(disk.error());
  auto esp = EspMount::open(*disk);
  if (!esp) return std::unexpected(esp.error());
  return MountedEsp{*disk, std::move(*esp)};
}

Result<BootView> view_from(const BootStateStore& store) {
  auto current = store.load();
  if (!current) return std::unexpected(current.error());
  return BootView{current->state, store.counter(), booted_slot()};
}

}  // namespace

Result<BootContext> BootContext::open() {
  auto lock = FileLock::acquire(kBootStateLock, "the boot state", kBootStateLockWait);
  if (!lock) return std::unexpected(lock.error());
  auto mounted = mount_installed_esp();
  if (!mounted) return std::unexpected(mounted.error());
  BootStateStore store = mounted->esp.store();
  auto current = store.load();
  if (!current) return std::unexpected(current.error());
  return BootContext{std::move(*lock), mounted->disk, std::move(mounted->esp), store, *current};
}

// No lock: a reader sees one valid copy or the other, whatever a writer is doing.
Result<BootView> read_boot_view() {
  if (is_mountpoint(kEspMountPoint)) return view_from(BootStateStore(std::string(kEspMountPoint) + "/maculaos"));
  auto mounted = mount_installed_esp();
  if (!mounted) return std::unexpected(mounted.error());
  return view_from(mounted->esp.store());
}

std::optional<Slot> booted_slot() { return parse_cmdline(read_file("/proc/cmdline").value_or("")).slot; }

}  // namespace macula
