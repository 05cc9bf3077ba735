// The upgrader's sequences (--apply, --rollback, --check) apart from their effects: these
// decide what happens in which order; an UpgradeSystem does it (the node itself in the
// product, upgrade/sys/upgrade_system.h; a fake in the unit tests). The order keeps a node bootable
// whatever stops it: the running slot is never written, the standby slot is marked empty
// before its first byte changes, and it goes on trial only once read back and verified.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ab/boot_state.h"
#include "ab/boot_status.h"
#include "ab/slot_content.h"
#include "common/held.h"
#include "common/json.h"
#include "common/result.h"
#include "upgrade/release_manifest.h"

namespace macula {

// Where the release manifest is, and which channel it must be on ("" = any). Resolved from
// the command line or the node config before a sequence starts (upgrade_command.cc).
struct ReleaseSource {
  std::string manifest = {};
  std::string channel = {};
  // what a GitHub release says of itself (github_releases.h); empty for other sources
  std::string released = {};   // its date, 2026-12-01T10:00:00Z
  std::string notes_url = {};  // its page
};

// The installed disk's boot state, open and locked for one command (BootContext in the
// product): it stays locked while the session lives.
class BootSession {
 public:
  virtual ~BootSession() = default;
  virtual const BootState& state() const = 0;
  virtual std::optional<Slot> booted() const = 0;  // macula.slot= of this boot
  virtual const std::string& slot_device(Slot slot) const = 0;
  // The one way the state changes (ab/sys/boot_context.h): refused changes write nothing.
  virtual Result<BootState> commit(const BootChange& change) = 0;
};

class UpgradeSystem {
 public:
  virtual ~UpgradeSystem() = default;

  virtual Result<std::unique_ptr<BootSession>> open_boot_state() = 0;
  // For reading only, with no lock (--check).
  virtual Result<BootView> read_boot_view() = 0;

  // A manifest or its signature (a URL or a file), whole; more than max_bytes is refused.
  virtual Result<std::string> read_resource(const std::string& location, std::uint64_t max_bytes) = 0;
  // The name of the trusted key that made `signature` over `data`.
  virtual Result<std::string> verify_signature(std::string_view data, std::string_view signature) = 0;

  // Unmounts what an --apply that was killed left at the standby slot's mount point.
  virtual void detach_stale_mount() = 0;
  virtual Result<void> make_file_system(const std::string& device, std::string_view label) = 0;
  // The standby slot's file system, mounted while the result lives (its path: the directory).
  virtual Result<std::unique_ptr<Held>> mount_standby(const std::string& device) = 0;
  // Streams the artifact from `location` into the file `path`, decompressed if it is zstd and
  // refused past its size, then synced; what landed: its name, size and SHA-256.
  virtual Result<CopiedFile> write_artifact(const Artifact& artifact, const std::string& location,
                                            const std::string& path) = 0;
  // What the file holds on the disk, not in the page cache (ab/sys/verified_copy.h).
  virtual Result<std::string> sha256_from_disk(const std::string& path) = 0;
  virtual Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                           std::span<const CopiedFile> files) = 0;
  // Where a release's k3s is staged for the new slot's first boot: setup's download directory
  // of that version, made now; none when setup has not installed k3s on this node, or has
  // installed that version already.
  virtual Result<std::optional<std::string>> k3s_staging_dir(const std::string& version) = 0;
  // A file written and synced by write_artifact takes its name: renamed, the directory synced.
  virtual Result<void> move_file(const std::string& from, const std::string& to) = 0;
  virtual void sync() = 0;
  virtual Result<void> reboot() = 0;

  // One line of what is happening, for the person who asked.
  virtual void say(const std::string& line) = 0;
};

struct ApplyOptions {
  bool allow_downgrade = false;  // install a release that is not newer than the running one
  bool reboot = false;           // reboot once it is on trial
};

// --apply: verify the release, fill the standby slot, read it back, put it on trial.
Result<void> apply_upgrade(UpgradeSystem& system, const ReleaseSource& source, const ApplyOptions& options);

// --rollback: the other slot becomes primary again (it must be good).
Result<void> roll_back(UpgradeSystem& system, bool reboot);

// --check: the running version (the booted slot's, else this binary's) and the release's, the
// release verified (it says which, signed by which key) and nothing written.
struct UpgradeCheck {
  std::string current;
  std::string available;
  std::string channel;
  bool newer = false;
  std::string released = {};   // as the source says (ReleaseSource), or empty
  std::string notes_url = {};
};
Result<UpgradeCheck> check_for_upgrade(UpgradeSystem& system, const ReleaseSource& source);

// --check's exit status: 0 when the release is newer than the running version, kExitNoUpdate
// when not.
inline constexpr int kExitNoUpdate = 3;
inline int check_exit_status(const UpgradeCheck& check) { return check.newer ? 0 : kExitNoUpdate; }
// "current: ..", "available: ..", and what to do: --check's lines.
std::string check_text(const UpgradeCheck& check);
// --check --json (docs/json-output.md): current, available, channel, newer, and released and
// notes when the source gave them; check_object is that object, for outputs that hold a check.
JsonObject check_object(const UpgradeCheck& check);
std::string check_json(const UpgradeCheck& check);

}  // namespace macula
