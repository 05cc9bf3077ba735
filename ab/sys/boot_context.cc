#include "ab/sys/boot_context.h"

#include <sys/mount.h>

#include "ab/disk_layout.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "common/sys/block_devices.h"

namespace macula {

namespace {

// The installed disk this system booted from, by GRUB's macula.esp=.
Result<InstalledDisk> this_boots_disk(const BootedFrom& from) {
  return find_installed_disk(scan_block_devices(), from.esp_partuuid);
}

Result<BootView> view_from(const BootStateStore& store, std::optional<Slot> booted) {
  auto current = store.load();
  if (!current) return fail(current.error());
  return BootView{current->state, store.counter(), booted};
}

}  // namespace

Result<EspMount> EspMount::open(const InstalledDisk& disk, std::string where) {
  if (is_mountpoint(where)) return EspMount(std::move(where), false);
  if (auto r = mount_with_libmount({disk.esp, where, std::string(kEspPartition.filesystem), kEspMountOptions}); !r)
    return fail("ESP", r.error());
  return EspMount(std::move(where), true);
}

EspMount::~EspMount() {
  if (mounted_) ::umount2(where_.c_str(), 0);
}

BootStateStore EspMount::store() const { return BootStateStore(where_ + "/" + std::string(kEspStateDir)); }

Result<BootContext> BootContext::open(const InstalledDisk& disk, std::optional<Slot> booted) {
  auto lock = FileLock::acquire(kBootStateLock, "the boot state", kBootStateLockWait);
  if (!lock) return fail(lock.error());
  auto esp = EspMount::open(disk, kEspMount);
  if (!esp) return fail(esp.error());
  BootStateStore store = esp->store();
  auto current = store.load();
  if (!current) return fail(current.error());
  return BootContext(std::move(*lock), disk, std::move(*esp), std::move(store), std::move(*current), booted);
}

Result<BootContext> BootContext::open() {
  const BootedFrom from = booted_from_this_boot();
  auto disk = this_boots_disk(from);
  if (!disk) return fail(disk.error());
  return open(*disk, from.slot);
}

Result<BootState> BootContext::commit(const BootChange& change) {
  auto next = next_state(current_.state, change);
  if (!next) return next;
  // The counter first: until the state names the trial, a counter for it is ignored.
  if (change.kind == BootChange::Kind::start_trial)
    if (auto r = store_.save_counter({next->seq, kTrialTries}); !r) return fail(r.error());
  if (auto r = store_.save(current_, *next); !r) return fail(r.error());
  current_ = {*next, 1 - current_.copy};
  return next;
}

// No lock: a reader sees one valid copy or the other, whatever a writer is doing.
Result<BootView> read_boot_view() {
  const BootedFrom from = booted_from_this_boot();
  if (is_mountpoint(kEspMount))
    return view_from(BootStateStore(booted_boot_state_dir()), from.slot);
  auto disk = this_boots_disk(from);
  if (!disk) return fail(disk.error());
  auto esp = EspMount::open(*disk, kEspMount);
  if (!esp) return fail(esp.error());
  return view_from(esp->store(), from.slot);
}

}  // namespace macula
