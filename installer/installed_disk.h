// The installed disk seen from Linux: the disk holding MACULAOS_STATE, its partitions by GPT
// name (see installer/disk_layout.h), and its ESP mounted for the boot state.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "common/block_devices.h"
#include "common/boot_state.h"
#include "common/file_lock.h"
#include "common/result.h"
#include "installer/boot_state_store.h"
#include "installer/boot_status.h"

namespace macula {

struct InstalledDisk {
  std::string disk;   // kernel name of the whole disk
  std::string esp;    // /dev/... of each partition
  std::string slot_a;
  std::string slot_b;
  const std::string& slot(Slot s) const { return s == Slot::a ? slot_a : slot_b; }
};

// Pure: from a scan. Fails naming what is missing ("this is not an installed MaculaOS").
Result<InstalledDisk> find_installed_disk(std::span<const BlockDevice> devices);

// Where the ESP is mounted: init mounts it there in disk mode, and it stays.
inline constexpr const char* kEspMountPoint = "/run/macula/esp";
inline constexpr const char* kEspMountOptions = "fmask=0022,dmask=0022";  // state readable by all

// The ESP mounted at `where` for as long as this lives (unless it already was mounted there).
class EspMount {
 public:
  static Result<EspMount> open(const InstalledDisk& disk, std::string where = kEspMountPoint);
  EspMount(EspMount&& o) noexcept : where_(std::move(o.where_)), mounted_(std::exchange(o.mounted_, false)) {}
  EspMount& operator=(EspMount&&) = delete;
  ~EspMount();
  BootStateStore store() const { return BootStateStore(where_ + "/maculaos"); }

 private:
  EspMount(std::string where, bool mounted) : where_(std::move(where)), mounted_(mounted) {}
  std::string where_;
  bool mounted_;
};

// The slot this system booted from (macula.slot= on /proc/cmdline), if any.
std::optional<Slot> booted_slot();

// Held by every command that changes the boot state (and by `upgrade --apply` while it fills
// the standby slot): two of them at once would write the same state copy from the same
// `current`, and one change would be lost; two upgrades would fill the same slot.
inline constexpr const char* kBootStateLock = "/run/macula-boot-state.lock";
inline constexpr std::chrono::seconds kBootStateLockWait{10};

// The installed disk and its boot state, open (and locked) for one command that changes it.
struct BootContext {
  FileLock lock;
  InstalledDisk disk;
  EspMount esp;
  BootStateStore store;
  StoredState current;

  // Takes the lock first, so `current` cannot be stale while this lives.
  static Result<BootContext> open();
  BootView view() const { return {current.state, store.counter(), booted_slot()}; }
};

// The boot state for reading only: from the ESP init mounted (any user may read it), or else
// through BootContext (root: it scans and mounts).
Result<BootView> read_boot_view();

}  // namespace macula
