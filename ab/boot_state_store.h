// The boot state's files on the ESP (see ab/boot_state.h): state1.env, state2.env and
// tries.env in DIR (the ESP's /maculaos). Each is a 1024-byte GRUB env block, always rewritten
// in place (GRUB's save_env writes tries.env through its block list, which must not move).
#pragma once

#include <string>

#include "ab/boot_state.h"
#include "common/result.h"

namespace macula {

// The boot state's directory on the ESP of the disk this boot runs from (init mounts it at
// kEspMount): where the boot-state tool, init and the config's boot stage find it.
std::string booted_boot_state_dir();

class BootStateStore {
 public:
  explicit BootStateStore(std::string dir) : dir_(std::move(dir)) {}

  // A new disk: the initial state in copy 1, an empty block in copy 2, no trial counter.
  Result<void> create(const BootState& initial) const;

  Result<StoredState> load() const;
  // Writes `next` over the copy that does not hold `current`, so a torn write keeps current.
  Result<void> save(const StoredState& current, const BootState& next) const;

  TryCounter counter() const;  // unreadable: no tries
  Result<void> save_counter(const TryCounter& counter) const;

 private:
  std::string path(const char* name) const { return dir_ + "/" + name; }
  std::string dir_;
};

}  // namespace macula
