#include "upgrade/upgrade_sequence.h"

#include <vector>

#include "ab/disk_layout.h"
#include "ab/installed_disk.h"
#include "common/json.h"
#include "names/names.h"

namespace macula {

namespace {

constexpr std::uint64_t kMaxManifestBytes = 1 << 20;

std::string name_of(Slot slot) { return std::string(to_string(slot)); }

// The manifest, once its signature has verified with one of our keys (checked before the
// manifest is even parsed).
Result<ReleaseManifest> fetch_release(UpgradeSystem& system, const ReleaseSource& src) {
  auto manifest = system.read_resource(src.manifest, kMaxManifestBytes);
  if (!manifest) return fail("release manifest", manifest.error());
  auto signature = system.read_resource(src.manifest + ".sig", kMaxManifestBytes);
  if (!signature) return fail("release signature", signature.error());
  auto key = system.verify_signature(*manifest, *signature);
  if (!key) return fail(src.manifest + " is not signed by a trusted key", key.error());
  auto parsed = parse_manifest(*manifest, src.manifest);
  if (!parsed) return fail(parsed.error());
  if (!src.channel.empty() && parsed->channel != src.channel)
    return fail(ErrorKind::refused,
                src.manifest + " is for channel '" + parsed->channel + "', this node follows '" + src.channel + "'");
  system.say("release " + parsed->version + " (channel " + parsed->channel + "), signed by " + *key);
  return parsed;
}

// One artifact into the file path; its size and SHA-256 checked against the (signed) manifest.
Result<CopiedFile> write_artifact(UpgradeSystem& system, const Artifact& a, const ReleaseSource& src,
                                  const std::string& path) {
  const std::string location = resolve_location(src.manifest, a.url);
  auto file = system.write_artifact(a, location, path);
  if (!file) return fail(file.error());
  if (file->size != a.size)
    return fail(ErrorKind::verification, location + ": " + std::to_string(file->size) + " bytes, the manifest says " +
                                             std::to_string(a.size) + " (truncated)");
  if (file->sha256 != a.sha256)
    return fail(ErrorKind::verification, location + ": SHA-256 " + file->sha256 + " differs from the manifest's " +
                                             a.sha256 + " (tampered or corrupt)");
  return file;
}

// Fills the (already emptied) standby slot: file system, artifacts, read-back, slot.json.
Result<void> fill_slot(UpgradeSystem& system, const std::string& device, Slot slot, const ReleaseManifest& release,
                       const ReleaseSource& src) {
  system.say("upgrade: making the file system of slot " + name_of(slot) + " on " + device);
  if (auto r = system.make_file_system(device, slot_partition(slot).label); !r) return r;
  auto mounted = system.mount_standby(device);
  if (!mounted) return fail(mounted.error());
  const std::string& dir = (*mounted)->path();
  std::vector<CopiedFile> files;
  for (const Artifact& a : release.artifacts) {
    auto file = write_artifact(system, a, src, dir + "/" + a.name);
    if (!file) return fail(file.error());
    files.push_back(*file);
  }
  for (const CopiedFile& f : files) {
    auto on_disk = system.sha256_from_disk(dir + "/" + f.name);
    if (!on_disk) return fail(on_disk.error());
    if (*on_disk != f.sha256)
      return fail(ErrorKind::verification,
                  "slot " + name_of(slot) + ": " + f.name + " reads back as " + *on_disk + ", not the written " + f.sha256);
    system.say("upgrade: " + f.name + " verified on disk (sha256 " + f.sha256 + ")");
  }
  return system.write_slot_manifest(dir, release.version, files);
}

// The k3s the release carries, when this node runs k3s, into setup's download directory of
// its version: each file takes its name only once verified against the signed manifest, and
// the new slot's first boot installs it from there with no network (setup --follow-os).
Result<void> stage_k3s(UpgradeSystem& system, const ReleaseManifest& release, const ReleaseSource& src) {
  if (!release.k3s) return {};
  const K3sRelease& k3s = *release.k3s;
  auto dir = system.k3s_staging_dir(k3s.version);
  if (!dir) return fail(dir.error());
  if (!*dir) {
    system.say("upgrade: the release carries k3s " + k3s.version +
               ": not staged (k3s is not set up on this node, or has this version installed)");
    return {};
  }
  for (const Artifact& a : k3s.files) {
    const std::string path = **dir + "/" + a.name;
    auto file = write_artifact(system, a, src, path + ".staged");
    if (!file) return fail(file.error());
    if (auto r = system.move_file(path + ".staged", path); !r) return r;
  }
  system.say("upgrade: k3s " + k3s.version + ", which the release's image pins, staged in " + **dir + " (verified)");
  return {};
}

Result<void> reboot_if(UpgradeSystem& system, bool reboot) {
  if (!reboot) return {};
  system.sync();
  system.say("upgrade: rebooting");
  if (auto r = system.reboot(); !r) return fail("reboot", r.error());
  return {};
}

}  // namespace

Result<void> apply_upgrade(UpgradeSystem& system, const ReleaseSource& source, const ApplyOptions& options) {
  auto session = system.open_boot_state();
  if (!session) return fail(session.error());
  BootSession& boot = **session;
  const auto booted = boot.booted();
  if (!booted) return fail("not booted from a slot (" + std::string(kCmdlineSlot) + "=): nothing to upgrade");
  if (boot.state().trial == *booted)
    return fail(ErrorKind::busy, "the running slot " + name_of(*booted) +
                                     " is still on trial: wait until the boot assessment marks it good");
  auto release = fetch_release(system, source);
  if (!release) return fail(release.error());
  const std::string running = boot.state().info(*booted).version;
  if (compare_versions(release->version, running) <= 0 && !options.allow_downgrade)
    return fail(ErrorKind::refused,
                "release " + release->version + " is not newer than the running " + running +
                    " (an old release replayed?): nothing written; --allow-downgrade installs it anyway");

  const Slot standby = other(*booted);
  if (auto r = stage_k3s(system, *release, source); !r)
    return fail("the release's k3s: nothing written to slot " + name_of(standby), r.error());
  system.detach_stale_mount();  // the lock is ours now
  if (boot.state().info(standby) != SlotInfo{} || boot.state().trial == standby)
    if (auto r = boot.commit({BootChange::Kind::clear, standby}); !r) return fail(r.error());
  if (auto r = fill_slot(system, boot.slot_device(standby), standby, *release, source); !r)
    return fail("slot " + name_of(standby) + " left empty", r.error());
  system.sync();
  if (auto r = boot.commit({BootChange::Kind::start_trial, standby, release->version}); !r) return fail(r.error());
  system.say("upgrade: slot " + name_of(standby) + " holds " + release->version +
             ", verified; it boots next, on trial (" + std::to_string(kTrialTries) + " tries, then back to slot " +
             name_of(*booted) + ")");
  return reboot_if(system, options.reboot);
}

Result<void> roll_back(UpgradeSystem& system, bool reboot) {
  auto session = system.open_boot_state();
  if (!session) return fail(session.error());
  BootSession& boot = **session;
  const auto booted = boot.booted();
  if (!booted) return fail("--rollback: not booted from a slot (" + std::string(kCmdlineSlot) + "=)");
  const Slot target = other(*booted);
  auto next = boot.commit({BootChange::Kind::make_primary, target});
  if (!next) return fail("--rollback", next.error());
  system.say("upgrade: slot " + name_of(target) + " (version " + next->info(target).version +
             ") is primary again; it boots next");
  return reboot_if(system, reboot);
}

Result<UpgradeCheck> check_for_upgrade(UpgradeSystem& system, const ReleaseSource& source) {
  auto view = system.read_boot_view();
  const std::string current = running_version(view ? &*view : nullptr);
  auto release = fetch_release(system, source);
  if (!release) return fail(release.error());
  const bool newer = compare_versions(release->version, current) > 0;
  return UpgradeCheck{current, release->version, release->channel, newer, source.released, source.notes_url};
}

std::string check_text(const UpgradeCheck& check) {
  return "current: " + check.current + "\navailable: " + check.available + "\n" +
         (check.newer ? "a newer version is available: maculaos upgrade --apply\n" : "up to date\n");
}

JsonObject check_object(const UpgradeCheck& check) {
  JsonObject out;
  out.add("current", check.current).add("available", check.available).add("channel", check.channel).add("newer", check.newer);
  if (!check.released.empty()) out.add("released", check.released);
  if (!check.notes_url.empty()) out.add("notes", check.notes_url);
  return out;
}

std::string check_json(const UpgradeCheck& check) { return check_object(check).str() + "\n"; }

}  // namespace macula
