// The installed disk's boot state, open for reading or for one command that changes it. The
// only writer of the boot state: `maculaos boot`, `maculaos upgrade`, the end-of-boot
// assessment and init all change it through BootContext::commit().
#pragma once

#include <chrono>
#include <utility>

#include "ab/boot_state.h"
#include "ab/boot_state_store.h"
#include "ab/boot_status.h"
#include "ab/file_lock.h"
#include "ab/installed_disk.h"
#include "common/result.h"
#include "names/names.h"

namespace macula {

// The ESP mounted at `where` for as long as this lives (unless it already was mounted there,
// as init leaves it in disk mode, like Debian's /boot/efi).
class EspMount {
 public:
  static Result<EspMount> open(const InstalledDisk& disk, std::string where);
  EspMount(EspMount&& o) noexcept : where_(std::move(o.where_)), mounted_(std::exchange(o.mounted_, false)) {}
  EspMount& operator=(EspMount&&) = delete;
  ~EspMount();
  BootStateStore store() const;

 private:
  EspMount(std::string where, bool mounted) : where_(std::move(where)), mounted_(mounted) {}
  std::string where_;
  bool mounted_;
};

// The ESP's mount options: the boot state is readable by every user (maculaos upgrade --status).
inline constexpr const char* kEspMountOptions = "fmask=0022,dmask=0022";

inline constexpr std::chrono::seconds kBootStateLockWait{10};

// The installed disk and its boot state, open (and locked) for one command that changes it.
class BootContext {
 public:
  // The disk this system booted from (ab/installed_disk.h). Takes the lock first, so
  // `current` cannot be stale while this lives.
  static Result<BootContext> open();
  // The same, for a disk already found (init, before the root is mounted).
  static Result<BootContext> open(const InstalledDisk& disk, std::optional<Slot> booted);

  // The one way the state changes: next_state(), then the counter of a new trial, then the
  // state written to the copy that is not current, each synced. Refused changes write nothing.
  Result<BootState> commit(const BootChange& change);

  const InstalledDisk& disk() const { return disk_; }
  const BootState& state() const { return current_.state; }
  std::optional<Slot> booted() const { return booted_; }
  BootView view() const { return {current_.state, store_.counter(), booted_}; }

 private:
  BootContext(FileLock lock, InstalledDisk disk, EspMount esp, BootStateStore store, StoredState current,
              std::optional<Slot> booted)
      : lock_(std::move(lock)), disk_(std::move(disk)), esp_(std::move(esp)), store_(std::move(store)),
        current_(std::move(current)), booted_(booted) {}
  FileLock lock_;
  InstalledDisk disk_;
  EspMount esp_;
  BootStateStore store_;
  StoredState current_;
  std::optional<Slot> booted_;
};

// The boot state for reading only: from the ESP init mounted (any user may read it), or else
// from the disk this system booted from, mounted for the read (root).
Result<BootView> read_boot_view();

}  // namespace macula
